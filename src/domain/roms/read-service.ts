import type { RomQueryRepository } from '../../db/rom-query/rom-query-repository.ts';
import type { RomQueryCache } from '../../db/rom-query/cache.ts';
import { toFilterValues, type FacetCounts } from '../../db/rom-query/sidecars.ts';
import { DEFAULT_REGION_PRIORITY } from '../../db/rom-query/group.ts';
import { emptyFilterValues, type FilterValues, type RomFilter, type RomListSpec, type RomQueryContext } from '../../contract/rom-filter.ts';
import type { HashQuery, RomBundle, RomsReadRepository } from '../../db/repositories/roms-read-repository.ts';
import { collectionForbidden } from '../collections/collections-service.ts';
import { badRequest, notFound } from '../../common/errors.ts';
import { ownedItem, requireAccess } from '../../auth/access.ts';
import { EMPTY_ASSETS, toDetailedRomSchema, type UserAssets } from './mapper-detail.ts';

/** Where DetailedRom's `user_saves`, `user_states` and `user_screenshots` come from. */
export interface UserAssetsSource {
  forRom(userId: number, romId: number): Promise<UserAssets>;
}

const NO_USER_ASSETS: UserAssetsSource = { forRom: async () => EMPTY_ASSETS };
import { toRomFileSchema } from './mapper-parts.ts';
import { datFields, extrasByRom, screenshotPath, toRomSchema } from './mapper.ts';
import type { DetailedRomSchema, RomFileSchema, RomListPage, SimpleRomSchema } from '../../contract/rom.ts';
import { filterFromInput, type FilterInput } from './filter.ts';
import type { SmartSources } from '../collections/smart-sources.ts';
import { criteriaObject } from '../collections/mapper.ts';
import { PROVIDER_ID_PARAMS, type ProviderIdLookup } from '../../contract/rom-queries.ts';
import { hiddenKey, type HiddenSets } from '../../db/repositories/hidden.ts';
import { romNotFound, type HiddenSource } from './visibility.ts';
import type { AppError } from '../../common/errors.ts';

export interface RomListOptions {
  limit: number;
  offset: number;
  orderBy: string;
  orderDir: string;
  groupByMetaId: boolean;
  groupByDatParent?: boolean;
  withCharIndex: boolean;
  withFilterValues: boolean;
  withRomIdIndex: boolean;
  withTotal: boolean;
  withFiles: boolean;
}

/** The read side of ROMs: gallery list, lookups and single ROMs, as RomM shapes them (spec §3, §4). */
export class RomsReadService {
  constructor(
    private readonly query: RomQueryRepository,
    private readonly repo: RomsReadRepository,
    private readonly cache: RomQueryCache,
    private readonly smartSources: SmartSources,
    private readonly hides: HiddenSource,
    /** config.yml's `scan.priority.region`, asked for on each query (it may change while the server runs). */
    private readonly regionPriority: () => Promise<readonly string[]> = async () => DEFAULT_REGION_PRIORITY,
    /** The caller's saves, states and screenshots of a ROM (DetailedRom); none when not given. */
    private readonly userAssets: UserAssetsSource = NO_USER_ASSETS,
  ) {}

  private allCounts(version: number): Promise<FacetCounts> {
    return this.cache.get(version, 'facet-counts', () => this.query.allFacetCounts());
  }

  /** The caller, with the platforms and ROMs hidden from them (RomM 5): every list below leaves those out. */
  private async context(userId: number | null, hidden: HiddenSets): Promise<RomQueryContext> {
    return { userId, regionPriority: await this.regionPriority(), hidden };
  }

  /**
   * A filter from request parameters, with the smart collection's criteria resolved as the caller. Someone else's
   * private collection answers 403, as `GET /api/collections/{id}` does, whether it is named directly or by the
   * criteria of a smart collection; an unknown id simply matches nothing.
   */
  private async filter(input: FilterInput, userId: number | null): Promise<RomFilter> {
    const filter = filterFromInput(input);
    if (filter.collectionId !== undefined) await this.smartSources.requireCollectionReadable(userId, filter.collectionId);
    if (typeof input.smart_collection_id === 'number') {
      const smartId = input.smart_collection_id;
      const smart = await this.repo.findSmartCollection(smartId);
      if (smart) requireAccess(userId, ownedItem(smart), 'read', () => collectionForbidden(smartId));
      filter.smart = smart ? await this.smartSources.filterFor(userId, criteriaObject(smart.filter_criteria), 'forbid') : null;
    }
    return filter;
  }

