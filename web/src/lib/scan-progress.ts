/**
 * Reading a scan's status defensively: an older server sends no phase and no metadata counters, and any counter
 * may be missing or not a number.
 */
import type { ScanTaskStatus } from './api/types';

export type ScanPhase = 'files' | 'metadata' | null;

/** The status's numeric counters; anything else is dropped. */
export function scanStats(status: ScanTaskStatus | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  const raw: unknown = status?.meta?.scan_stats;
  if (!raw || typeof raw !== 'object') return out;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
  }
  return out;
}

export function scanPhase(status: ScanTaskStatus | null | undefined): ScanPhase {
  const phase: unknown = status?.meta?.phase;
  return phase === 'files' || phase === 'metadata' ? phase : null;
}

/** RomM's job statuses while the job has not ended. */
const ACTIVE = ['queued', 'scheduled', 'deferred', 'started'];

export function isScanRunning(status: ScanTaskStatus | null | undefined): boolean {
  return !!status && ACTIVE.includes(status.status);
}

function ratio(done: number | undefined, total: number | undefined): number | null {
  if (!total || total <= 0) return null;
  return Math.max(0, Math.min(1, (done ?? 0) / total));
}

/** 0-1 for the progress bar: the phase's own counters, or ROMs then platforms as before phases existed. */
export function scanFraction(status: ScanTaskStatus | null | undefined): number {
  if (!status) return 0;
  if (status.status === 'finished') return 1;
  const s = scanStats(status);
  if (scanPhase(status) === 'metadata') return ratio(s.metadata_done, s.metadata_total) ?? 0;
  return ratio(s.scanned_roms, s.total_roms) ?? ratio(s.scanned_platforms, s.total_platforms) ?? 0;
}

/** One line saying what the scan is doing: `Fetching metadata: 12 / 40 ROMs`. */
export function phaseText(status: ScanTaskStatus | null | undefined): string {
  if (!status) return '';
  if (!isScanRunning(status)) {
    return { finished: 'Finished', failed: 'Failed', canceled: 'Canceled', stopped: 'Stopped' }[status.status] ?? status.status;
  }
  const s = scanStats(status);
  const count = (n: number | undefined) => (n ?? 0).toLocaleString('en-US');
  if (scanPhase(status) === 'metadata') {
    return s.metadata_total !== undefined ? `Fetching metadata: ${count(s.metadata_done)} / ${count(s.metadata_total)} ROMs` : 'Fetching metadata';
  }
  if (s.total_roms) return `Reading files: ${count(s.scanned_roms)} / ${count(s.total_roms)} ROMs`;
  return 'Reading files';
}

export interface WaitOptions {
  intervalMs?: number;
  signal?: AbortSignal;
  onStatus?: (status: ScanTaskStatus) => void;
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    }, { once: true });
  });
}

/**
 * Polls a started task until it ends and returns its last status. `poll` answering 404 means the server has
 * moved on to a newer task, so this one ended: its last known status is returned with status `ended`.
 */
export async function waitForTask(
  first: ScanTaskStatus,
  poll: (taskId: string) => Promise<ScanTaskStatus>,
  { intervalMs = 1000, signal, onStatus, sleep = abortableSleep }: WaitOptions = {},
): Promise<ScanTaskStatus> {
  let last = first;
  onStatus?.(last);
  while (isScanRunning(last)) {
    await sleep(intervalMs, signal);
    try {
      const next = await poll(first.task_id);
      if (next.task_id && first.task_id && next.task_id !== first.task_id) return { ...last, status: 'ended' };
      last = next;
    } catch (e) {
      if (e && typeof e === 'object' && 'status' in e && e.status === 404) return { ...last, status: 'ended' };
      throw e;
    }
    onStatus?.(last);
  }
  return last;
}

export interface SourceCounts {
  source: string;
  matched: number;
  unmatched: number;
  errors: number;
}

/** The metadata pass per provider (`meta.metadata_sources`); an older server sends none, bad entries are dropped. */
export function sourceCounts(status: ScanTaskStatus | null | undefined): SourceCounts[] {
  const raw: unknown = (status?.meta as { metadata_sources?: unknown } | undefined)?.metadata_sources;
  if (!raw || typeof raw !== 'object') return [];
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const out: SourceCounts[] = [];
  for (const [source, c] of Object.entries(raw as Record<string, unknown>)) {
    if (!c || typeof c !== 'object') continue;
    const r = c as Record<string, unknown>;
    out.push({ source, matched: num(r.matched), unmatched: num(r.unmatched), errors: num(r.errors) });
  }
  return out;
}
