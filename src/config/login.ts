import os from 'node:os';
import { int, type Env } from './env-values.ts';

/** Failed-password throttling per account and per client address, and the server-wide bcrypt gate. */
export interface LoginLimits {
  /** Failed password attempts per account within the window before the account is blocked for a while. */
  loginMaxFailures: number;
  /** Failed password attempts from one client address (any account) before that address is blocked. */
  addressMaxFailures: number;
  loginFailureWindowSeconds: number;
  /** First block of an account; each further one doubles up to loginMaxBlockSeconds. */
  loginBlockSeconds: number;
  loginMaxBlockSeconds: number;
  addressBlockSeconds: number;
  addressMaxBlockSeconds: number;
  /** bcrypt verifications running at once, server-wide, and how many more may wait. */
  passwordVerifyConcurrency: number;
  passwordVerifyQueue: number;
}

export function loadLoginLimits(env: Env): LoginLimits {
  return {
    loginMaxFailures: int(env, 'AUTH_LOGIN_MAX_FAILURES', 10, 1, 1000),
    addressMaxFailures: int(env, 'AUTH_ADDRESS_MAX_FAILURES', 30, 1, 100_000),
    loginFailureWindowSeconds: int(env, 'AUTH_FAILURE_WINDOW_SECONDS', 900, 1, 7 * 24 * 3600),
    loginBlockSeconds: int(env, 'AUTH_LOGIN_BLOCK_SECONDS', 60, 1, 24 * 3600),
    loginMaxBlockSeconds: int(env, 'AUTH_LOGIN_MAX_BLOCK_SECONDS', 300, 1, 24 * 3600),
    addressBlockSeconds: int(env, 'AUTH_ADDRESS_BLOCK_SECONDS', 300, 1, 24 * 3600),
    addressMaxBlockSeconds: int(env, 'AUTH_ADDRESS_MAX_BLOCK_SECONDS', 3600, 1, 7 * 24 * 3600),
    // Half the cores: bcrypt must leave a core and most libuv threads to everything else.
    passwordVerifyConcurrency: int(env, 'AUTH_MAX_CONCURRENT_VERIFICATIONS', Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2))), 1, 64),
    passwordVerifyQueue: int(env, 'AUTH_VERIFY_QUEUE', 8, 0, 1000),
  };
}