  async list(input: FilterInput, opts: RomListOptions, userId: number | null): Promise<RomListPage> {
    const [filter, hidden] = await Promise.all([this.filter(input, userId), this.hides.hiddenFor(userId)]);
    const ctx = await this.context(userId, hidden);
    const spec: RomListSpec = {
      filter,
      order: { orderBy: opts.orderBy.toLowerCase(), dir: opts.orderDir.toLowerCase() === 'desc' ? 'desc' : 'asc' },
      groupByMetaId: opts.groupByMetaId,
      ...(opts.groupByMetaId || !opts.groupByDatParent ? {} : { groupByDatParent: true }),
    };
    // Index, count and sidecars are memoised per library version; only the page is hydrated every time.
    // The caller's own props move only their results: their per-user version is part of every key. So are their
    // hide lists ('' without any), which the permissions resolver re-reads whenever permissions change.
    const [version, userVersion] = await Promise.all([this.cache.currentVersion(), this.cache.userVersion(userId)]);
    // The region priority picks grouped lists' representatives: a change to it reaches new keys, not stale entries.
    const hides = hiddenKey(hidden);
    const key = cacheKey([userId, userVersion, hides, ctx.regionPriority, spec]);
    const scopeKey = cacheKey([userId, userVersion, hides, ctx.regionPriority, filter.platformIds, filter.collectionId, filter.virtualCollection, filter.smart, filter.searchTerm]);
    const cached = <T>(name: string, k: string, compute: () => Promise<T>) => this.cache.get(version, `${name}:${k}`, compute);
    const [index, page, count, charIndex, filterValues] = await Promise.all([
      opts.withRomIdIndex ? cached('ids', key, () => this.query.ids(spec, ctx)) : null,
      opts.withRomIdIndex ? null : this.query.pageIds(spec, ctx, opts.limit, opts.offset),
      !opts.withRomIdIndex && opts.withTotal ? cached('count', key, () => this.query.count(spec, ctx)) : null,
      opts.withCharIndex ? cached('chars', key, () => this.query.charIndex(spec, ctx)) : {},
      opts.withFilterValues
        ? cached('values', scopeKey, async () => toFilterValues(await this.query.scopedFacetCounts(filter, ctx, () => this.allCounts(version))))
        : emptyFilterValues(),
    ]);
    const pageIds = index ? index.slice(opts.offset, opts.offset + opts.limit) : (page ?? []);
    const items = await this.simpleRoms(pageIds, userId, hidden, { withFiles: opts.withFiles, screenshots: filter.bools?.last_played !== undefined });
    return {
      items,
      total: index ? index.length : count,
      limit: opts.limit,
      offset: opts.offset,
      char_index: charIndex,
      rom_id_index: index ?? [],
      filter_values: filterValues,
    };
  }

  /** `SimpleRomSchema`s in the order of `ids` (missing ids skipped); six statements whatever the count. */
  private async simpleRoms(
    ids: number[], userId: number | null, hidden: HiddenSets, opts: { withFiles: boolean; screenshots?: boolean },
  ): Promise<SimpleRomSchema[]> {
    const bundle: RomBundle = await this.repo.hydrate(ids, userId, hidden);
    const extras = extrasByRom(bundle);
    const byId = new Map(bundle.roms.map((r) => [Number(r.id), r]));
    const now = Date.now();
    const out: SimpleRomSchema[] = [];
    for (const id of ids) {
      const rom = byId.get(id);
      const ex = extras.get(id);
      if (!rom || !ex) continue;
      out.push({
        ...toRomSchema(rom, ex, opts.withFiles ? ex.files : [], now),
        screenshot_path: opts.screenshots ? screenshotPath(rom) : null,
        ...datFields(rom),
      });
    }
    return out;
  }

  async identifiers(userId: number | null): Promise<number[]> {
    const spec: RomListSpec = { filter: {}, order: { orderBy: 'name', dir: 'asc' }, groupByMetaId: false };
    const [version, userVersion, hidden] = await Promise.all([
      this.cache.currentVersion(), this.cache.userVersion(userId), this.hides.hiddenFor(userId),
    ]);
    const ctx = await this.context(userId, hidden);
    const key = cacheKey([userId, userVersion, hiddenKey(hidden), spec]);
    return this.cache.get(version, `ids:${key}`, () => this.query.ids(spec, ctx));
  }

