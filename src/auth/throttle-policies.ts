import type { LoginLimits } from '../config/login.ts';
import type { ThrottlePolicy } from './throttle.ts';

/** Throttled kinds, each with its policy below. */
export const THROTTLE_KIND = {
  /** Wrong passwords for one account name, from anywhere. */
  account: 'login-account',
  /** Wrong passwords from one client address, for any account. */
  address: 'login-address',
  /** Unknown pairing codes tried from one client address. */
  pairing: 'pairing-address',
  /** Device-code requests from one client address (a rate limit: every call counts). */
  deviceInit: 'device-init-address',
  /** Device-code polls from one client address (every call counts). */
  devicePoll: 'device-poll-address',
} as const;

/** A pairing code lives 60 s: five wrong codes a minute is far more than any typo needs. */
const PAIRING: ThrottlePolicy = { maxFailures: 5, windowMs: 60_000, blockMs: 60_000, maxBlockMs: 15 * 60_000 };

/** RomM's per-address limits for device-code authorization: 10 requests and 60 polls a minute. */
const DEVICE_INIT: ThrottlePolicy = { maxFailures: 10, windowMs: 60_000, blockMs: 60_000, maxBlockMs: 60_000 };
const DEVICE_POLL: ThrottlePolicy = { maxFailures: 60, windowMs: 60_000, blockMs: 60_000, maxBlockMs: 60_000 };

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
    [THROTTLE_KIND.deviceInit]: DEVICE_INIT,
    [THROTTLE_KIND.devicePoll]: DEVICE_POLL,
  };
}
