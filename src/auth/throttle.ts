import type { AuthThrottleRepository } from '../db/repositories/auth-throttle-repository.ts';
import { AppError } from '../common/errors.ts';
import { nowMs } from '../common/time.ts';
import { sha256Hex } from './tokens.ts';

/** How many failures a key may collect in a window before it is blocked, and for how long. */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  /** First block; each further block doubles, up to maxBlockMs. */
  blockMs: number;
  maxBlockMs: number;
}

/** A throttled thing: what kind of secret is guessed and by which key (account name, client address). */
export interface ThrottleKey {
  kind: string;
  key: string;
}

export class TooManyAttempts extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'Too many failed attempts. Try again later.', { 'retry-after': String(retryAfterSeconds) });
  }
}

/**
 * Failed-attempt throttling for any credential or code guessing flow: keys of one kind share a policy, counters live
 * in the database (shared by every process), and a blocked key is refused before any costly check runs.
 */
export class AuthThrottle {
  constructor(
    private readonly repo: AuthThrottleRepository,
    private readonly policies: Readonly<Record<string, ThrottlePolicy>>,
    private readonly clock: () => number = nowMs,
  ) {}

  /** Throws TooManyAttempts (429 with Retry-After) when any of the keys is blocked now. */
  async assertAllowed(keys: readonly ThrottleKey[]): Promise<void> {
    const now = this.clock();
    let until = 0;
    for (const { kind, key } of keys) {
      const row = await this.repo.find(kind, hashKey(key));
      if (row && row.blocked_until > now) until = Math.max(until, row.blocked_until);
    }
    if (until > now) throw new TooManyAttempts(Math.ceil((until - now) / 1000));
  }

  /** Counts a failure against every key; the one reaching its limit is blocked from now on. */
  async recordFailure(keys: readonly ThrottleKey[]): Promise<void> {
    const now = this.clock();
    for (const { kind, key } of keys) {
      const policy = this.policy(kind);
      const keyHash = hashKey(key);
      const row = await this.repo.addFailure(kind, keyHash, now, policy.windowMs);
      if (row.failures >= policy.maxFailures) {
        const length = Math.min(policy.blockMs * 2 ** Math.min(row.strikes, 30), policy.maxBlockMs);
        await this.repo.block(kind, keyHash, policy.maxFailures, now + length, now);
      }
    }
  }

  /** Forgets a key's failures, e.g. an account after a successful login. */
  async clear(key: ThrottleKey): Promise<void> {
    await this.repo.clear(key.kind, hashKey(key.key));
  }

  /** Drops counters that have neither failures in a window nor a block left. */
  async purge(): Promise<void> {
    const longest = Math.max(...Object.values(this.policies).map((p) => Math.max(p.windowMs, p.maxBlockMs)));
    await this.repo.purge(this.clock() - longest);
  }

  private policy(kind: string): ThrottlePolicy {
    const policy = this.policies[kind];
    if (!policy) throw new Error(`no throttle policy for ${kind}`);
    return policy;
  }
}

const hashKey = (key: string): string => sha256Hex(key);
