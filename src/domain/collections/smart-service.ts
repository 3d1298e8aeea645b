import type { CollectionRow } from '../../db/repositories/collections-repository.ts';
import { isUniqueViolation } from '../../db/repositories/collections-sql.ts';
import type { SmartCollectionRow, SmartCollectionsRepository, SmartCollectionUpdate } from '../../db/repositories/collections-smart-repository.ts';
import type { RomQueryRepository } from '../../db/rom-query/rom-query-repository.ts';
import type { RomFilter, RomQueryContext } from '../../contract/rom-filter.ts';
import { criteriaObject, parseJsonValue, toSmartCollectionSchema } from './mapper.ts';
import type { SmartCollectionSchema } from '../../contract/collections.ts';
import { RESOURCES_PREFIX } from '../roms/mapper-parts.ts';
import {
  checkName, collectionExists, collectionForbidden, collectionNotFound, type CallerId, type CollectionsService, type MemberHider,
} from './collections-service.ts';
import { badRequest } from '../../common/errors.ts';
import { ownedItem, requireAccess } from '../../auth/access.ts';
import { filterFromCriteria } from '../roms/filter.ts';
import { SmartSources } from './smart-sources.ts';
import { pyStrFromMs } from '../../common/time.ts';

export interface SmartCollectionInput {
  name?: string;
  description?: string;
  /** JSON text as sent. */
  filterCriteria?: string;
  isPublic?: boolean;
}

/** Cached covers per smart collection (spec §7.2). */
const MAX_COVERS = 5;
const COVER_WINDOW = 100;

/** `filter_criteria` text → object, or RomM's 400. */
export function parseCriteria(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('Invalid JSON for filter_criteria field');
  }
  // RomM stores any JSON and then fails to serialise a non-object (500); refuse it up front.
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badRequest('Invalid JSON for filter_criteria field');
  return value as Record<string, unknown>;
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const stripTs = (urls: unknown): string[] => (Array.isArray(urls) ? urls.map((u) => String(u).split('?', 1)[0] ?? '') : []);

/**
 * Smart collections: saved `GET /api/roms` criteria evaluated by the ROM list engine. Cached membership is the
 * owner's view, refreshed on create/update and whenever `refresh*` is called; live evaluation is the caller's.
 * A criterion naming a regular collection only matches when the evaluating user may read that collection.
 */
export class SmartCollectionsService {
  private readonly sources: SmartSources;

  constructor(
    private readonly repo: SmartCollectionsRepository,
    private readonly query: RomQueryRepository,
    private readonly collections: CollectionsService,
    private readonly context: (userId: number | null) => RomQueryContext,
    private readonly hider: MemberHider & { hidesAnything(userId: number | null): Promise<boolean> },
  ) {
    this.sources = new SmartSources(collections);
  }

  /** The rows as `caller` may see them: cached members drawn from a collection the caller may not read are left out. */
  private async shown(caller: CallerId, rows: SmartCollectionRow[]): Promise<SmartCollectionRow[]> {
    const visible = await this.sources.membershipVisible(caller, rows.map((r) => ({ id: Number(r.id), user_id: Number(r.user_id), filter_criteria: r.filter_criteria })));
    return rows.map((r) => (visible.has(Number(r.id)) ? r : { ...r, rom_ids: '[]', rom_count: 0, path_covers_small: '[]', path_covers_large: '[]' }));
  }

  private async readable(caller: CallerId, id: number): Promise<SmartCollectionRow> {
    const s = await this.repo.find(id);
    if (!s) throw collectionNotFound(id);
    requireAccess(caller, ownedItem(s), 'read', () => collectionForbidden(id));
    return s;
  }

  private async owned(caller: CallerId, id: number): Promise<SmartCollectionRow> {
    const s = await this.repo.find(id);
    if (!s) throw collectionNotFound(id);
    requireAccess(caller, ownedItem(s), 'write', () => collectionForbidden(id));
    return s;
  }

  /** The criteria as a ROM filter for `userId`; an unreadable collection in them makes the set empty. */
  filterFor(userId: CallerId, criteria: Record<string, unknown>): Promise<RomFilter> {
    return this.sources.filterFor(userId, criteria, 'empty');
  }

  /** Live filter for `GET /api/roms?smart_collection_id=` and downloads: 404/403 like the detail route. */
  async resolveSmartFilter(caller: CallerId, id: number): Promise<RomFilter> {
    const s = await this.readable(caller, id);
    return this.filterFor(caller, criteriaObject(s.filter_criteria));
  }

