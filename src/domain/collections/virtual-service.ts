import { VIRTUAL_MIN_ROMS, type VirtualCollectionsRepository, type VirtualGroup } from '../../db/repositories/collections-virtual-repository.ts';
import { pickCovers, type PickedCovers } from './cover-pick.ts';
import { resourceUrl } from './mapper.ts';
import type { VirtualCollectionSchema } from '../../contract/collections.ts';
import { collectionNotFound, type MemberHider } from './collections-service.ts';
import { isoFromMs } from '../../common/time.ts';
import { decodeVirtualCollectionId, encodeVirtualCollectionId, VIRTUAL_TYPE_FACETS } from './virtual-id.ts';

const TYPE_OF_KIND: Record<string, string> = Object.fromEntries(Object.entries(VIRTUAL_TYPE_FACETS).map(([t, k]) => [k, t]));
const ALL_KINDS = Object.values(VIRTUAL_TYPE_FACETS);
const CACHE_ENTRIES = 16;

/** `type` query value → facet kinds (`all`: every type; unknown: none, so an empty list as in RomM). */
export function kindsForType(type: string): string[] {
  if (type === 'all') return ALL_KINDS;
  const kind = VIRTUAL_TYPE_FACETS[type];
  return kind ? [kind] : [];
}

/**
 * Virtual collections (spec §7.3): groups of at least three ROMs sharing a genre, franchise, collection, game mode
 * or company, read from `rom_facets`. Ids are RomM's (base64 of Python's json.dumps), so stored ids keep working.
 */
export class VirtualCollectionsService {
  /** Serialized listings by (type, limit), valid while the facets version they were built at is current. */
  private readonly cache = new Map<string, { version: number; json: Buffer }>();

  constructor(
    private readonly repo: VirtualCollectionsRepository,
    private readonly hider: MemberHider & { hidesAnything(userId: number | null): Promise<boolean> },
  ) {}

  /**
   * The listing for a caller: the shared cached JSON when they hide nothing, else the same groups with the ROMs
   * hidden from them left out of `rom_ids` and `rom_count` (RomM 5; groups stay listed, as in RomM).
   */
  async listJsonFor(userId: number | null, type: string, limit?: number): Promise<Buffer> {
    const json = await this.listJson(type, limit);
    if (!(await this.hider.hidesAnything(userId))) return json;
    const groups = JSON.parse(json.toString('utf8')) as VirtualCollectionSchema[];
    return Buffer.from(JSON.stringify(await this.hider.dropHiddenMembers(groups, userId)));
  }

  /** One virtual collection as the caller sees it. */
  async getFor(userId: number | null, id: string): Promise<VirtualCollectionSchema> {
    const [shown] = await this.hider.dropHiddenMembers([await this.get(id)], userId);
    return shown as VirtualCollectionSchema;
  }

  /**
   * The listing as JSON text, rebuilt only when `rom_facets` (or a ROM's cover) changed since the last build: one
   * single-row read per request otherwise. Timestamps and cover cache-busters are those of the build.
   */
  async listJson(type: string, limit?: number): Promise<Buffer> {
    if (kindsForType(type).length === 0) return Buffer.from('[]');
    const key = `${type}\u0000${limit ?? ''}`;
    const version = await this.repo.facetsVersion();
    const hit = this.cache.get(key);
    if (hit?.version === version) return hit.json;
    // Kept encoded: a hit costs no UTF-8 conversion of megabytes.
    const json = Buffer.from(JSON.stringify(await this.list(type, limit)));
    this.cache.delete(key);
    // A handful of (type, limit) pairs are in use; drop the oldest beyond that.
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { version, json });
    return json;
  }

  async identifiersJson(): Promise<Buffer> {
    const version = await this.repo.facetsVersion();
    const hit = this.cache.get('identifiers');
    if (hit?.version === version) return hit.json;
    const json = Buffer.from(JSON.stringify(await this.identifiers()));
    this.cache.set('identifiers', { version, json });
    return json;
  }

  async list(type: string, limit?: number): Promise<VirtualCollectionSchema[]> {
    const groups = await this.repo.groups(kindsForType(type), limit);
    const covers = await this.covers(groups);
    const now = Date.now();
    return groups.map((g) => this.schema(g, covers, now));
  }

  async identifiers(): Promise<string[]> {
    const names = await this.repo.names(ALL_KINDS);
    return names.map((n) => encodeVirtualCollectionId(n.value, TYPE_OF_KIND[n.kind] ?? n.kind));
  }

  async get(id: string): Promise<VirtualCollectionSchema> {
    const ref = decodeVirtualCollectionId(id);
    const kind = ref ? VIRTUAL_TYPE_FACETS[ref.type] : undefined;
    if (!ref || !kind) throw collectionNotFound(id);
    const romIds = await this.repo.members(kind, ref.name);
    if (romIds.length < VIRTUAL_MIN_ROMS) throw collectionNotFound(id);
    const group = { kind, value: ref.name, romIds };
    return this.schema(group, await this.covers([group]), Date.now());
  }

  /** Member ids for selectors (`virtual_collection_id`); no minimum size, as RomM filters. */
  async resolveVirtualRomIds(id: string): Promise<number[]> {
    const ref = decodeVirtualCollectionId(id);
    const kind = ref ? VIRTUAL_TYPE_FACETS[ref.type] : undefined;
    return ref && kind ? this.repo.members(kind, ref.name) : [];
  }

  private schema(g: VirtualGroup, covers: Map<string, PickedCovers>, now: number): VirtualCollectionSchema {
    const c = covers.get(key(g)) ?? { small: [], large: [] };
    const type = TYPE_OF_KIND[g.kind] ?? g.kind;
    return {
      name: g.value,
      description: `Autogenerated ${g.value} collection`,
      rom_ids: g.romIds,
      rom_count: g.romIds.length,
      path_cover_small: null,
      path_cover_large: null,
      path_covers_small: c.small.map((p) => resourceUrl(p, now)),
      path_covers_large: c.large.map((p) => resourceUrl(p, now)),
      is_public: false,
      is_favorite: false,
      is_virtual: true,
      is_smart: false,
      created_at: isoFromMs(now),
      updated_at: isoFromMs(now),
      id: encodeVirtualCollectionId(g.value, type),
      type,
    };
  }

  private async covers(groups: VirtualGroup[]): Promise<Map<string, PickedCovers>> {
    return pickCovers(groups.map((g) => ({ key: key(g), romIds: g.romIds })), (ids) => this.repo.covers(ids));
  }
}

const key = (g: { kind: string; value: string }) => `${g.kind}\u0000${g.value}`;
