import type { RomChange, RomInsert, RomWriter, WriteBatch } from '../db/repositories/rom-writer.ts';

/**
 * Collects the scan's writes into batches and applies them one transaction at a time, in order, while hashing
 * goes on. `backpressure()` stops the producer when more than two batches wait, which bounds memory.
 */
export class WriteQueue {
  private batch: WriteBatch = { inserts: [], changes: [] };
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private failure: unknown = null;

  constructor(private readonly writer: RomWriter, private readonly batchSize: number) {}

  private get size(): number {
    return this.batch.inserts.length + this.batch.changes.length;
  }

  async insert(item: RomInsert): Promise<void> {
    this.batch.inserts.push(item);
    if (this.size >= this.batchSize) this.dispatch();
  }

  async change(item: RomChange): Promise<void> {
    this.batch.changes.push(item);
    if (this.size >= this.batchSize) this.dispatch();
  }

  private dispatch(): void {
    if (this.size === 0) return;
    const batch = this.batch;
    this.batch = { inserts: [], changes: [] };
    this.waiting++;
    this.chain = this.chain.then(async () => {
      try {
        if (this.failure === null) await this.writer.apply(batch);
      } catch (err) {
        this.failure = err;
      } finally {
        this.waiting--;
      }
    });
  }

  async backpressure(): Promise<void> {
    this.throwIfFailed();
    if (this.waiting > 2) await this.chain;
    this.throwIfFailed();
  }

  /** Writes everything pending and waits for it. */
  async flush(): Promise<void> {
    this.dispatch();
    await this.chain;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure === null) return;
    throw this.failure instanceof Error ? this.failure : new Error('scan write failed');
  }
}
