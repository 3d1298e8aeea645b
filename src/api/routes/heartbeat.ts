import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { ROMM_API_VERSION, ROMSHELF_VERSION } from '../../common/version.ts';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const Heartbeat = Type.Object({
  SYSTEM: Type.Object({
    /** The RomM version whose API is served (plain MAJOR.MINOR.PATCH). */
    VERSION: Type.String(),
    SHOW_SETUP_WIZARD: Type.Boolean(),
    /** romshelf: its own version (absent in RomM). */
    ROMSHELF_VERSION: Type.String(),
  }),
  METADATA_SOURCES: Type.Record(Type.String(), Type.Boolean()),
  FILESYSTEM: Type.Object({ FS_PLATFORMS: Type.Array(Type.String()) }),
  EMULATION: Type.Object({ DISABLE_EMULATOR_JS: Type.Boolean(), DISABLE_RUFFLE_RS: Type.Boolean() }),
  FRONTEND: Type.Object({ DISABLE_USERPASS_LOGIN: Type.Boolean(), DISABLE_LOGS_VIEWER: Type.Boolean(), YOUTUBE_BASE_URL: Type.String() }),
  OIDC: Type.Object({ ENABLED: Type.Boolean(), AUTOLOGIN: Type.Boolean(), PROVIDER: Type.String(), RP_INITIATED_LOGOUT: Type.Boolean() }),
  TASKS: Type.Record(Type.String(), Type.Union([Type.Boolean(), Type.String()])),
});

const METADATA_SOURCES = [
  'ANY_SOURCE_ENABLED', 'IGDB_API_ENABLED', 'SS_API_ENABLED', 'SS_DEV_CREDENTIALS_SET', 'MOBY_API_ENABLED',
  'STEAMGRIDDB_API_ENABLED', 'RA_API_ENABLED', 'LAUNCHBOX_API_ENABLED', 'HASHEOUS_API_ENABLED', 'PLAYMATCH_API_ENABLED',
  'TGDB_API_ENABLED', 'FLASHPOINT_API_ENABLED', 'HLTB_API_ENABLED', 'LIBRETRO_API_ENABLED',
];

export const heartbeatRoutes: RouteModule = (app, { services, config }) => {
  app.get('/api/heartbeat', {
    config: { auth: 'public' },
    schema: { tags: ['system'], response: { 200: Heartbeat } },
  }, async () => ({
    SYSTEM: { VERSION: ROMM_API_VERSION, SHOW_SETUP_WIZARD: await services.users.setupRequired(), ROMSHELF_VERSION },
    // Online providers are not built in yet: they report disabled; local LaunchBox and libretro data report here.
    METADATA_SOURCES: { ...Object.fromEntries(METADATA_SOURCES.map((k) => [k, false])), ...(await services.metadata.heartbeatFlags()) },
    FILESYSTEM: { FS_PLATFORMS: await listPlatformFolders(config.libraryPath) },
    EMULATION: { DISABLE_EMULATOR_JS: true, DISABLE_RUFFLE_RS: true },
    FRONTEND: { DISABLE_USERPASS_LOGIN: false, DISABLE_LOGS_VIEWER: true, YOUTUBE_BASE_URL: 'https://www.youtube.com' },
    OIDC: { ENABLED: false, AUTOLOGIN: false, PROVIDER: '', RP_INITIATED_LOGOUT: false },
    TASKS: {
      ENABLE_SCHEDULED_RESCAN: config.scan.intervalSeconds > 0,
      SCHEDULED_RESCAN_CRON: '',
      ENABLE_SCHEDULED_UPDATE_SWITCH_TITLEDB: false,
      SCHEDULED_UPDATE_SWITCH_TITLEDB_CRON: '',
      ENABLE_SCHEDULED_UPDATE_LAUNCHBOX_METADATA: false,
      SCHEDULED_UPDATE_LAUNCHBOX_METADATA_CRON: '',
      ENABLE_SCHEDULED_CONVERT_IMAGES_TO_WEBP: false,
      SCHEDULED_CONVERT_IMAGES_TO_WEBP_CRON: '',
    },
  }));
};

/** Platform folder names (structure A `roms/<p>`, else B `<p>/roms`); an unreadable library lists none. */
async function listPlatformFolders(libraryPath: string): Promise<string[]> {
  const dirs = async (p: string) =>
    (await readdir(p, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name);
  const structureA = await dirs(path.join(libraryPath, 'roms'));
  if (structureA.length) return structureA.sort();
  const top = await dirs(libraryPath);
  const withRoms = await Promise.all(top.map(async (d) => ((await dirs(path.join(libraryPath, d))).includes('roms') ? d : null)));
  return withRoms.filter((d): d is string => d !== null).sort();
}
