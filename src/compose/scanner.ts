import type { Db } from '../db/engine.ts';
import { PlatformsRepository } from '../db/repositories/platforms-repository.ts';
import { RomWriter } from '../db/repositories/rom-writer.ts';
import { ScanLockRepository } from '../db/repositories/scan-lock-repository.ts';
import { ScanRepository } from '../db/repositories/scan-repository.ts';
import type { ScanRunner } from '../jobs/scan-manager.ts';
import type { ScanSettings } from '../scanner/scan-config.ts';
import { runScan, type ScannerStore } from '../scanner/scanner.ts';

/** The repositories a scan uses, over one database. */
export function scannerStore(db: Db): ScannerStore {
  return {
    scans: new ScanRepository(db.kysely),
    platforms: new PlatformsRepository(db.kysely),
    writer: new RomWriter(db.kysely),
    lock: new ScanLockRepository(db.kysely),
  };
}

/**
 * The scanner bound to one library and database: what `romshelf scan` runs and the server's scan jobs drive. Kept
 * apart from compose.ts so the scan command and its benchmark load the scanner alone, not every service.
 */
export function composeScanner(db: Db, libraryPath: string, settings: ScanSettings): ScanRunner {
  const store = scannerStore(db);
  return (hooks, options) => runScan({ store, libraryPath, settings, ...hooks }, options);
}
