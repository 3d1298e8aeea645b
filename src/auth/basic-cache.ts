import type { UserRow } from '../db/repositories/users-repository.ts';
import { nowMs } from '../common/time.ts';
import { sha256Hex } from './tokens.ts';

const TTL_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 1000;

/**
 * Verified HTTP Basic credentials, so clients sending Basic on every request do not pay bcrypt each time. An entry
 * names the user, the stored hash and token generation it was verified against; the caller re-reads the user on
 * every hit, so a password change or disable (which bumps the generation) stops the entry at once, in every process.
 */
export class BasicCredentialCache {
  private readonly entries = new Map<string, { userId: number; hash: string; generation: number; expires: number }>();

  /** The user id a credential was verified for, if still fresh. */
  lookup(credential: string): { key: string; userId: number } | null {
    const key = sha256Hex(credential);
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expires <= nowMs()) {
      this.entries.delete(key);
      return null;
    }
    return { key, userId: entry.userId };
  }

  /** True when the entry still matches the user's current row; a stale entry is dropped. */
  stillValid(key: string, user: UserRow | undefined): user is UserRow {
    const entry = this.entries.get(key);
    const valid = !!entry && !!user && !!user.enabled && user.id === entry.userId &&
      user.hashed_password === entry.hash && user.token_generation === entry.generation;
    if (!valid) this.entries.delete(key);
    return valid;
  }

  remember(credential: string, user: UserRow): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(sha256Hex(credential), {
      userId: user.id,
      hash: user.hashed_password ?? '',
      generation: user.token_generation,
      expires: nowMs() + TTL_MS,
    });
  }

  /** Drops a user's entries at once (this process); other processes see the bumped generation. */
  forgetUser(userId: number): void {
    for (const [key, entry] of this.entries) if (entry.userId === userId) this.entries.delete(key);
  }
}
