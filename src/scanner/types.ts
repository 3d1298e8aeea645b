import type { ScanIssue, IssueKind } from './issues.ts';

export const SCAN_TYPES = ['quick', 'complete', 'hashes', 'new_platforms'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

export interface ScanOptions {
  type: ScanType;
  /** Only these platform folders (fs_slug); all when empty. */
  platformFsSlugs?: string[];
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
}

export interface ScanProgress {
  stats: ScanStats;
  /** fs_slug of the platform being scanned. */
  platform: string | null;
  /** ROM candidates of all selected platforms found so far. */
  discovered: number;
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
    hashed_files: 0, hashed_bytes: 0, errors: 0,
  };
}