  /** The caller's visible ROM ids for a list filter, in the gallery's default (name) order; not memoised. */
  async visibleIds(input: FilterInput, userId: number | null): Promise<number[]> {
    const [filter, hidden] = await Promise.all([this.filter(input, userId), this.hides.hiddenFor(userId)]);
    return this.query.ids({ filter, order: { orderBy: 'name', dir: 'asc' }, groupByMetaId: false }, await this.context(userId, hidden));
  }

  /** Drops every memoised result, as a library change does (benchmarks measure cold queries this way). */
  forgetCachedResults(): void {
    this.cache.clear();
  }

  async random(input: FilterInput, userId: number | null): Promise<SimpleRomSchema | null> {
    const [filter, hidden] = await Promise.all([this.filter(input, userId), this.hides.hiddenFor(userId)]);
    const id = await this.query.randomId(filter, await this.context(userId, hidden));
    if (id === null) return null;
    return (await this.simpleRoms([id], userId, hidden, { withFiles: false }))[0] ?? null;
  }

  async filters(): Promise<FilterValues> {
    const version = await this.cache.currentVersion();
    return this.cache.get(version, 'all-values', async () => toFilterValues(await this.allCounts(version)));
  }

  async simple(id: number, userId: number | null): Promise<SimpleRomSchema> {
    const rom = (await this.simpleRoms([id], userId, await this.hides.hiddenFor(userId), { withFiles: true }))[0];
    if (!rom) throw romNotFound(id);
    return rom;
  }

  /** A ROM hidden from the caller reads as missing: `missing()`, RomM's "Rom with id … not found" by default. */
  async detailed(id: number, userId: number | null, missing: () => AppError = () => romNotFound(id)): Promise<DetailedRomSchema> {
    const hidden = await this.hides.hiddenFor(userId);
    const [bundle, notes, holding] = await Promise.all([
      this.repo.hydrate([id], userId, hidden),
      this.repo.notes(id, userId),
      this.repo.userCollections(id, userId),
    ]);
    // A smart collection is listed only when the caller may see its membership, as on its own route.
    const smartShown = await this.smartSources.membershipVisible(userId, holding.smart);
    const collections = [
      ...holding.regular.map((c) => ({ ...c, is_smart: false })),
      ...holding.smart.filter((s) => smartShown.has(s.id)).map((s) => ({ id: s.id, name: s.name, is_smart: true })),
    ];
    const rom = bundle.roms[0];
    const ex = extrasByRom(bundle).get(id);
    if (!rom || !ex) throw missing();
    const assets = userId === null ? EMPTY_ASSETS : await this.userAssets.forRom(userId, id);
    return toDetailedRomSchema(rom, ex, notes, collections, assets);
  }

  async byProviderIds(ids: ProviderIdLookup, userId: number | null): Promise<DetailedRomSchema> {
    const given: ProviderIdLookup = {};
    for (const key of PROVIDER_ID_PARAMS) if (ids[key] !== undefined && ids[key] !== '') given[key] = ids[key];
    if (Object.keys(given).length === 0) throw badRequest('At least one metadata ID must be provided');
    const id = await this.repo.findByProviderIds(given);
    const missing = () => notFound('ROM not found with given metadata IDs');
    if (id === null) throw missing();
    return this.detailed(id, userId, missing);
  }

  async byHash(q: HashQuery, userId: number | null): Promise<DetailedRomSchema> {
    const given = Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string' && v !== '')) as HashQuery;
    if (Object.keys(given).length === 0) throw badRequest('At least one metadata hash value must be provided');
    const id = await this.repo.findByHash(given);
    const missing = () => notFound('No ROM or file found with given hash values');
    if (id === null) throw missing();
    return this.detailed(id, userId, missing);
  }

  /** `GET /api/roms/{file_id}/files`: the id is a RomFile id (spec §12.1); a hidden ROM's file is "not found". */
  async file(fileId: number, userId: number | null): Promise<RomFileSchema> {
    const file = await this.repo.findFile(fileId);
    const rom = file && (await this.repo.fullPathOf(Number(file.rom_id), await this.hides.hiddenFor(userId)));
    if (!file || !rom) throw notFound('File not found');
    return toRomFileSchema(file, `${rom.fs_path}/${rom.fs_name}`);
  }
}

/** JSON key in which an absent field (undefined) and an empty scope (null) stay distinct. */
const cacheKey = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (v === undefined ? '\u0000' : v));
