import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ScanEnvironment } from '../config/scan.ts';
import type { ExclusionConfig } from '../library/exclusions.ts';
import type { PlatformBindings } from '../library/platform-catalogue.ts';
import { defaultHashWorkers } from './hash/pool.ts';

/**
 * Scanner settings: RomM's `config.yml` sections that concern scanning (`exclude`, `system.platforms`,
 * `system.versions`, `filesystem.roms_folder`, `filesystem.firmware_folder`, `filesystem.skip_hash_calculation`), read from the file the
 * configuration names, plus the SCAN_* variables already checked by config/scan.ts.
 */
export interface ScanSettings {
  romsFolder: string;
  /** `filesystem.firmware_folder` (default `bios`): `bios/<fs_slug>` in structure A, `<fs_slug>/bios` in B. */
  firmwareFolder: string;
  exclusions: ExclusionConfig;
  bindings: PlatformBindings;
  skipHash: boolean;
  hashWorkers: number;
  /** ROMs per write transaction. */
  batchSize: number;
  /** Known-BIOS list(s) firmware is verified against (KNOWN_BIOS_PATH); absent: nothing is verified. */
  knownBiosPath?: string;
}

/** The parts of the environment the settings use; any left out count as unset. */
export type ScanEnvironmentInput = Partial<Omit<ScanEnvironment, 'onStart' | 'intervalSeconds' | 'configFile' | 'knownBiosPath'>>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const record = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]))
    : {};
const get = (o: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);

const stringOr = (v: unknown, fallback: string): string => (typeof v === 'string' && v.trim() ? v.trim() : fallback);

export function settingsFromYaml(doc: unknown, env: ScanEnvironmentInput = {}): ScanSettings {
  const extensions = env.excludeExtensions ?? [];
  const files = env.excludeFiles ?? [];
  return {
    romsFolder: stringOr(get(doc, 'filesystem', 'roms_folder'), 'roms'),
    firmwareFolder: stringOr(get(doc, 'filesystem', 'firmware_folder'), 'bios'),
    exclusions: {
      platforms: [...list(get(doc, 'exclude', 'platforms')), ...(env.excludePlatforms ?? [])],
      singleFileExtensions: [...list(get(doc, 'exclude', 'roms', 'single_file', 'extensions')), ...extensions],
      singleFileNames: [...list(get(doc, 'exclude', 'roms', 'single_file', 'names')), ...files],
      multiFileNames: list(get(doc, 'exclude', 'roms', 'multi_file', 'names')),
      multiFilePartExtensions: [...list(get(doc, 'exclude', 'roms', 'multi_file', 'parts', 'extensions')), ...extensions],
      multiFilePartNames: [...list(get(doc, 'exclude', 'roms', 'multi_file', 'parts', 'names')), ...files],
    },
    bindings: { platforms: record(get(doc, 'system', 'platforms')), versions: record(get(doc, 'system', 'versions')) },
    skipHash: env.skipHashCalculation ?? get(doc, 'filesystem', 'skip_hash_calculation') === true,
    hashWorkers: env.hashWorkers ?? defaultHashWorkers(),
    batchSize: 500,
  };
}

/** Reads the settings; a missing config file means defaults, an unreadable one is an error worth stopping for. */
export function loadScanSettings(env: ScanEnvironment): ScanSettings {
  const file = env.configFile;
  let doc: unknown = {};
  try {
    doc = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  return { ...settingsFromYaml(doc, env), knownBiosPath: env.knownBiosPath };
}
