import type { UserRow, UsersRepository } from '../db/repositories/users-repository.ts';
import { verifierBusy, type PasswordGate } from './password-gate.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import type { AuthThrottle, ThrottleKey } from './throttle.ts';
import { THROTTLE_KIND } from './throttle-policies.ts';

/**
 * The one place a password is verified (session login, password grant, HTTP Basic): refuses blocked accounts and
 * addresses before bcrypt runs, runs bcrypt through the server-wide gate, and counts failures.
 */
export class PasswordChecker {
  constructor(
    private readonly users: UsersRepository,
    private readonly throttle: AuthThrottle,
    private readonly gate: PasswordGate,
  ) {}

  /** The user when the password matches (enabled or not); null otherwise. Throws 429 when blocked, 503 when busy. */
  async check(username: string, password: string, clientIp: string): Promise<UserRow | null> {
    // Turned away before any database work: under a flood of bad logins, refusals must cost next to nothing.
    if (this.gate.saturated) throw verifierBusy();
    const name = username.toLowerCase();
    const account: ThrottleKey = { kind: THROTTLE_KIND.account, key: name };
    const keys = [{ kind: THROTTLE_KIND.address, key: clientIp }, account];
    await this.throttle.assertAllowed(keys);
    const user = await this.users.findByUsername(name);
    const ok = await this.gate.run(async () => {
      // A block may have started while this attempt waited for a slot.
      await this.throttle.assertAllowed(keys);
      // Unknown names cost the same bcrypt run, so timing does not tell which accounts exist.
      const matched = await verifyPassword(password, user ? user.hashed_password : await decoyHash());
      return matched && !!user;
    });
    if (!ok || !user) {
      // Unknown names count too: otherwise a 429 would tell which accounts exist.
      await this.throttle.recordFailure(keys);
      return null;
    }
    await this.throttle.clear(account);
    return user;
  }

  /** Drops throttle counters that no longer count or block. */
  purgeExpired(): Promise<void> {
    return this.throttle.purge();
  }
}
