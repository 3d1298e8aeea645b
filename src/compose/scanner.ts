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
import { raConsole } from '../metadata/ra/platforms.ts';

const raConsoleId = (slug: string): number | null => raConsole(slug)?.id ?? null;

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

/** Fixed settings, or a function that reads them (config.yml) when each scan starts. */
export type ScanSettingsSource = ScanSettings | (() => Promise<ScanSettings>);

/**
 * The scanner bound to one library and database: what `romshelf scan` runs and the server's scan jobs drive. Kept
 * apart from compose.ts so the scan command and its benchmark load the scanner alone, not every service. Without
 * `metadata` a scan walks files only. With a settings function (and `metadata.load`), every scan applies config.yml
 * as it reads when the scan starts, so exclusions and bindings changed through `/api/config` take effect at once.
 * `knownBios`: the lists shared with firmware uploads (else the scan reads `settings.knownBiosPath` itself).
 */
export function composeScanner(db: Db, libraryPath: string, settings: ScanSettingsSource, metadata?: MetadataWiring, knownBios?: KnownBios): ScanRunner {
  const store = scannerStore(db);
  const fixed = typeof settings === 'function' ? null : settings;
  const fixedPass = fixed && metadata && !metadata.load ? composeMetadataPass(db, libraryPath, fixed, metadata) : null;
  const bios = knownBios ? { knownBios } : {};
  return async (hooks, options) => {
    const scan = fixed ?? await (settings as () => Promise<ScanSettings>)();
    let pass = fixedPass;
    if (metadata && !pass) {
      const wiring = metadata.load ? { ...metadata, settings: await metadata.load() } : metadata;
      pass = composeMetadataPass(db, libraryPath, scan, wiring);
    }
    return runLibraryScan({ scanner: { store, libraryPath, settings: scan, raConsole: raConsoleId, ...bios, ...hooks }, lock: store.lock, metadata: pass }, options);
  };
}
