import type { LoginLimits } from '../config/login.ts';
import type { ThrottlePolicy } from './throttle.ts';

/** Throttled kinds. A later code-guessing flow (device codes) adds its own kind and policy here. */
export const THROTTLE_KIND = {
  /** Wrong passwords for one account name, from anywhere. */
  account: 'login-account',
  /** Wrong passwords from one client address, for any account. */
  address: 'login-address',
  /** Unknown pairing codes tried from one client address. */
  pairing: 'pairing-address',
} as const;

/** A pairing code lives 60 s: five wrong codes a minute is far more than any typo needs. */
const PAIRING: ThrottlePolicy = { maxFailures: 5, windowMs: 60_000, blockMs: 60_000, maxBlockMs: 15 * 60_000 };

export function throttlePolicies(limits: LoginLimits): Record<string, ThrottlePolicy> {
  const windowMs = limits.loginFailureWindowSeconds * 1000;
  return {
    [THROTTLE_KIND.account]: {
      maxFailures: limits.loginMaxFailures,
      windowMs,
      blockMs: limits.loginBlockSeconds * 1000,
      maxBlockMs: Math.max(limits.loginBlockSeconds, limits.loginMaxBlockSeconds) * 1000,
    },
    [THROTTLE_KIND.address]: {
      maxFailures: limits.addressMaxFailures,
      windowMs,
      blockMs: limits.addressBlockSeconds * 1000,
      maxBlockMs: Math.max(limits.addressBlockSeconds, limits.addressMaxBlockSeconds) * 1000,
    },
    [THROTTLE_KIND.pairing]: PAIRING,
  };
}
