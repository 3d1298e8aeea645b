import type { Kysely } from 'kysely';
import { DatVerifyRepository } from '../db/repositories/dat-verify-repository.ts';
import { DatsRepository } from '../db/repositories/dats-repository.ts';
import { DatVerification, type DatVerificationResult } from '../domain/dats/dat-verification.ts';
import type { Database } from '../db/schema.ts';

/**
 * What follows every scan, in the server and in `romshelf scan`: DATs imported before their platform existed are
 * mapped to the platforms the scan created, then the library is verified (stored hashes only, no file is read).
 */
export async function verifyAfterScan(db: Kysely<Database>, verification = new DatVerification(new DatVerifyRepository(db))): Promise<DatVerificationResult> {
  await new DatsRepository(db).resolveMappedPlatforms();
  return verification.run();
}
