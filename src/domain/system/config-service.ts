import { DEFAULT_EXCLUDED_DIRS, DEFAULT_EXCLUDED_EXTENSIONS, DEFAULT_EXCLUDED_FILES } from '../../library/exclusions.ts';
import { settingsFromYaml, type ScanEnvironmentInput, type ScanSettings } from '../../scanner/scan-config.ts';
import { metadataSettingsFromYaml, type MetadataSettings } from '../../metadata/settings.ts';
import { ConfigFileReader } from './config-file.ts';
import { ConfigWriter, type ScanSettingsInput } from './config-writer.ts';

const get = (o: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);
const bool = (v: unknown, fallback = false): boolean => (typeof v === 'boolean' ? v : fallback);
const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v ? v : fallback);
const object = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strings = (v: unknown, fallback: string[]): string[] => (Array.isArray(v) ? v.map(String) : fallback);
/** RomM's lists: defaults and configured entries, deduplicated and sorted. */
const merged = (...lists: readonly string[][]): string[] => [...new Set(lists.flat())].sort();
const lower = (list: readonly string[]): string[] => list.map((s) => s.toLowerCase());

/** `{core: {option: value}}` with every value a string, as RomM types `EJS_SETTINGS`. */
function ejsSettings(v: unknown): Record<string, Record<string, string>> {
  return Object.fromEntries(Object.entries(object(v)).map(([core, opts]) => [
    core, Object.fromEntries(Object.entries(object(opts)).map(([k, x]) => [k, String(x)])),
  ]));
}

/**
 * RomM's `GET /api/config` (`ConfigResponse`), built from config.yml as the scanner and metadata pass read it, so
 * what is reported is what the next scan applies. The parser error and the netplay ICE servers (credentials) are
 * only shown to an authenticated caller, as in RomM.
 */
export class ConfigService {
  private readonly reader: ConfigFileReader;
  private readonly writer: ConfigWriter;
  private readonly listeners: (() => void)[] = [];

  constructor(configFile: string, private readonly scanEnv: ScanEnvironmentInput) {
    this.reader = new ConfigFileReader(configFile);
    this.writer = new ConfigWriter(configFile, () => this.changed());
  }

  /** The scanner's settings as config.yml reads now (the file may have changed since start). */
  async scanSettings(): Promise<ScanSettings> {
    return settingsFromYaml((await this.reader.read()).doc, this.scanEnv);
  }

  /** The metadata pass's settings as config.yml reads now. */
  async metadataSettings(): Promise<MetadataSettings> {
    return metadataSettingsFromYaml((await this.reader.read()).doc);
  }

  /** `scan.priority.region`, which also picks the representative of a group of sibling ROMs in lists. */
  async regionPriority(): Promise<readonly string[]> {
    return (await this.metadataSettings()).regionPriority;
  }

