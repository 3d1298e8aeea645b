import { Type, type Static } from 'typebox';

/** RomM's `StatsReturn`; the per-platform breakdowns only when asked for. */

const MetadataCoverageItem = Type.Object({ source: Type.String(), matched: Type.Integer() });
const RegionBreakdownItem = Type.Object({ region: Type.String(), count: Type.Integer() });

export const StatsReturn = Type.Object({
  PLATFORMS: Type.Integer(),
  ROMS: Type.Integer(),
  SAVES: Type.Integer(),
  STATES: Type.Integer(),
  SCREENSHOTS: Type.Integer(),
  TOTAL_FILESIZE_BYTES: Type.Integer(),
  METADATA_COVERAGE: Type.Optional(Type.Record(Type.String(), Type.Array(MetadataCoverageItem))),
  REGION_BREAKDOWN: Type.Optional(Type.Record(Type.String(), Type.Array(RegionBreakdownItem))),
});

export const StatsQuery = Type.Object({ include_platform_stats: Type.Boolean({ default: false }) });

export type MetadataCoverageItem = Static<typeof MetadataCoverageItem>;
export type RegionBreakdownItem = Static<typeof RegionBreakdownItem>;
export type StatsReturn = Static<typeof StatsReturn>;
