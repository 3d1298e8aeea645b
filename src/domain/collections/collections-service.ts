import type { CollectionAccessRow, CollectionRow, CollectionsRepository, CollectionUpdate } from '../../db/repositories/collections-repository.ts';
import { isUniqueViolation } from '../../db/repositories/collections-sql.ts';
import type { CollectionCovers } from './covers.ts';
import { pickCovers } from './cover-pick.ts';
import { toCollectionSchema } from './mapper.ts';
import type { CollectionSchema } from '../../contract/collections.ts';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../common/errors.ts';
import { canRead, ownedItem, requireAccess, type Viewer } from '../../auth/access.ts';
import type { RomVisibility } from '../roms/visibility.ts';

/** Drops ROMs hidden from the caller from collections' `rom_ids`/`rom_count` (RomM 5). */
export type MemberHider = Pick<RomVisibility, 'dropHiddenMembers'>;

/** Who is asking; null for an anonymous caller (download routes with auth disabled). */
export type CallerId = Viewer;

export interface CreateCollectionInput {
  name: string;
  description: string;
  urlCover: string;
  isPublic: boolean;
  isFavorite: boolean;
  artwork?: Buffer;
}

export interface UpdateCollectionInput {
  /** JSON array text, required (spec §7.1). */
  romIds: string;
  name?: string;
  description?: string;
  urlCover?: string;
  isPublic?: boolean;
  removeCover: boolean;
  artwork?: Buffer;
}

export const collectionNotFound = (id: number | string) => notFound(`Collection with id '${id}' not found`);
export const collectionForbidden = (id: number | string) => forbidden(`Permission denied for collection with id '${id}'`);
export const collectionExists = (name: string) => conflict(`Collection with name '${name}' already exists`);

export function checkName(name: string): string {
  if (name.trim() === '') throw unprocessable('Collection name cannot be empty');
  if (name.length > 400) throw unprocessable('Collection name is longer than 400 characters');
  return name;
}

/** Membership changed: smart collections that depend on this collection may have moved. */
export type MembershipListener = (collection: CollectionRow) => Promise<void>;

/**
 * Regular collections (spec §7.1). Every entry point checks access here, not in the routes: reading someone
 * else's private collection is 403, and every write by anyone but the owner (admins included) is 403.
 */
export class CollectionsService {
  private listeners: MembershipListener[] = [];

  constructor(
    private readonly repo: CollectionsRepository,
    private readonly covers: CollectionCovers,
    private readonly hider: MemberHider,
  ) {}

  onMembershipChange(listener: MembershipListener): void {
    this.listeners.push(listener);
  }

  private async changed(c: CollectionRow): Promise<void> {
    for (const l of this.listeners) await l(c);
  }

  /** Schemas with member ids and up to five member covers each (batched over all the collections). */
  private async schemas(rows: CollectionRow[]): Promise<CollectionSchema[]> {
    const members = await this.repo.memberIds(rows.map((r) => Number(r.id)));
    const groups = rows.map((r) => ({ key: String(r.id), romIds: members.get(Number(r.id)) ?? [] }));
    const covers = await pickCovers(groups, (ids) => this.repo.covers(ids));
    return rows.map((r) => toCollectionSchema(r, members.get(Number(r.id)) ?? [], covers.get(String(r.id)) ?? { small: [], large: [] }));
  }

  private async schema(c: CollectionRow): Promise<CollectionSchema> {
    return (await this.schemas([c]))[0] as CollectionSchema;
  }

  private async reload(id: number): Promise<CollectionSchema> {
    const c = await this.repo.find(id);
    if (!c) throw collectionNotFound(id);
    return this.schema(c);
  }

  /** The collection if the caller may read it: 404 when absent, 403 when private and not theirs. */
  async readable(caller: CallerId, id: number): Promise<CollectionRow> {
    const c = await this.repo.find(id);
    if (!c) throw collectionNotFound(id);
    requireAccess(caller, ownedItem(c), 'read', () => collectionForbidden(id));
    return c;
  }

  /** The collection if the caller owns it (the only one who may change it). */
  async owned(caller: CallerId, id: number): Promise<CollectionRow> {
    const c = await this.repo.find(id);
    if (!c) throw collectionNotFound(id);
    requireAccess(caller, ownedItem(c), 'write', () => collectionForbidden(id));
    return c;
  }

  /** 403 for someone else's private collection; nothing for a readable or unknown one (selectors of ROM lists). */
  async assertReadableIfExists(caller: CallerId, id: number): Promise<void> {
    const c = await this.repo.find(id);
    if (c) requireAccess(caller, ownedItem(c), 'read', () => collectionForbidden(id));
  }

  /** Whether the user may read the collection, without throwing (smart criteria that name one). */
  async canRead(caller: CallerId, id: number): Promise<boolean> {
    const c = await this.repo.find(id);
    return !!c && canRead(caller, ownedItem(c));
  }

