import { hidesNothing, NOTHING_HIDDEN, type HiddenSets } from '../../db/repositories/hidden.ts';
import type { RomVisibilityRepository } from '../../db/repositories/rom-visibility-repository.ts';
import { notFound, type AppError } from '../../common/errors.ts';

/** Where the caller's hide lists come from (the permissions resolver; admins hide nothing). */
export interface HiddenSource {
  hiddenFor(userId: number | null): Promise<HiddenSets>;
}

/** A source for code paths that never hide anything (tools, benchmarks, tests of unrelated services). */
export const NO_HIDES: HiddenSource = { hiddenFor: () => Promise.resolve(NOTHING_HIDDEN) };

export const romNotFound = (id: number): AppError => notFound(`Rom with id '${id}' not found`);

/**
 * RomM 5's visibility model for single ROMs and id lists: a ROM hidden from the caller, itself or through its
 * platform, answers exactly like a missing one (404 with the route's own not-found detail), never 403, so its
 * existence does not leak. Callers without hides pay no query.
 */
export class RomVisibility {
  constructor(private readonly source: HiddenSource, private readonly repo: RomVisibilityRepository) {}

  hiddenFor(userId: number | null): Promise<HiddenSets> {
    return this.source.hiddenFor(userId);
  }

  /** Throws `onHidden()` (default: RomM's "Rom with id … not found") when the ROM is hidden from the caller. */
  async assertRom(romId: number, userId: number | null, onHidden: () => AppError = () => romNotFound(romId)): Promise<void> {
    if (!(await this.canSeeRom(romId, userId))) throw onHidden();
  }

  /** False when the ROM is hidden from the caller; true for visible and for unknown ids (their own 404 follows). */
  async canSeeRom(romId: number, userId: number | null): Promise<boolean> {
    const hidden = await this.source.hiddenFor(userId);
    if (hidesNothing(hidden)) return true;
    if (hidden.romIds.includes(romId)) return false;
    if (hidden.platformIds.length === 0) return true;
    const platformId = await this.repo.platformOfRom(romId);
    return platformId === null || !hidden.platformIds.includes(platformId);
  }

  /** The platform id, or RomM's 404 when the platform is hidden from the caller. */
  async visiblePlatform(userId: number | null, platformId: number): Promise<number> {
    const hidden = await this.source.hiddenFor(userId);
    if (hidden.platformIds.includes(platformId)) throw notFound(`Platform with ID ${platformId} not found`);
    return platformId;
  }

  /** The same for a RomFile id: the file's ROM decides. */
  async assertFile(fileId: number, userId: number | null, onHidden: () => AppError): Promise<void> {
    const hidden = await this.source.hiddenFor(userId);
    if (hidesNothing(hidden)) return;
    const owner = await this.repo.romOfFile(fileId);
    if (owner && (hidden.romIds.includes(owner.romId) || hidden.platformIds.includes(owner.platformId))) throw onHidden();
  }

  /** Every ROM id the hide lists take away: the hidden ROMs plus all ROMs of hidden platforms. */
  async hiddenRomIds(hidden: HiddenSets): Promise<Set<number>> {
    const out = new Set(hidden.romIds);
    for (const id of await this.repo.romIdsOnPlatforms(hidden.platformIds)) out.add(id);
    return out;
  }

  /**
   * Collections as the caller sees them: hidden ROMs leave each one's `rom_ids` and `rom_count` (RomM's
   * `_hide_collection_roms`); one query for all of them, none without hides.
   */
  async dropHiddenMembers<T extends { rom_ids: number[]; rom_count: number }>(schemas: T[], userId: number | null): Promise<T[]> {
    if (schemas.length === 0) return schemas;
    const hidden = await this.source.hiddenFor(userId);
    if (hidesNothing(hidden)) return schemas;
    const gone = await this.hiddenRomIds(hidden);
    if (gone.size === 0) return schemas;
    return schemas.map((s) => {
      const kept = s.rom_ids.filter((id) => !gone.has(id));
      return kept.length === s.rom_ids.length ? s : { ...s, rom_ids: kept, rom_count: kept.length };
    });
  }

  /** Whether the caller hides anything at all (the cheap test before a fast path). */
  async hidesAnything(userId: number | null): Promise<boolean> {
    return !hidesNothing(await this.source.hiddenFor(userId));
  }

  /** `ids` without those hidden from the caller, order kept (RomM's `get_hidden_rom_ids_among`). */
  async dropHidden(ids: readonly number[], userId: number | null): Promise<number[]> {
    const hidden = await this.source.hiddenFor(userId);
    if (hidesNothing(hidden) || ids.length === 0) return [...ids];
    const gone = await this.hiddenRomIds(hidden);
    return ids.filter((id) => !gone.has(id));
  }
}
