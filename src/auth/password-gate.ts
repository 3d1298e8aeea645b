import { AppError } from '../common/errors.ts';

export interface PasswordGateSettings {
  /** Password verifications running at once, server-wide. */
  maxConcurrent: number;
  /** Verifications allowed to wait for a slot; beyond that a request is turned away at once. */
  maxQueued: number;
}

export const verifierBusy = () =>
  new AppError(503, 'Too many sign-in attempts in progress. Try again shortly.', { 'retry-after': '1' });

/**
 * Caps concurrent bcrypt work. Each verification holds a libuv thread and a core for a large fraction of a second;
 * unbounded, a burst of bad logins takes every thread the rest of the server needs for file and socket work.
 */
export class PasswordGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly settings: PasswordGateSettings) {}

  /** Runs `task` when a slot is free; throws 503 with Retry-After when the queue is already full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.settings.maxConcurrent) {
      if (this.saturated) throw verifierBusy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }

  /** True when a new task would be refused. */
  get saturated(): boolean {
    return this.active >= this.settings.maxConcurrent && this.waiting.length >= this.settings.maxQueued;
  }

  get load(): { active: number; queued: number } {
    return { active: this.active, queued: this.waiting.length };
  }
}
