/**
 * Re-fetching ROMs after an edit set a provider id (PUT /api/roms/{id} with `igdb_id=…`): RomM fetches that
 * provider's data by id inside the request; here the metadata pass runs for those ROMs with those sources, as a scan
 * task of the scan manager (same lock, progress and task status as any scan), and providers look the ROM up by the
 * id now stored (`MetadataRom.ids`). The request waits for it at most `waitMs`, so a slow or unreachable provider
 * never holds an edit for longer; past that the refresh finishes in the background.
 *
 * Only one scan runs at a time: a refresh asked while another scan runs starts when it ends. Refreshes asked together
 * with the same sources share one task.
 */
import { AppError } from '../common/errors.ts';
import type { SourceId } from '../metadata/types.ts';
import type { ScanManager } from './scan-manager.ts';

/** `done`: the refresh ran; `pending`: it runs in the background; `none`: no chosen source can run. */
export type RefreshOutcome = 'done' | 'pending' | 'none';

export interface RomRefreshOptions {
  scans: Pick<ScanManager, 'done' | 'startWhenFree'>;
  /** Sources whose provider is configured now. */
  availableSources(): Promise<SourceId[]>;
  /** How long an edit waits for its refresh. */
  waitMs?: number;
  /** Pause before asking again while another process holds the scan lock, and how many times. */
  retryMs?: number;
  maxRetries?: number;
  log?: (msg: string, err?: unknown) => void;
}

interface Batch {
  sources: SourceId[];
  romIds: Set<number>;
  waiters: (() => void)[];
}

export class RomRefreshQueue {
  waitMs: number;
  private readonly pending = new Map<string, Batch>();
  private pumping = false;

  constructor(private readonly options: RomRefreshOptions) {
    this.waitMs = options.waitMs ?? 8000;
  }

  /** Queues a refresh of one ROM with these sources and waits for it at most `waitMs`. */
  async refresh(romId: number, sources: readonly SourceId[]): Promise<RefreshOutcome> {
    const available = new Set(await this.options.availableSources());
    const chosen = [...new Set(sources)].filter((s) => available.has(s)).sort();
    if (chosen.length === 0) return 'none';
    const ran = this.enqueue(romId, chosen);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'pending'>((resolve) => {
      timer = setTimeout(() => resolve('pending'), this.waitMs);
    });
    try {
      return await Promise.race([ran.then(() => 'done' as const), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once the pass for this ROM ran (or could not run; never rejects). */
  enqueue(romId: number, sources: SourceId[]): Promise<void> {
    const key = sources.join(',');
    const batch = this.pending.get(key) ?? { sources, romIds: new Set<number>(), waiters: [] };
    this.pending.set(key, batch);
    batch.romIds.add(romId);
    const ran = new Promise<void>((resolve) => batch.waiters.push(resolve));
    void this.pump();
    return ran;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let retries = 0;
      for (;;) {
        const [key, batch] = this.pending.entries().next().value ?? [];
        if (!key || !batch) break;
        const running = this.options.scans.done();
        if (running) {
          await running.catch(() => undefined);
          continue;
        }
        this.pending.delete(key);
        try {
          await this.options.scans.startWhenFree({ type: 'update', romIds: [...batch.romIds], metadataSources: batch.sources });
          retries = 0;
          await this.options.scans.done()?.catch((err: unknown) => this.options.log?.('metadata refresh failed', err));
        } catch (err) {
          if (err instanceof AppError && err.status === 409 && retries < (this.options.maxRetries ?? 60)) {
            // Another process (a `romshelf scan`) holds the lock: put the batch back and wait a little.
            retries++;
            this.merge(key, batch);
            await new Promise((r) => setTimeout(r, this.options.retryMs ?? 5000).unref());
            continue;
          }
          this.options.log?.('metadata refresh could not start', err);
        }
        for (const resolve of batch.waiters) resolve();
      }
    } finally {
      this.pumping = false;
    }
  }

  private merge(key: string, batch: Batch): void {
    const later = this.pending.get(key);
    this.pending.delete(key);
    if (later) {
      for (const id of later.romIds) batch.romIds.add(id);
      batch.waiters.push(...later.waiters);
    }
    // Back at the front of the queue.
    const rest = [...this.pending.entries()];
    this.pending.clear();
    this.pending.set(key, batch);
    for (const [k, b] of rest) this.pending.set(k, b);
  }
}
