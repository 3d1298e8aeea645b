import { canRead, isOwner, ownedItem, requireAccess, type Viewer } from '../../auth/access.ts';
import type { RomFilter } from '../../contract/rom-filter.ts';
import type { CollectionAccessRow } from '../../db/repositories/collections-repository.ts';
import { filterFromCriteria } from '../roms/filter.ts';
import { collectionForbidden } from './collections-service.ts';
import { criteriaObject } from './mapper.ts';

/** Finds owner and visibility of collections by id, and of users' favourites collections. */
export interface SourceAccessLookup {
  sourceAccess(ids: readonly number[], favouritesOf: readonly number[]): Promise<CollectionAccessRow[]>;
}

/** A smart collection as far as its sources matter. */
export interface SmartSourceRow {
  id: number;
  user_id: number;
  filter_criteria: string;
}

/** The regular collections a smart collection's membership is drawn from besides the library itself. */
export interface SmartSourceSet {
  /** Named by `collection_id` in the criteria. */
  collectionId?: number;
  /** The owner whose favourites the criteria read (`favorite: true` or `false`). */
  favouritesOf?: number;
}

export function sourcesOf(row: SmartSourceRow): SmartSourceSet {
  const filter = filterFromCriteria(criteriaObject(row.filter_criteria));
  const out: SmartSourceSet = {};
  if (filter.collectionId !== undefined) out.collectionId = filter.collectionId;
  if (filter.bools?.favorite !== undefined) out.favouritesOf = Number(row.user_id);
  return out;
}

/**
 * Where smart criteria meet collection privacy, for every caller: the live evaluation of criteria as a viewer, and
 * whether a viewer may see the cached membership (computed as the owner). A smart collection's membership must
 * never show a caller what that caller may not read, however public the smart collection itself is.
 */
export class SmartSources {
  constructor(private readonly lookup: SourceAccessLookup) {}

  /**
   * Ids of the rows whose cached membership `viewer` may see: their own, or those whose every source collection
   * the viewer may read. The others are shown without members.
   */
  async membershipVisible(viewer: Viewer, rows: readonly SmartSourceRow[]): Promise<Set<number>> {
    const shown = new Set<number>();
    const pending: { id: number; sources: SmartSourceSet }[] = [];
    for (const row of rows) {
      const sources = sourcesOf(row);
      const own = isOwner(viewer, { ownerId: Number(row.user_id), isPublic: false });
      if (own || (sources.collectionId === undefined && sources.favouritesOf === undefined)) shown.add(Number(row.id));
      else pending.push({ id: Number(row.id), sources });
    }
    if (pending.length === 0) return shown;
    const access = await this.lookup.sourceAccess(
      pending.flatMap((p) => (p.sources.collectionId === undefined ? [] : [p.sources.collectionId])),
      pending.flatMap((p) => (p.sources.favouritesOf === undefined ? [] : [p.sources.favouritesOf])),
    );
    const readable = (c: CollectionAccessRow) => canRead(viewer, ownedItem(c));
    for (const { id, sources } of pending) {
      // An unknown named collection matches nothing: there is nothing to hide.
      const named = access.find((c) => c.id === sources.collectionId);
      const favourites = sources.favouritesOf === undefined ? [] : access.filter((c) => c.is_favorite && c.user_id === sources.favouritesOf);
      if ((!named || readable(named)) && favourites.every(readable)) shown.add(id);
    }
    return shown;
  }

  /**
   * The criteria as a ROM filter evaluated as `viewer` (favourites and statuses are the viewer's own). A named
   * collection the viewer may not read answers 403 (`forbid`, the ROM list) or empties the set (`empty`).
   */
  async filterFor(viewer: Viewer, criteria: Record<string, unknown>, unreadable: 'forbid' | 'empty'): Promise<RomFilter> {
    const filter = filterFromCriteria(criteria);
    if (filter.collectionId === undefined) return filter;
    const named = await this.collection(filter.collectionId);
    if (named && canRead(viewer, ownedItem(named))) return filter;
    if (named && unreadable === 'forbid') throw collectionForbidden(filter.collectionId);
    // An unknown collection matches nothing either way; the ROM list keeps the id in its filter.
    return !named && unreadable === 'forbid' ? filter : { smart: null };
  }

  /** 403 when `viewer` may not read regular collection `id`; an unknown id passes (as a scope it matches nothing). */
  async requireCollectionReadable(viewer: Viewer, id: number): Promise<void> {
    const named = await this.collection(id);
    if (named) requireAccess(viewer, ownedItem(named), 'read', () => collectionForbidden(id));
  }

  private async collection(id: number): Promise<CollectionAccessRow | undefined> {
    return (await this.lookup.sourceAccess([id], [])).find((c) => c.id === id);
  }
}
