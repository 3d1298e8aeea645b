import type { PlatformSchema } from '../../contract/platform.ts';
import type { ScanManager, ScanStatus } from '../../jobs/scan-manager.ts';
import type { ScanResult } from '../../scanner/types.ts';
import { toRommStats, toScanningPlatform } from './scan-payloads.ts';

export type EmitFn = (event: string, payload: unknown) => void;

export interface ScanBridgeOptions {
  /** The platform row of a folder the scan reached (null when it has none yet). */
  findPlatform: (fsSlug: string) => Promise<PlatformSchema | null>;
  emit: EmitFn;
  onError?: (err: unknown) => void;
}

/**
 * Turns the scan manager's events into RomM's: `scan:scanning_platform` the first time the file pass reports a
 * platform, `scan:update_stats` on every progress report, then `scan:done` (also after a cancel, as RomM sends it
 * on `scan:stop`) or `scan:done_ko` with the error. Emissions are chained so they leave in the order the scan made
 * them even though a platform lookup is asynchronous. Returns the function that unsubscribes.
 */
export function bridgeScanEvents(scans: ScanManager, options: ScanBridgeOptions): () => void {
  let taskId: string | null = null;
  let seen = new Set<string>();
  let identified = 0;
  let chain: Promise<void> = Promise.resolve();

  const enqueue = (step: () => Promise<void> | void) => {
    chain = chain.then(step).catch((err: unknown) => options.onError?.(err));
  };
  // A new task id is a new scan: its platforms and counters start again.
  const track = (s: ScanStatus) => {
    if (s.task_id === taskId) return;
    taskId = s.task_id;
    seen = new Set();
    identified = 0;
  };

  const onProgress = (s: ScanStatus) => {
    track(s);
    const slug = s.phase === 'files' ? s.current_platform : null;
    const stats = { ...s.stats };
    if (slug !== null && !seen.has(slug)) {
      seen.add(slug);
      const newFirmware = s.current_platform_new_firmware ?? 0;
      enqueue(async () => {
        const platform = await options.findPlatform(slug);
        if (!platform) return;
        if (platform.is_identified) identified++;
        options.emit('scan:scanning_platform', toScanningPlatform(platform, newFirmware));
      });
    }
    enqueue(() => options.emit('scan:update_stats', toRommStats(stats, identified)));
  };
  const onDone = (result: ScanResult, s: ScanStatus) => {
    track(s);
    enqueue(() => options.emit('scan:done', toRommStats(result.stats, identified)));
  };
  const onError = (err: unknown, s: ScanStatus) => {
    track(s);
    enqueue(() => options.emit('scan:done_ko', err instanceof Error ? err.message : String(err)));
  };

  scans.on('progress', onProgress);
  scans.on('done', onDone);
  scans.on('error', onError);
  return () => {
    scans.off('progress', onProgress);
    scans.off('done', onDone);
    scans.off('error', onError);
  };
}