  /**
   * For `smart_collection_id` selectors: 403 for someone else's private smart collection, or when its criteria name
   * a regular collection the caller may not read; nothing for unknown ids.
   */
  async assertReadableIfExists(caller: CallerId, id: number): Promise<void> {
    const s = await this.repo.find(id);
    if (!s) return;
    requireAccess(caller, ownedItem(s), 'read', () => collectionForbidden(id));
    const { collectionId } = filterFromCriteria(criteriaObject(s.filter_criteria));
    if (collectionId !== undefined) await this.collections.assertReadableIfExists(caller, collectionId);
  }

  /** Live member ids as the caller, in the collection's own order. */
  async resolveSmartRomIds(caller: CallerId, id: number): Promise<number[]> {
    const s = await this.readable(caller, id);
    const criteria = criteriaObject(s.filter_criteria);
    return this.query.ids({ filter: await this.filterFor(caller, criteria), order: orderOf(criteria), groupByMetaId: false }, this.context(caller));
  }

  /** Cached members hidden from the caller (RomM 5 hide lists) are left out of `rom_ids` and `rom_count`. */
  async list(caller: number, updatedAfter?: number): Promise<SmartCollectionSchema[]> {
    const rows = await this.shown(caller, await this.repo.listVisible(caller, updatedAfter));
    return this.hider.dropHiddenMembers(rows.map(toSmartCollectionSchema), caller);
  }

  /**
   * The list as JSON text: each row's cached `rom_ids` (already JSON) is spliced in as stored instead of being
   * parsed and serialised again, which is most of the work for collections of tens of thousands of ROMs.
   */
  async listJson(caller: number, updatedAfter?: number): Promise<string> {
    // With hide lists the members are filtered one by one; the splice below is for callers that hide nothing.
    if (await this.hider.hidesAnything(caller)) return JSON.stringify(await this.list(caller, updatedAfter));
    const rows = await this.shown(caller, await this.repo.listVisible(caller, updatedAfter));
    const parts = rows.map((row) => {
      const ids = row.rom_ids.trim();
      if (!/^\[[\d,\s]*\]$/.test(ids)) return JSON.stringify(toSmartCollectionSchema(row));
      const text = JSON.stringify(toSmartCollectionSchema({ ...row, rom_ids: '[]' }));
      // JSON.stringify escapes quotes inside strings, so the unescaped key can only be the field itself.
      return text.replace('"rom_ids":[]', () => `"rom_ids":${ids}`);
    });
    return `[${parts.join(',')}]`;
  }

  identifiers(caller: number): Promise<number[]> {
    return this.repo.visibleIds(caller);
  }

  async get(caller: CallerId, id: number): Promise<SmartCollectionSchema> {
    const [row] = await this.shown(caller, [await this.readable(caller, id)]);
    const [shown] = await this.hider.dropHiddenMembers([toSmartCollectionSchema(row as SmartCollectionRow)], caller);
    return shown as SmartCollectionSchema;
  }

  private async checkCriteria(caller: number, criteria: Record<string, unknown>): Promise<void> {
    const { collectionId } = filterFromCriteria(criteria);
    if (collectionId !== undefined) await this.collections.readable(caller, collectionId).catch((err: { status?: number }) => {
      if (err.status === 403) throw err;
    });
  }

