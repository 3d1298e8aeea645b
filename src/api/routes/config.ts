import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { Nullable } from '../../contract/common.ts';

const Strings = Type.Array(Type.String());
const StringMap = Type.Record(Type.String(), Type.String());
const AnyObject = Type.Object({}, { additionalProperties: true });

/** RomM's `ConfigResponse`, keys in RomM's order. */
const ConfigResponse = Type.Object({
  CONFIG_FILE_MOUNTED: Type.Boolean(), CONFIG_FILE_WRITABLE: Type.Boolean(), CONFIG_FILE_PARSE_ERROR: Nullable(Type.String()),
  EXCLUDED_PLATFORMS: Strings, EXCLUDED_SINGLE_EXT: Strings, EXCLUDED_SINGLE_FILES: Strings, EXCLUDED_MULTI_FILES: Strings,
  EXCLUDED_MULTI_PARTS_EXT: Strings, EXCLUDED_MULTI_PARTS_FILES: Strings, DEFAULT_EXCLUDED_DIRS: Strings,
  DEFAULT_EXCLUDED_FILES: Strings, DEFAULT_EXCLUDED_EXTENSIONS: Strings,
  PLATFORMS_BINDING: StringMap, PLATFORMS_VERSIONS: StringMap,
  SKIP_HASH_CALCULATION: Type.Boolean(), EJS_DEBUG: Type.Boolean(), EJS_CACHE_LIMIT: Nullable(Type.Integer()),
  EJS_DISABLE_AUTO_UNLOAD: Type.Boolean(), EJS_DISABLE_BATCH_BOOTUP: Type.Boolean(), EJS_NETPLAY_ENABLED: Type.Boolean(),
  EJS_NETPLAY_ICE_SERVERS: Type.Array(AnyObject),
  EJS_SETTINGS: Type.Record(Type.String(), StringMap),
  EJS_CONTROLS: Type.Record(Type.String(), Type.Unknown()),
  SCAN_METADATA_PRIORITY: Strings, SCAN_ARTWORK_PRIORITY: Strings,
  SCAN_ARTWORK_PRIORITY_OVERRIDES: Type.Record(Type.String(), Strings),
  SCAN_REGION_PRIORITY: Strings, SCAN_LANGUAGE_PRIORITY: Strings, SCAN_MEDIA: Strings,
  GAMELIST_AUTO_EXPORT_ON_SCAN: Type.Boolean(), GAMELIST_MEDIA_THUMBNAIL: Type.String(), GAMELIST_MEDIA_IMAGE: Type.String(),
  PEGASUS_AUTO_EXPORT_ON_SCAN: Type.Boolean(),
});

export const configRoutes: RouteModule = (app, { services }) => {
  // Public, as in RomM: only the parser error and the netplay ICE servers need an authenticated caller.
  app.get('/api/config', {
    config: { auth: 'public' },
    schema: { tags: ['config'], response: { 200: ConfigResponse } },
  }, async (request) => services.config.get(request.auth !== null));
};