  /** Owner and visibility of the collections smart criteria draw from (see SmartSources). */
  sourceAccess(ids: readonly number[], favouritesOf: readonly number[]): Promise<CollectionAccessRow[]> {
    return this.repo.sourceAccess(ids, favouritesOf);
  }

  /**
   * Member ids for selectors such as `GET /api/roms?collection_id=` and bulk downloads, after the same access check
   * as `GET /api/collections/{id}`.
   */
  async resolveCollectionRomIds(caller: CallerId, id: number): Promise<number[]> {
    await this.readable(caller, id);
    return (await this.repo.memberIds([id])).get(id) ?? [];
  }

  /** Reads leave out ROMs hidden from the caller; writes answer with the full membership, as RomM's do. */
  async list(caller: number, updatedAfter?: number): Promise<CollectionSchema[]> {
    return this.hider.dropHiddenMembers(await this.schemas(await this.repo.listVisible(caller, updatedAfter)), caller);
  }

  identifiers(caller: number): Promise<number[]> {
    return this.repo.visibleIds(caller);
  }

  async get(caller: CallerId, id: number): Promise<CollectionSchema> {
    const [shown] = await this.hider.dropHiddenMembers([await this.schema(await this.readable(caller, id))], caller);
    return shown as CollectionSchema;
  }

  async create(caller: number, input: CreateCollectionInput): Promise<CollectionSchema> {
    const name = checkName(input.name);
    if (await this.repo.nameTaken(caller, name)) throw collectionExists(name);
    const now = Date.now();
    let id: number;
    try {
      id = await this.repo.insert({
        user_id: caller, name, description: input.description, is_public: input.isPublic ? 1 : 0,
        is_favorite: input.isFavorite ? 1 : 0, path_cover_s: '', path_cover_l: '', url_cover: input.urlCover,
        created_at: now, updated_at: now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw collectionExists(name);
      throw err;
    }
    try {
      const paths = input.artwork
        ? await this.covers.store(id, input.artwork)
        : input.urlCover ? await this.covers.fromUrl(id, input.urlCover) : null;
      if (paths) await this.repo.update(id, paths);
    } catch (err) {
      // RomM keeps the collection when the cover fails; a rejected cover should leave nothing behind.
      await this.repo.delete(id);
      await this.covers.removeAll(id);
      throw err;
    }
    return this.reload(id);
  }

  async update(caller: number, id: number, input: UpdateCollectionInput): Promise<CollectionSchema> {
    const c = await this.owned(caller, id);
    const romIds = parseRomIds(input.romIds);
    const set: CollectionUpdate = {};
    if (input.name !== undefined && input.name !== c.name) {
      set.name = checkName(input.name);
      if (await this.repo.nameTaken(caller, set.name, id)) throw collectionExists(set.name);
    }
    if (input.description !== undefined) set.description = input.description;
    if (input.isPublic !== undefined) set.is_public = input.isPublic ? 1 : 0;
    if (input.removeCover) {
      await this.covers.removeAll(id);
      Object.assign(set, { path_cover_s: '', path_cover_l: '', url_cover: '' });
    } else if (input.artwork) {
      Object.assign(set, await this.covers.store(id, input.artwork), { url_cover: '' });
    } else {
      const url = input.urlCover ?? c.url_cover;
      if (url !== c.url_cover || (url && !c.path_cover_l)) {
        Object.assign(set, url ? await this.covers.fromUrl(id, url) : { path_cover_s: '', path_cover_l: '' }, { url_cover: url });
      }
    }
    set.updated_at = Math.max(Date.now(), Number(c.updated_at) + 1);
    try {
      await this.repo.update(id, set);
    } catch (err) {
      if (isUniqueViolation(err)) throw collectionExists(set.name ?? c.name);
      throw err;
    }
    await this.repo.replaceMembers(id, romIds, Date.now());
    await this.changed(c);
    return this.reload(id);
  }

  async addRoms(caller: number, id: number, romIds: readonly number[]): Promise<CollectionSchema> {
    const c = await this.owned(caller, id);
    if (romIds.length && (await this.repo.addMembers(id, romIds, Date.now())) > 0) {
      await this.repo.touch(id, Date.now());
      await this.changed(c);
    }
    return this.reload(id);
  }

  async removeRoms(caller: number, id: number, romIds: readonly number[]): Promise<CollectionSchema> {
    const c = await this.owned(caller, id);
    if (romIds.length && (await this.repo.removeMembers(id, romIds)) > 0) {
      await this.repo.touch(id, Date.now());
      await this.changed(c);
    }
    return this.reload(id);
  }

  async delete(caller: number, id: number): Promise<void> {
    const c = await this.owned(caller, id);
    await this.repo.delete(id);
    await this.covers.removeAll(id);
    await this.changed(c);
  }
}

/** `rom_ids` of `PUT /api/collections/{id}`: a JSON array of integers, else RomM's 422. */
export function parseRomIds(text: string): number[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v))) {
    throw new AppError(422, 'Invalid list for rom_ids field in update collection');
  }
  return value as number[];
}
