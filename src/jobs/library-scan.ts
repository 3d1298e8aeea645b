/**
 * One library scan as users start it: the file pass (walk, hash, apply: ROMs become visible as their batches
 * commit), then the metadata pass with the sources chosen for this scan, both under the one database-wide scan
 * lock. `update` and `unmatched` scans, and scans of chosen ROMs, run the metadata pass alone, as in RomM they never
 * add ROM files (they still scan firmware); `hashes` runs the file pass alone.
 */
import type { ScanLockRepository } from '../db/repositories/scan-lock-repository.ts';
import { runMetadataPass, type MetadataPassDeps, type MetadataPassResult } from '../metadata/pass.ts';
import { isSourceId, type SourceId } from '../metadata/types.ts';
import type { MetadataScanType } from '../metadata/merge.ts';
import { ScanIssues } from '../scanner/issues.ts';
import { withScanLock } from '../scanner/scan-lock.ts';
import { runFirmwarePass, runScanLocked, type ScannerDeps } from '../scanner/scanner.ts';
import { emptyStats, type ScanOptions, type ScanResult, type ScanStats } from '../scanner/types.ts';

export interface LibraryScanDeps {
  scanner: ScannerDeps;
  lock: ScanLockRepository;
  /** Null when the metadata subsystem is not wired (the scan benchmark's files-only runs). */
  metadata: Omit<MetadataPassDeps, 'issues' | 'onProgress'> | null;
}

export interface LibraryScanResult extends ScanResult {
  metadata: MetadataPassResult | null;
}

const METADATA_TYPE: Record<ScanOptions['type'], MetadataScanType | null> = {
  new_platforms: 'quick', quick: 'quick', update: 'update', unmatched: 'unmatched', complete: 'complete', hashes: null,
};

/** Sources named by the caller, reduced to known slugs; undefined keeps "every available local source". */
export function chosenSources(names: readonly string[] | undefined): SourceId[] | undefined {
  if (names === undefined) return undefined;
  return [...new Set(names.map((n) => n.trim().toLowerCase()).filter(isSourceId))];
}

export async function runLibraryScan(deps: LibraryScanDeps, options: ScanOptions): Promise<LibraryScanResult> {
  return withScanLock(deps.lock, async () => {
    const started = Date.now();
    const romScoped = (options.romIds?.length ?? 0) > 0;
    const metadataOnly = options.type === 'update' || options.type === 'unmatched' || romScoped;
    // Scans of chosen ROMs leave firmware alone; `update` and `unmatched` still scan it, as in RomM.
    const files: ScanResult = romScoped
      ? { type: options.type, stats: emptyStats(), cancelled: false, durationMs: 0, issueCounts: {}, issues: [] }
      : metadataOnly ? await runFirmwarePass(deps.scanner, options) : await runScanLocked(deps.scanner, options);
    const stats: ScanStats = { ...files.stats };
    const metaType = METADATA_TYPE[options.type];
    const sources = chosenSources(options.metadataSources);
    if (!deps.metadata || metaType === null || files.cancelled || options.signal?.aborted || sources?.length === 0) {
      return { ...files, stats, metadata: null, durationMs: Date.now() - started };
    }

    const issues = new ScanIssues((issue) => deps.scanner.onIssue?.(issue));
    const metadata = await runMetadataPass({
      ...deps.metadata,
      issues: { add: (kind, path, message) => issues.add(kind, path, message) },
      onProgress: (p) => {
        Object.assign(stats, { metadata_total: p.total, metadata_done: p.done, identified_roms: p.identified, metadata_errors: p.errors });
        deps.scanner.onProgress?.({
          phase: 'metadata', stats: { ...stats }, platform: p.platform, discovered: stats.total_roms,
          ...(p.perSource ? { metadataSources: p.perSource } : {}),
        });
      },
    }, {
      type: metaType,
      ...(sources ? { sources } : {}),
      ...(options.platformIds?.length ? { platformIds: options.platformIds } : {}),
      ...(options.platformFsSlugs?.length ? { platformFsSlugs: options.platformFsSlugs } : {}),
      ...(options.romIds?.length ? { romIds: options.romIds } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    Object.assign(stats, {
      metadata_total: metadata.total, metadata_done: metadata.processed, identified_roms: metadata.identified,
      metadata_errors: metadata.errors, errors: stats.errors + metadata.errors,
    });
    const issueCounts = { ...files.issueCounts };
    for (const [kind, n] of Object.entries(issues.counts)) issueCounts[kind as keyof typeof issueCounts] = (issueCounts[kind as keyof typeof issueCounts] ?? 0) + (n ?? 0);
    return {
      type: options.type, stats, cancelled: metadata.cancelled, durationMs: Date.now() - started, issueCounts,
      issues: [...files.issues, ...issues.samples].slice(0, 100), metadata,
    };
  });
}
