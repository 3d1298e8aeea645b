import type { Db } from '../db/engine.ts';
import { FirmwareRepository } from '../db/repositories/firmware-repository.ts';
import { PlatformsRepository } from '../db/repositories/platforms-repository.ts';
import { RomWriter } from '../db/repositories/rom-writer.ts';
import { ScanLockRepository } from '../db/repositories/scan-lock-repository.ts';
import { ScanRepository } from '../db/repositories/scan-repository.ts';
import { runLibraryScan } from '../jobs/library-scan.ts';
import type { ScanRunner } from '../jobs/scan-manager.ts';
import type { ScanSettings } from '../scanner/scan-config.ts';
import type { ScannerStore } from '../scanner/scanner.ts';
import type { KnownBios } from '../scanner/firmware/known-bios.ts';
import { composeMetadataPass, type MetadataWiring } from './metadata.ts';

/** The repositories a scan uses, over one database. */
export function scannerStore(db: Db): ScannerStore {
  return {
    scans: new ScanRepository(db.kysely),
    platforms: new PlatformsRepository(db.kysely),
    writer: new RomWriter(db.kysely),
    lock: new ScanLockRepository(db.kysely),
    firmware: new FirmwareRepository(db.kysely),
  };
}

/**
 * The scanner bound to one library and database: what `romshelf scan` runs and the server's scan jobs drive. Kept
 * apart from compose.ts so the scan command and its benchmark load the scanner alone, not every service. Without
 * `metadata` a scan walks files only. `knownBios`: the lists shared with firmware uploads (else the scan reads
 * `settings.knownBiosPath` itself).
 */
export function composeScanner(db: Db, libraryPath: string, settings: ScanSettings, metadata?: MetadataWiring, knownBios?: KnownBios): ScanRunner {
  const store = scannerStore(db);
  const pass = metadata ? composeMetadataPass(db, libraryPath, settings, metadata) : null;
  const bios = knownBios ? { knownBios } : {};
  return (hooks, options) => runLibraryScan({ scanner: { store, libraryPath, settings, ...bios, ...hooks }, lock: store.lock, metadata: pass }, options);
}