  /** Called after each successful write through the API. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.reader.invalidate();
    for (const listener of this.listeners) listener();
  }

  addPlatformBinding(fsSlug: string, slug: string): Promise<void> {
    return this.writer.addBinding('platforms', fsSlug, slug);
  }

  removePlatformBinding(fsSlug: string): Promise<void> {
    return this.writer.removeBinding('platforms', fsSlug);
  }

  addPlatformVersion(fsSlug: string, slug: string): Promise<void> {
    return this.writer.addBinding('versions', fsSlug, slug);
  }

  removePlatformVersion(fsSlug: string): Promise<void> {
    return this.writer.removeBinding('versions', fsSlug);
  }

  addExclusion(type: string, value: string): Promise<void> {
    return this.writer.addExclusion(type, value);
  }

  removeExclusion(type: string, value: string): Promise<void> {
    return this.writer.removeExclusion(type, value);
  }

  updateScanSettings(input: ScanSettingsInput): Promise<void> {
    return this.writer.updateScan(input);
  }

  async get(authenticated: boolean) {
    const file = await this.reader.read();
    const { doc } = file;
    const scan = settingsFromYaml(doc, this.scanEnv);
    const meta = metadataSettingsFromYaml(doc);
    const ex = scan.exclusions;
    const cacheLimit = get(doc, 'emulatorjs', 'cache_limit');
    return {
      CONFIG_FILE_MOUNTED: file.mounted,
      CONFIG_FILE_WRITABLE: file.writable,
      CONFIG_FILE_PARSE_ERROR: authenticated ? file.parseError : null,
      EXCLUDED_PLATFORMS: merged(DEFAULT_EXCLUDED_DIRS, ex.platforms ?? []),
      EXCLUDED_SINGLE_EXT: merged(DEFAULT_EXCLUDED_EXTENSIONS, lower(ex.singleFileExtensions ?? [])),
      EXCLUDED_SINGLE_FILES: merged(DEFAULT_EXCLUDED_FILES, ex.singleFileNames ?? []),
      EXCLUDED_MULTI_FILES: merged(DEFAULT_EXCLUDED_DIRS, ex.multiFileNames ?? []),
      EXCLUDED_MULTI_PARTS_EXT: merged(DEFAULT_EXCLUDED_EXTENSIONS, lower(ex.multiFilePartExtensions ?? [])),
      EXCLUDED_MULTI_PARTS_FILES: merged(DEFAULT_EXCLUDED_FILES, ex.multiFilePartNames ?? []),
      DEFAULT_EXCLUDED_DIRS: [...DEFAULT_EXCLUDED_DIRS],
      DEFAULT_EXCLUDED_FILES: [...DEFAULT_EXCLUDED_FILES],
      DEFAULT_EXCLUDED_EXTENSIONS: [...DEFAULT_EXCLUDED_EXTENSIONS],
      PLATFORMS_BINDING: { ...scan.bindings.platforms },
      PLATFORMS_VERSIONS: { ...scan.bindings.versions },
      SKIP_HASH_CALCULATION: scan.skipHash,
      // romshelf has no in-browser emulator; the emulatorjs section is still reported as written.
      EJS_DEBUG: bool(get(doc, 'emulatorjs', 'debug')),
      EJS_CACHE_LIMIT: typeof cacheLimit === 'number' && Number.isInteger(cacheLimit) ? cacheLimit : null,
      EJS_DISABLE_AUTO_UNLOAD: bool(get(doc, 'emulatorjs', 'disable_auto_unload')),
      EJS_DISABLE_BATCH_BOOTUP: bool(get(doc, 'emulatorjs', 'disable_batch_bootup')),
      EJS_NETPLAY_ENABLED: bool(get(doc, 'emulatorjs', 'netplay', 'enabled')),
      EJS_NETPLAY_ICE_SERVERS: authenticated ? arrayOfObjects(get(doc, 'emulatorjs', 'netplay', 'ice_servers')) : [],
      EJS_SETTINGS: ejsSettings(get(doc, 'emulatorjs', 'settings')),
      EJS_CONTROLS: object(get(doc, 'emulatorjs', 'controls')),
      SCAN_METADATA_PRIORITY: [...meta.metadataPriority],
      SCAN_ARTWORK_PRIORITY: [...meta.artworkPriority],
      SCAN_ARTWORK_PRIORITY_OVERRIDES: Object.fromEntries(
        Object.entries(meta.artworkOverrides).filter(([, list]) => list.length > 0),
      ) as Record<string, string[]>,
      SCAN_REGION_PRIORITY: [...meta.regionPriority],
      SCAN_LANGUAGE_PRIORITY: strings(get(doc, 'scan', 'priority', 'language'), ['en']),
      SCAN_MEDIA: [...meta.media],
      GAMELIST_AUTO_EXPORT_ON_SCAN: bool(get(doc, 'scan', 'gamelist', 'export')),
      GAMELIST_MEDIA_THUMBNAIL: str(get(doc, 'scan', 'gamelist', 'media', 'thumbnail'), 'box2d'),
      GAMELIST_MEDIA_IMAGE: str(get(doc, 'scan', 'gamelist', 'media', 'image'), 'screenshot'),
      PEGASUS_AUTO_EXPORT_ON_SCAN: bool(get(doc, 'scan', 'pegasus', 'export')),
    };
  }
}

export type ConfigResponse = Awaited<ReturnType<ConfigService['get']>>;

function arrayOfObjects(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x)) : [];
}
