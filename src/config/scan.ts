import path from 'node:path';
import { bool, int, list, optionalBool, optionalInt, str, type Env } from './env-values.ts';

/**
 * The scanner's environment variables, checked at start-up like every other setting. RomM's `config.yml`
 * (`configFile`) is the scanner's own input: it reads the file when it loads its settings and adds these lists.
 */
export interface ScanEnvironment {
  /** SCAN_ON_START: a quick scan when the server starts. */
  onStart: boolean;
  /** SCAN_INTERVAL_SECONDS: period of the background quick scan; 0 turns it off. */
  intervalSeconds: number;
  /** SCAN_HASH_WORKERS; null lets the scanner choose (one per core, at most 4). */
  hashWorkers: number | null;
  /** SCAN_SKIP_HASH_CALCULATION; null leaves it to config.yml's `filesystem.skip_hash_calculation`. */
  skipHashCalculation: boolean | null;
  /** SCAN_EXCLUDE_PLATFORMS, SCAN_EXCLUDE_EXTENSIONS, SCAN_EXCLUDE_FILES: added to config.yml's lists. */
  excludePlatforms: string[];
  excludeExtensions: string[];
  excludeFiles: string[];
  /** SCAN_CONFIG_FILE, else DATA_PATH/config.yml. */
  configFile: string;
  /** KNOWN_BIOS_PATH: a known-BIOS list (RomM JSON or Logiqx DAT) or a folder of them, else DATA_PATH/known-bios. */
  knownBiosPath: string;
}

export const MAX_HASH_WORKERS = 64;

export function loadScanEnvironment(env: Env, dataPath: string): ScanEnvironment {
  return {
    onStart: bool(env, 'SCAN_ON_START', true),
    intervalSeconds: int(env, 'SCAN_INTERVAL_SECONDS', 300, 0, 7 * 24 * 3600),
    hashWorkers: optionalInt(env, 'SCAN_HASH_WORKERS', 1, MAX_HASH_WORKERS),
    skipHashCalculation: optionalBool(env, 'SCAN_SKIP_HASH_CALCULATION'),
    excludePlatforms: list(env, 'SCAN_EXCLUDE_PLATFORMS'),
    excludeExtensions: list(env, 'SCAN_EXCLUDE_EXTENSIONS'),
    excludeFiles: list(env, 'SCAN_EXCLUDE_FILES'),
    configFile: path.resolve(str(env, 'SCAN_CONFIG_FILE', path.join(dataPath, 'config.yml'))),
    knownBiosPath: path.resolve(str(env, 'KNOWN_BIOS_PATH', path.join(dataPath, 'known-bios'))),
  };
}
