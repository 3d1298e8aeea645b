import type { Db } from '../db/engine.ts';
import type { ScanRunner } from '../jobs/scan-manager.ts';
import type { ScanSettings } from '../scanner/scan-config.ts';
import { runScan } from '../scanner/scanner.ts';

/**
 * The scanner bound to one library and database: what `romshelf scan` runs and the server's scan jobs drive. Kept
 * apart from compose.ts so the scan command and its benchmark load the scanner alone, not every service.
 */
export function composeScanner(db: Db, libraryPath: string, settings: ScanSettings): ScanRunner {
  return (hooks, options) => runScan({ db, libraryPath, settings, ...hooks }, options);
}
