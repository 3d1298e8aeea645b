import type { PlatformSchema } from '../../contract/platform.ts';
import { SCAN_TYPES, type ScanOptions, type ScanStats, type ScanType } from '../../scanner/types.ts';

/** RomM's `ScanStats` as sent in `scan:update_stats` and `scan:done`. */
export interface RommScanStats {
  total_platforms: number;
  total_roms: number;
  scanned_platforms: number;
  new_platforms: number;
  identified_platforms: number;
  scanned_roms: number;
  new_roms: number;
  identified_roms: number;
  scanned_firmware: number;
  new_firmware: number;
}

/** RomM's `scan:scanning_platform` payload. */
export interface RommScanningPlatform {
  id: number;
  slug: string;
  fs_slug: string;
  name: string;
  is_identified: boolean;
  display_name: string;
  new_firmware_count: number;
}

/** Our counters under RomM's names. `identified_platforms` is counted by the bridge (the scanner does not track it). */
export function toRommStats(stats: ScanStats, identifiedPlatforms: number): RommScanStats {
  return {
    total_platforms: stats.total_platforms, total_roms: stats.total_roms, scanned_platforms: stats.scanned_platforms,
    new_platforms: stats.new_platforms, identified_platforms: identifiedPlatforms, scanned_roms: stats.scanned_roms,
    new_roms: stats.new_roms, identified_roms: stats.identified_roms, scanned_firmware: stats.scanned_firmware, new_firmware: stats.new_firmware,
  };
}

/** `newFirmware`: firmware files this scan added to the platform (not its total). */
export function toScanningPlatform(p: PlatformSchema, newFirmware = 0): RommScanningPlatform {
  return {
    id: p.id, slug: p.slug, fs_slug: p.fs_slug, name: p.name, is_identified: p.is_identified,
    display_name: p.display_name, new_firmware_count: newFirmware,
  };
}

const MAX_ITEMS = 100_000;

/**
 * RomM's `scan` event payload as scan options: `platforms` (ids), `platform_fs_slugs`, `type` (default quick,
 * case-insensitive like RomM's enum lookup; `unidentified` is accepted for `unmatched` as in the task route),
 * `roms_ids`, `apis` (metadata sources). A malformed payload throws with a message for `scan:done_ko`.
 */
export function scanOptionsFromPayload(payload: unknown): Omit<ScanOptions, 'signal'> {
  const body = payload === undefined || payload === null ? {} : payload;
  if (typeof body !== 'object' || Array.isArray(body)) throw new Error('Invalid scan options');
  const o = body as Record<string, unknown>;
  const rawType = o.type === undefined || o.type === null ? 'quick' : o.type;
  if (typeof rawType !== 'string') throw new Error('Invalid scan type');
  const lowered = rawType.toLowerCase();
  const type = (lowered === 'unidentified' ? 'unmatched' : lowered) as ScanType;
  if (!SCAN_TYPES.includes(type)) throw new Error(`Invalid scan type: ${rawType.slice(0, 40)}`);
  const apis = optionalList(o.apis, 'apis', (v): v is string => typeof v === 'string' && v.length <= 40);
  return {
    type,
    platformIds: optionalList(o.platforms, 'platforms', isId) ?? [],
    platformFsSlugs: optionalList(o.platform_fs_slugs, 'platform_fs_slugs', (v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 400) ?? [],
    romIds: optionalList(o.roms_ids, 'roms_ids', isId) ?? [],
    // RomM's frontend always sends `apis`; without it every available local source runs, as in the task route.
    ...(apis ? { metadataSources: apis } : {}),
  };
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

function optionalList<T>(value: unknown, name: string, valid: (v: unknown) => v is T): T[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > MAX_ITEMS || !value.every(valid)) throw new Error(`Invalid scan option: ${name}`);
  return value;
}