  async create(caller: number, input: SmartCollectionInput): Promise<SmartCollectionSchema> {
    const name = checkName(input.name ?? '');
    const criteria = parseCriteria(input.filterCriteria ?? '{}');
    await this.checkCriteria(caller, criteria);
    if (await this.repo.nameTaken(caller, name)) throw collectionExists(name);
    const now = Date.now();
    let id: number;
    try {
      id = await this.repo.insert({
        user_id: caller, name, description: input.description ?? '', is_public: input.isPublic ? 1 : 0,
        filter_criteria: JSON.stringify(criteria), rom_ids: '[]', rom_count: 0, path_covers_small: '[]',
        path_covers_large: '[]', created_at: now, updated_at: now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw collectionExists(name);
      throw err;
    }
    await this.refresh(id);
    return this.get(caller, id);
  }

  async update(caller: number, id: number, input: SmartCollectionInput): Promise<SmartCollectionSchema> {
    const s = await this.owned(caller, id);
    const set: SmartCollectionUpdate = { updated_at: Math.max(Date.now(), Number(s.updated_at) + 1) };
    if (input.name !== undefined && input.name !== s.name) {
      set.name = checkName(input.name);
      if (await this.repo.nameTaken(caller, set.name, id)) throw collectionExists(set.name);
    }
    if (input.description !== undefined) set.description = input.description;
    if (input.isPublic !== undefined) set.is_public = input.isPublic ? 1 : 0;
    if (input.filterCriteria !== undefined) {
      const criteria = parseCriteria(input.filterCriteria);
      await this.checkCriteria(caller, criteria);
      set.filter_criteria = JSON.stringify(criteria);
    }
    try {
      await this.repo.update(id, set);
    } catch (err) {
      if (isUniqueViolation(err)) throw collectionExists(set.name ?? s.name);
      throw err;
    }
    await this.refresh(id);
    return this.get(caller, id);
  }

  async delete(caller: number, id: number): Promise<void> {
    await this.owned(caller, id);
    await this.repo.delete(id);
  }

  /** Recomputes one collection's cached membership as its owner; writes only when something moved. */
  async refresh(id: number): Promise<boolean> {
    const s = await this.repo.find(id);
    if (!s) return false;
    const owner = Number(s.user_id);
    const criteria = criteriaObject(s.filter_criteria);
    const ids = await this.query.ids({ filter: await this.filterFor(owner, criteria), order: orderOf(criteria), groupByMetaId: false }, this.context(owner));
    const small: string[] = [];
    const large: string[] = [];
    for (let i = 0; i < ids.length && (small.length < MAX_COVERS || large.length < MAX_COVERS); i += COVER_WINDOW) {
      const window = ids.slice(i, i + COVER_WINDOW);
      const byId = new Map((await this.repo.covers(window)).map((c) => [c.id, c]));
      for (const romId of window) {
        const c = byId.get(romId);
        if (c?.path_cover_s && small.length < MAX_COVERS) small.push(`${RESOURCES_PREFIX}/${c.path_cover_s}`);
        if (c?.path_cover_l && large.length < MAX_COVERS) large.push(`${RESOURCES_PREFIX}/${c.path_cover_l}`);
      }
    }
    const cachedIds = parseJsonValue(s.rom_ids);
    if (Array.isArray(cachedIds) && sameList(cachedIds, ids)
      && sameList(stripTs(parseJsonValue(s.path_covers_small)), small) && sameList(stripTs(parseJsonValue(s.path_covers_large)), large)) {
      return false;
    }
    // The cache-buster is the row's timestamp before this write, as RomM renders it.
    const ts = pyStrFromMs(Number(s.updated_at));
    await this.repo.update(id, {
      rom_ids: JSON.stringify(ids), rom_count: ids.length,
      path_covers_small: JSON.stringify(small.map((u) => `${u}?ts=${ts}`)),
      path_covers_large: JSON.stringify(large.map((u) => `${u}?ts=${ts}`)),
      updated_at: Math.max(Date.now(), Number(s.updated_at) + 1),
    });
    return true;
  }

  /**
   * Refreshes every smart collection, e.g. after a scan or a ROM edit (RomM does the same); the number refreshed.
   * Sequential on purpose: it runs beside requests and must not hog the database.
   */
  async refreshSmartCollections(): Promise<number> {
    const ids = await this.repo.allIds();
    for (const id of ids) await this.refresh(id);
    return ids.length;
  }

  private refreshTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<unknown> = Promise.resolve();

  /**
   * Debounced `refreshSmartCollections()` for bursts of changes (ROM edits, prop updates, deletions): one run a short
   * while after the last call, never two at once. Failures are left for the next run.
   */
  scheduleRefresh(delayMs = 500): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.refreshing = this.refreshing.then(() => this.refreshSmartCollections()).catch(() => undefined);
    }, delayMs);
    this.refreshTimer.unref();
  }

  /** Resolves once a scheduled refresh (if any) has run; for shutdown and tests. */
  async settled(): Promise<void> {
    if (this.refreshTimer) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = null;
      this.refreshing = this.refreshing.then(() => this.refreshSmartCollections()).catch(() => undefined);
    }
    await this.refreshing;
  }

  /** After a regular collection's membership changed: refresh the smart collections that can depend on it. */
  async refreshForCollection(c: CollectionRow): Promise<void> {
    for (const s of await this.repo.allCriteria()) {
      const criteria = criteriaObject(s.filter_criteria);
      const names = filterFromCriteria(criteria);
      const dependsOnFavorites = !!c.is_favorite && names.bools?.favorite !== undefined && s.user_id === Number(c.user_id);
      if (names.collectionId === Number(c.id) || dependsOnFavorites) await this.refresh(s.id);
    }
  }
}

function orderOf(criteria: Record<string, unknown>) {
  const orderBy = typeof criteria.order_by === 'string' && criteria.order_by !== '' ? criteria.order_by : 'name';
  const dir = typeof criteria.order_dir === 'string' && criteria.order_dir.toLowerCase() === 'desc' ? 'desc' as const : 'asc' as const;
  return { orderBy: orderBy.slice(0, 200).toLowerCase(), dir };
}
