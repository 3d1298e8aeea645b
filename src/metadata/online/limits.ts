/**
 * The pacing of calls to one provider: a token bucket (requests per second, with a small burst) and a cap on calls
 * in flight, both shared by every ROM of a pass, so a provider's published limit is never exceeded by romshelf.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private queue: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly perSecond: number, private readonly burst = Math.max(1, Math.floor(perSecond)), private readonly now: () => number = Date.now) {
    this.tokens = burst;
    this.last = now();
  }

  /** Resolves when a call may start. */
  acquire(): Promise<void> {
    if (!Number.isFinite(this.perSecond) || this.perSecond <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.drain();
    });
  }

  /** After a 429: no call starts before `ms` from now. */
  pause(ms: number): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0) - (ms / 1000) * this.perSecond;
    this.schedule();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }

  private drain(): void {
    this.refill();
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.shift()?.();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.queue.length === 0 || this.timer) return;
    const wait = Math.max(1, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, wait);
  }
}

/** At most `max` holders at once. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Per provider and pass: once the provider is unreachable (a timeout, a refused connection, bad credentials, or
 * `threshold` failures in a row after retries), every further call fails at once, so a dead provider costs one
 * timeout per scan, not one per ROM. `reset()` at the start of each pass.
 */
export class CircuitBreaker {
  private failures = 0;
  private openReason: string | null = null;

  constructor(private readonly threshold = 3) {}

  get open(): string | null {
    return this.openReason;
  }

  success(): void {
    this.failures = 0;
  }

  failure(reason: string, immediate = false): void {
    this.failures++;
    if (immediate || this.failures >= this.threshold) this.openReason = reason;
  }

  reset(): void {
    this.failures = 0;
    this.openReason = null;
  }
}
