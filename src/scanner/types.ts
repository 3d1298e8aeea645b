import type { ScanIssue, IssueKind } from './issues.ts';

/** RomM's scan types; `update` and `unmatched` only run metadata (they never add files). */
export const SCAN_TYPES = ['new_platforms', 'quick', 'update', 'unmatched', 'complete', 'hashes'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

export interface ScanOptions {
  type: ScanType;
  /** Only these platform folders (fs_slug); all when empty. */
  platformFsSlugs?: string[];
  /** Only these platforms (ids); all when empty. */
  platformIds?: number[];
  /** Only these ROMs: their metadata is re-run, no file is walked. */
  romIds?: number[];
  /** Metadata sources to run (RomM's `apis`); absent: every available local source; empty: none. */
  metadataSources?: string[];
  signal?: AbortSignal;
}

/** Counters of a scan, reported while it runs and at the end (RomM's `scan:update_stats` names plus ours). */
export interface ScanStats {
  total_platforms: number;
  scanned_platforms: number;
  new_platforms: number;
  missing_platforms: number;
  total_roms: number;
  scanned_roms: number;
  new_roms: number;
  updated_roms: number;
  reassociated_roms: number;
  unchanged_roms: number;
  missing_roms: number;
  hashed_files: number;
  hashed_bytes: number;
  errors: number;
  /** ROMs the metadata pass visits, has visited, and found in at least one source. */
  metadata_total: number;
  metadata_done: number;
  identified_roms: number;
  metadata_errors: number;
  /** Firmware files found in the scanned platforms' firmware folders, and those that had no row before. */
  scanned_firmware: number;
  new_firmware: number;
}

export interface ScanProgress {
  phase: 'files' | 'metadata';
  stats: ScanStats;
  /** fs_slug of the platform being scanned. */
  platform: string | null;
  /** ROM candidates of all selected platforms found so far. */
  discovered: number;
  /** Firmware files of `platform` this scan added (RomM's `new_firmware_count`), once its firmware is scanned. */
  platformNewFirmware?: number;
  /** Metadata phase: per source, ROMs matched, not matched and failed lookups so far. */
  metadataSources?: Partial<Record<string, { matched: number; unmatched: number; errors: number }>>;
}

export interface ScanResult {
  type: ScanType;
  stats: ScanStats;
  cancelled: boolean;
  durationMs: number;
  issueCounts: Partial<Record<IssueKind, number>>;
  issues: ScanIssue[];
}

export function emptyStats(): ScanStats {
  return {
    total_platforms: 0, scanned_platforms: 0, new_platforms: 0, missing_platforms: 0, total_roms: 0,
    scanned_roms: 0, new_roms: 0, updated_roms: 0, reassociated_roms: 0, unchanged_roms: 0, missing_roms: 0,
    hashed_files: 0, hashed_bytes: 0, errors: 0, metadata_total: 0, metadata_done: 0, identified_roms: 0, metadata_errors: 0,
    scanned_firmware: 0, new_firmware: 0,
  };
}
