import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { Detail, errorResponses, Nullable } from '../../contract/common.ts';

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

const PlatformBindingPayload = Type.Object({ fs_slug: Type.String(), slug: Type.String() });
const ExclusionPayload = Type.Object({
  exclusion_value: Type.String(),
  exclusion_type: Type.String({ description: 'EXCLUDED_PLATFORMS, EXCLUDED_SINGLE_EXT, EXCLUDED_SINGLE_FILES, EXCLUDED_MULTI_FILES, EXCLUDED_MULTI_PARTS_EXT or EXCLUDED_MULTI_PARTS_FILES' }),
});
const Sources = Type.Array(Type.String(), { maxItems: 64 });
const Codes = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 });
// `type: ['array', 'null']` rather than a union: with coerceTypes the union's array branch turns `null` into `[""]`.
const OptionalSources = Type.Optional(Type.Unsafe<string[] | null>({ type: ['array', 'null'], items: { type: 'string' }, maxItems: 64 }));
/** RomM's `ScanSettingsPayload`: a full replacement of the `scan` section. */
const ScanSettingsPayload = Type.Object({
  metadata_priority: Sources, artwork_priority: Sources,
  cover_priority: OptionalSources, screenshot_priority: OptionalSources, manual_priority: OptionalSources,
  region_priority: Codes, language_priority: Codes, media: Type.Array(Type.String(), { maxItems: 64 }),
  gamelist_export: Type.Boolean(), gamelist_thumbnail: Type.String(), gamelist_image: Type.String(), pegasus_export: Type.Boolean(),
});
const FsSlugParam = Type.Object({ fs_slug: Type.String() });
const ExclusionParams = Type.Object({ exclusion_type: Type.String(), exclusion_value: Type.String() });
// 409: config.yml cannot be written (read-only, missing folder) or does not parse; RomM answers 500 (compatibility.md).
const writeResponses = { 200: Type.Null(), ...errorResponses, 422: Type.Union([errorResponses[422], Detail]), 409: Detail };
const write = { auth: { scopes: ['platforms.write'] } } as const;

export const configRoutes: RouteModule = (app, { services }) => {
  // Public, as in RomM: only the parser error and the netplay ICE servers need an authenticated caller.
  app.get('/api/config', {
    config: { auth: 'public' },
    schema: { tags: ['config'], response: { 200: ConfigResponse } },
  }, async (request) => services.config.get(request.auth !== null));

  app.post('/api/config/system/platforms', {
    config: write, schema: { tags: ['config'], body: PlatformBindingPayload, response: writeResponses },
  }, async (request) => {
    await services.config.addPlatformBinding(request.body.fs_slug, request.body.slug);
    return null;
  });

  app.delete('/api/config/system/platforms/:fs_slug', {
    config: write, schema: { tags: ['config'], params: FsSlugParam, response: writeResponses },
  }, async (request) => {
    await services.config.removePlatformBinding(request.params.fs_slug);
    return null;
  });

  app.post('/api/config/system/versions', {
    config: write, schema: { tags: ['config'], body: PlatformBindingPayload, response: writeResponses },
  }, async (request) => {
    await services.config.addPlatformVersion(request.body.fs_slug, request.body.slug);
    return null;
  });

  app.delete('/api/config/system/versions/:fs_slug', {
    config: write, schema: { tags: ['config'], params: FsSlugParam, response: writeResponses },
  }, async (request) => {
    await services.config.removePlatformVersion(request.params.fs_slug);
    return null;
  });

  app.post('/api/config/exclude', {
    config: write, schema: { tags: ['config'], body: ExclusionPayload, response: writeResponses },
  }, async (request) => {
    await services.config.addExclusion(request.body.exclusion_type, request.body.exclusion_value);
    return null;
  });

  app.delete('/api/config/exclude/:exclusion_type/:exclusion_value', {
    config: write, schema: { tags: ['config'], params: ExclusionParams, response: writeResponses },
  }, async (request) => {
    await services.config.removeExclusion(request.params.exclusion_type, request.params.exclusion_value);
    return null;
  });

  app.put('/api/config/scan', {
    config: write, schema: { tags: ['config'], body: ScanSettingsPayload, response: writeResponses },
  }, async (request) => {
    await services.config.updateScanSettings(request.body);
    return null;
  });
};
