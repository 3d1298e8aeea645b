import type { Db } from '../db/engine.ts';
import { PlatformsRepository } from '../db/repositories/platforms-repository.ts';
import { RomWriter } from '../db/repositories/rom-writer.ts';
import { ScanLockRepository } from '../db/repositories/scan-lock-repository.ts';
import { ScanRepository } from '../db/repositories/scan-repository.ts';
import { runLibraryScan } from '../jobs/library-scan.ts';
import type { ScanRunner } from '../jobs/scan-manager.ts';
import type { ScanSettings } from '../scanner/scan-config.ts';
import type { ScannerStore } from '../scanner/scanner.ts';
import { composeMetadataPass, type MetadataWiring } from './metadata.ts';

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
 * apart from compose.ts so the scan command and its benchmark load the scanner alone, not every service. Without
 * `metadata` a scan walks files only.
 */
export function composeScanner(db: Db, libraryPath: string, settings: ScanSettings, metadata?: MetadataWiring): ScanRunner {
  const store = scannerStore(db);
  const pass = metadata ? composeMetadataPass(db, libraryPath, settings, metadata) : null;
  return (hooks, options) => runLibraryScan({ scanner: { store, libraryPath, settings, ...hooks }, lock: store.lock, metadata: pass }, options);
}
