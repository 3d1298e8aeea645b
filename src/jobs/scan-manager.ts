import { EventEmitter } from 'node:events';
import type { ScanIssue } from '../scanner/issues.ts';
import type { ScannerDeps } from '../scanner/scanner.ts';
import { emptyStats, type ScanOptions, type ScanProgress, type ScanResult, type ScanStats, type ScanType } from '../scanner/types.ts';
import { AppError, conflict } from '../common/errors.ts';
import type { ScanLockRepository } from '../db/repositories/scan-lock-repository.ts';
import { SCAN_LOCK_STALE_MS } from '../scanner/scan-lock.ts';

export interface ScanStatus {
  /** Id of the latest scan task (null before the first). */
  task_id: string | null;
  running: boolean;
  type: ScanType | null;
  platforms: string[];
  started_at: number | null;
  finished_at: number | null;
  current_platform: string | null;
  /** Firmware files the scan added to `current_platform` (reported once its firmware is scanned), else null. */
  current_platform_new_firmware: number | null;
  /** The running scan's phase. */
  phase: 'files' | 'metadata' | null;
  stats: ScanStats;
  /** The metadata pass per source: ROMs matched, not matched, failed lookups (empty before that phase). */
  metadata_sources: SourceCountsBySource;
  cancelled: boolean;
  error: string | null;
}

export type SourceCountsBySource = Record<string, { matched: number; unmatched: number; errors: number }>;

/** One scan of the library into its database (bound by the composition root); the hooks vary per run. */
export type ScanRunner = (hooks: Pick<ScannerDeps, 'onIssue' | 'onProgress'>, options: ScanOptions) => Promise<ScanResult>;

export interface ScanManagerOptions {
  run: ScanRunner;
  /** The database-wide lock, read to refuse a scan while another process holds it. */
  lock: Pick<ScanLockRepository, 'holder'>;
  onIssue?: (issue: ScanIssue) => void;
}

/**
 * One scan at a time, in process. Events: `progress` (ScanProgress), `done` (ScanResult), `error` (Error).
 * `start` refuses a second scan with RomM's message; `cancel` stops the running one between ROMs.
 */
export class ScanManager extends EventEmitter {
  private controller: AbortController | null = null;
  private current: Promise<ScanResult> | null = null;
  private seq = 0;
  private state: ScanStatus = {
    task_id: null, running: false, type: null, platforms: [], started_at: null, finished_at: null, current_platform: null,
    current_platform_new_firmware: null, phase: null, stats: emptyStats(), metadata_sources: {}, cancelled: false, error: null,
  };

  constructor(private readonly options: ScanManagerOptions) {
    super();
    // Progress listeners come and go with SSE clients; an unhandled 'error' must not crash the server.
    this.on('error', () => undefined);
  }

  status(): ScanStatus {
    return { ...this.state, stats: { ...this.state.stats }, metadata_sources: copyCounts(this.state.metadata_sources) };
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** Starts a scan and returns at once; `done()` resolves with its result. */
  start(options: Omit<ScanOptions, 'signal'>): ScanStatus {
    if (this.current) throw conflict('A scan is already in progress');
    const controller = new AbortController();
    this.controller = controller;
    this.state = {
      task_id: `scan-${Date.now().toString(36)}-${++this.seq}`, running: true, type: options.type, platforms: options.platformFsSlugs ?? [], started_at: Date.now(),
      finished_at: null, current_platform: null, current_platform_new_firmware: null, phase: 'files', stats: emptyStats(), metadata_sources: {}, cancelled: false, error: null,
    };
    this.current = this.options.run({
      ...(this.options.onIssue ? { onIssue: this.options.onIssue } : {}),
      onProgress: (p: ScanProgress) => {
        this.state.stats = p.stats;
        this.state.current_platform = p.platform;
        this.state.current_platform_new_firmware = p.platformNewFirmware ?? null;
        this.state.phase = p.phase;
        if (p.metadataSources) this.state.metadata_sources = copyCounts(p.metadataSources);
        this.emit('progress', this.status());
      },
    }, { ...options, signal: controller.signal })
      .then((result) => {
        Object.assign(this.state, { stats: result.stats, cancelled: result.cancelled });
        // The library scan's result carries the metadata pass's per-source counts.
        const perSource = (result as { metadata?: { perSource?: Partial<SourceCountsBySource> } | null }).metadata?.perSource;
        if (perSource) this.state.metadata_sources = copyCounts(perSource);
        return result;
      })
      .catch((err: unknown) => {
        this.state.error = err instanceof Error ? err.message : String(err);
        throw err;
      })
      .finally(() => {
        Object.assign(this.state, { running: false, finished_at: Date.now(), current_platform: null, current_platform_new_firmware: null, phase: null });
        this.current = null;
        this.controller = null;
      });
    this.current.then((r) => this.emit('done', r, this.status()), (e: unknown) => this.emit('error', e, this.status()));
    return this.status();
  }

  /**
   * `start`, after checking that no other process (a `romshelf scan`, another server on the same database) holds
   * the scan lock, so the API answers 409 at once instead of reporting a failed task.
   */
  async startWhenFree(options: Omit<ScanOptions, 'signal'>): Promise<ScanStatus> {
    if (this.current) throw conflict('A scan is already in progress');
    const holder = await this.options.lock.holder();
    if (holder?.owner && holder.heartbeat_at >= Date.now() - SCAN_LOCK_STALE_MS) throw conflict('A scan is already in progress');
    return this.start(options);
  }

  /** The running scan's result (or null when none runs). */
  done(): Promise<ScanResult> | null {
    return this.current;
  }

  cancel(): boolean {
    if (!this.controller) return false;
    this.controller.abort();
    return true;
  }

  /** Runs a scan to the end unless one is already running (then null). */
  async runIfIdle(options: Omit<ScanOptions, 'signal'>): Promise<ScanResult | null> {
    if (this.current) return null;
    try {
      await this.startWhenFree(options);
    } catch (err) {
      // Another process is scanning: this tick has nothing to do.
      if (err instanceof AppError && err.status === 409) return null;
      throw err;
    }
    return this.current;
  }
}

function copyCounts(counts: Partial<SourceCountsBySource>): SourceCountsBySource {
  const out: SourceCountsBySource = {};
  for (const [source, c] of Object.entries(counts)) if (c) out[source] = { matched: c.matched, unmatched: c.unmatched, errors: c.errors };
  return out;
}

export interface BackgroundScans {
  stop(): void;
}

/**
 * `npm start`: a quick scan at start (when enabled) and a periodic quick scan every `intervalSeconds` (0 = off)
 * that picks up new files. A periodic tick is skipped while another scan runs.
 */
export function startBackgroundScans(manager: ScanManager, opts: { scanOnStart: boolean; intervalSeconds: number; log?: (msg: string, err?: unknown) => void }): BackgroundScans {
  const tick = () => {
    manager.runIfIdle({ type: 'quick' }).catch((err: unknown) => opts.log?.('background scan failed', err));
  };
  if (opts.scanOnStart) tick();
  const timer = opts.intervalSeconds > 0 ? setInterval(tick, opts.intervalSeconds * 1000) : null;
  timer?.unref();
  return { stop: () => { if (timer) clearInterval(timer); manager.cancel(); } };
}
