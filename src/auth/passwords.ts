import { hash, verify } from '@node-rs/bcrypt';

// bcrypt as RomM stores it, so a user table migrated from RomM keeps working.
export const DEFAULT_PASSWORD_COST = 12;

export function hashPassword(password: string, cost = DEFAULT_PASSWORD_COST): Promise<string> {
  return hash(password, cost);
}

export async function verifyPassword(password: string, hashed: string | null): Promise<boolean> {
  if (!hashed) return false;
  try {
    return await verify(password, hashed);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the user does not exist, so timing does not leak usernames. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hash('romshelf-decoy-password', DEFAULT_PASSWORD_COST);
  return decoy;
}
