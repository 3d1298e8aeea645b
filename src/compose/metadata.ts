import path from 'node:path';
import type { MetadataEnvironment } from '../config/metadata.ts';
import type { Db } from '../db/engine.ts';
import { LaunchboxRepository } from '../db/repositories/launchbox-repository.ts';
import { MetadataCacheRepository } from '../db/repositories/metadata-cache-repository.ts';
import { MetadataRepository } from '../db/repositories/metadata-repository.ts';
import type { LibraryScanDeps } from '../jobs/library-scan.ts';
import { buildExclusions } from '../library/exclusions.ts';
import { detectLayout } from '../library/layout.ts';
import { GamelistProvider } from '../metadata/gamelist/provider.ts';
import { LaunchboxProvider } from '../metadata/launchbox/provider.ts';
import { LibretroProvider } from '../metadata/libretro/provider.ts';
import { MediaStore } from '../metadata/media-store.ts';
import type { MetadataSettings } from '../metadata/settings.ts';
import type { MetadataProvider } from '../metadata/types.ts';
import type { ScanSettings } from '../scanner/scan-config.ts';

/** What the metadata pass is built from: the local sources' paths, config.yml's priorities, DATA_PATH. */
export interface MetadataWiring {
  dataPath: string;
  env: MetadataEnvironment;
  settings: MetadataSettings;
  /** The providers, when the caller built them (the server shares one set between scans and search). */
  providers?: readonly MetadataProvider[];
}

/** Every provider, local then online, in the order their answers are gathered (priority is config.yml's). */
export function metadataProviders(db: Db, env: MetadataEnvironment, settings?: MetadataSettings): MetadataProvider[] {
  return [...localProviders(db, env, settings), ...onlineProviders(db, env, settings)];
}

/** The online providers that are configured (RomM's variables); each shares the persistent answer cache. */
export function onlineProviders(db: Db, env: MetadataEnvironment, settings?: MetadataSettings): MetadataProvider[] {
  const cache = new MetadataCacheRepository(db.kysely);
  const providers: MetadataProvider[] = [];
  // Each online provider appends itself here, built from env.online and sharing `cache`.
  void cache;
  void settings;
  return providers;
}

/** The local providers. */
export function localProviders(db: Db, env: MetadataEnvironment, settings?: MetadataSettings): MetadataProvider[] {
  return [
    new GamelistProvider({ esdeMediaPath: env.esdeMediaPath }),
    new LaunchboxProvider({
      launchboxPath: env.launchboxPath, metadataPath: env.launchboxMetadataPath, repo: new LaunchboxRepository(db.kysely),
      ...(settings ? { regionPriority: settings.regionPriority } : {}),
    }),
    new LibretroProvider({ root: env.libretroThumbnailsPath, ...(settings ? { media: settings.media } : {}) }),
  ];
}

/**
 * Absolute folder of a platform's ROMs by fs_slug, from the library layout (read at most every 10 s, since a pass
 * follows the file walk that created the platforms); null when the library has no such folder.
 */
export function platformDirResolver(libraryPath: string, scan: ScanSettings): (fsSlug: string) => Promise<string | null> {
  const exclusions = buildExclusions(scan.exclusions);
  let layout: { at: number; dirs: Promise<Map<string, string>> } | null = null;
  const platformDirs = (): Promise<Map<string, string>> => {
    if (!layout || Date.now() - layout.at > 10_000) {
      const dirs = detectLayout(libraryPath, exclusions, { romsFolder: scan.romsFolder })
        .then((l) => new Map(l.platforms.map((p) => [p.fsSlug, p.absPath])))
        .catch(() => new Map<string, string>());
      layout = { at: Date.now(), dirs };
    }
    return layout.dirs;
  };
  return async (fsSlug) => (await platformDirs()).get(fsSlug) ?? null;
}

export function composeMetadataPass(db: Db, libraryPath: string, scan: ScanSettings, wiring: MetadataWiring): NonNullable<LibraryScanDeps['metadata']> {
  return {
    repo: new MetadataRepository(db.kysely),
    providers: wiring.providers ?? metadataProviders(db, wiring.env, wiring.settings),
    media: new MediaStore({ resourcesRoot: path.join(wiring.dataPath, 'resources') }),
    settings: wiring.settings,
    platformDir: platformDirResolver(libraryPath, scan),
  };
}
