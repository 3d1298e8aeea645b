import path from 'node:path';
import { str, type Env } from './env-values.ts';
import { loadOnlineMetadataEnvironment, type OnlineMetadataEnvironment } from './metadata-online.ts';

/**
 * Where the local metadata sources live. Each is optional: a source whose folder or file is absent is simply not
 * offered (and reported disabled in the heartbeat). gamelist.xml files need no setting: they sit in the platform
 * folders of the library.
 */
export interface MetadataEnvironment {
  /** ESDE_MEDIA_PATH: ES-DE's `downloaded_media` folder (`<system>/covers/<rom name>.png`, …); null when unset. */
  esdeMediaPath: string | null;
  /** LAUNCHBOX_PATH: a LaunchBox installation (its `Data/Platforms/<Platform>.xml`, `Images/`, `Manuals/`); null when unset. */
  launchboxPath: string | null;
  /** LAUNCHBOX_METADATA_PATH: LaunchBox's public `Metadata.xml`, default DATA_PATH/launchbox/Metadata.xml. */
  launchboxMetadataPath: string;
  /** LIBRETRO_THUMBNAILS_PATH: a checkout of libretro's thumbnails, default DATA_PATH/libretro-thumbnails. */
  libretroThumbnailsPath: string;
  /** The online providers (RomM's variables). */
  online: OnlineMetadataEnvironment;
}

const optionalPath = (env: Env, key: string): string | null => {
  const v = env[key]?.trim();
  return v ? path.resolve(v) : null;
};

export function loadMetadataEnvironment(env: Env, dataPath: string): MetadataEnvironment {
  return {
    esdeMediaPath: optionalPath(env, 'ESDE_MEDIA_PATH'),
    launchboxPath: optionalPath(env, 'LAUNCHBOX_PATH'),
    launchboxMetadataPath: path.resolve(str(env, 'LAUNCHBOX_METADATA_PATH', path.join(dataPath, 'launchbox', 'Metadata.xml'))),
    libretroThumbnailsPath: path.resolve(str(env, 'LIBRETRO_THUMBNAILS_PATH', path.join(dataPath, 'libretro-thumbnails'))),
    online: loadOnlineMetadataEnvironment(env),
  };
}
