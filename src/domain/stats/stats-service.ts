import { METADATA_SOURCE_COLUMNS, type MetadataSource, type StatsRepository } from '../../db/repositories/stats-repository.ts';
import type { MetadataCoverageItem, RegionBreakdownItem, StatsReturn } from '../../contract/stats.ts';
import type { HiddenSource } from '../roms/visibility.ts';

export class StatsService {
  constructor(private readonly repo: StatsRepository, private readonly hides: HiddenSource) {}

  /** Platforms and ROMs hidden from the caller are not counted, as in RomM 5. */
  async stats(includePlatformStats: boolean, userId: number | null): Promise<StatsReturn> {
    const hidden = await this.hides.hiddenFor(userId);
    const totals = await this.repo.totals(hidden);
    // Saves, states and screenshots are not stored by romshelf: RomM clients read zero.
    const result: StatsReturn = {
      PLATFORMS: totals.platforms,
      ROMS: totals.roms,
      SAVES: 0,
      STATES: 0,
      SCREENSHOTS: 0,
      TOTAL_FILESIZE_BYTES: totals.totalFileSizeBytes,
    };
    if (!includePlatformStats) return result;

    const coverage: Record<string, MetadataCoverageItem[]> = {};
    for (const [platformId, counts] of await this.repo.metadataCoverage(hidden)) {
      coverage[String(platformId)] = (Object.keys(METADATA_SOURCE_COLUMNS) as MetadataSource[])
        .filter((source) => counts[source] > 0)
        .map((source) => ({ source, matched: counts[source] }));
    }
    const regions: Record<string, RegionBreakdownItem[]> = {};
    for (const row of await this.repo.regionCounts(hidden)) {
      (regions[String(row.platformId)] ??= []).push({ region: row.region, count: row.count });
    }
    // Most common region first, like RomM; ties by name so the order is stable.
    for (const list of Object.values(regions)) list.sort((a, b) => b.count - a.count || a.region.localeCompare(b.region));
    return { ...result, METADATA_COVERAGE: coverage, REGION_BREAKDOWN: regions };
  }
}
