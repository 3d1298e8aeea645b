import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ExclusionConfig } from '../library/exclusions.ts';
import type { PlatformBindings } from '../library/platform-catalogue.ts';
import { defaultHashWorkers } from './hash/pool.ts';

/**
 * Scanner settings: RomM's `config.yml` sections that concern scanning (`exclude`, `system.platforms`,
 * `system.versions`, `filesystem.roms_folder`, `filesystem.skip_hash_calculation`) read from
 * `DATA_PATH/config.yml` (or SCAN_CONFIG_FILE), plus a few environment variables.
 */
export interface ScanSettings {
  romsFolder: string;
  exclusions: ExclusionConfig;
  bindings: PlatformBindings;
  skipHash: boolean;
  hashWorkers: number;
  /** ROMs per write transaction. */
  batchSize: number;
}

type Env = Record<string, string | undefined>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const record = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]))
    : {};
const get = (o: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);

const stringOr = (v: unknown, fallback: string): string => (typeof v === 'string' && v.trim() ? v.trim() : fallback);

export function settingsFromYaml(doc: unknown, env: Env = {}): ScanSettings {
  const csv = (name: string) => (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const skipEnv = env.SCAN_SKIP_HASH_CALCULATION?.trim().toLowerCase();
  const workers = Number(env.SCAN_HASH_WORKERS ?? '');
  return {
    romsFolder: stringOr(get(doc, 'filesystem', 'roms_folder'), 'roms'),
    exclusions: {
      platforms: [...list(get(doc, 'exclude', 'platforms')), ...csv('SCAN_EXCLUDE_PLATFORMS')],
      singleFileExtensions: [...list(get(doc, 'exclude', 'roms', 'single_file', 'extensions')), ...csv('SCAN_EXCLUDE_EXTENSIONS')],
      singleFileNames: [...list(get(doc, 'exclude', 'roms', 'single_file', 'names')), ...csv('SCAN_EXCLUDE_FILES')],
      multiFileNames: list(get(doc, 'exclude', 'roms', 'multi_file', 'names')),
      multiFilePartExtensions: [...list(get(doc, 'exclude', 'roms', 'multi_file', 'parts', 'extensions')), ...csv('SCAN_EXCLUDE_EXTENSIONS')],
      multiFilePartNames: [...list(get(doc, 'exclude', 'roms', 'multi_file', 'parts', 'names')), ...csv('SCAN_EXCLUDE_FILES')],
    },
    bindings: { platforms: record(get(doc, 'system', 'platforms')), versions: record(get(doc, 'system', 'versions')) },
    skipHash: skipEnv ? ['1', 'true', 'yes', 'on'].includes(skipEnv) : get(doc, 'filesystem', 'skip_hash_calculation') === true,
    hashWorkers: Number.isInteger(workers) && workers > 0 ? workers : defaultHashWorkers(),
    batchSize: 500,
  };
}

/** Reads the settings; a missing config file means defaults, an unreadable one is an error worth stopping for. */
export function loadScanSettings(dataPath: string, env: Env = process.env): ScanSettings {
  const file = env.SCAN_CONFIG_FILE?.trim() || path.join(dataPath, 'config.yml');
  let doc: unknown = {};
  try {
    doc = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  return settingsFromYaml(doc, env);
}
