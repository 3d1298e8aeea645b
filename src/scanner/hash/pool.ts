import type { buildSync as BuildSync } from 'esbuild';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/paths.ts';
import { Worker } from 'node:worker_threads';
import type { HashJob, HashResult } from './types.ts';

const workerPath = path.join(PROJECT_ROOT, 'src', 'scanner', 'hash', 'worker.ts');
let workerCode: string | null = null;

/**
 * The worker's code, bundled once per process into one CommonJS script with esbuild (already there for tsx).
 * A worker running plain JavaScript needs no TypeScript loader thread of its own, which saves tens of MiB per
 * worker, and starts in milliseconds whatever runs the parent (tsx, vitest, node).
 */
function bundledWorker(): string {
  if (workerCode !== null) return workerCode;
  // Required on first use: esbuild is only needed once a scan starts, and costs ~15 MB loaded.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as { buildSync: typeof BuildSync };
  workerCode = buildSync({
    entryPoints: [workerPath], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false,
    logLevel: 'silent',
  }).outputFiles[0]?.text ?? '';
  return workerCode;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: HashResult) => void; reject: (e: Error) => void }>;
}

/**
 * Worker threads over files: each worker reads and hashes whole files (one pass, all three hashes), so a 2-core
 * machine hashes two files at once while the main thread walks the disk and writes the database.
 */
export class HashPool {
  private readonly slots: Slot[] = [];
  private next = 0;
  private seq = 0;
  private closed = false;

  private readonly wanted: number;

  /** Workers start on the first job, so a scan that hashes nothing (an unchanged rescan) starts none. */
  constructor(size = defaultHashWorkers()) {
    this.wanted = Math.max(1, size);
  }

  get size(): number {
    return this.wanted;
  }

  private spawn(): Slot {
    const worker = new Worker(bundledWorker(), { eval: true, resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 } });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (res: HashResult) => {
      const p = slot.pending.get(res.id);
      slot.pending.delete(res.id);
      p?.resolve(res);
    });
    worker.on('error', (err) => this.failAll(slot, err));
    worker.on('exit', (code) => {
      if (!this.closed) this.failAll(slot, new Error(`hash worker exited with code ${code}`));
    });
    worker.unref();
    return slot;
  }

  private failAll(slot: Slot, err: Error): void {
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
    if (this.closed) return;
    // Replace a dead worker so one crash does not stop the scan.
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots[i] = this.spawn();
  }

  /** Sends the job to the worker with the fewest jobs in flight. */
  hash(job: Omit<HashJob, 'id'>): Promise<HashResult> {
    if (this.closed) return Promise.reject(new Error('hash pool is closed'));
    while (this.slots.length < this.wanted) this.slots.push(this.spawn());
    let slot = this.slots[this.next % this.slots.length] as Slot;
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    this.next++;
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ ...job, id } satisfies HashJob);
    }).finally(() => {
      if (slot.pending.size === 0) slot.worker.unref();
    }) as Promise<HashResult>;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

export function defaultHashWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

