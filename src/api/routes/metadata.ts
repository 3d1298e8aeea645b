import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { badRequest } from '../../common/errors.ts';
import { isSourceId } from '../../metadata/types.ts';
import { errorResponses } from '../../contract/common.ts';
import { MetadataSourcesSchema, RomMetadataSourcesSchema } from '../../contract/metadata.ts';
import { RomIdParam } from '../../contract/rom-queries.ts';

/** The metadata sources (for the scan dialog) and the per-field source of one ROM. */
export const metadataRoutes: RouteModule = (app, { services }) => {
  app.get('/api/metadata/sources', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: { tags: ['metadata'], response: { 200: MetadataSourcesSchema, ...errorResponses } },
  }, async () => ({ sources: await services.metadata.sources() }));

  // RomM answers a bare JSON boolean.
  app.get('/api/heartbeat/metadata/:source', {
    config: { auth: 'public' },
    schema: { tags: ['system'], params: Type.Object({ source: Type.String({ maxLength: 40 }) }), response: { 200: Type.Boolean(), ...errorResponses } },
  }, async (request) => {
    if (!isSourceId(request.params.source)) throw badRequest('Invalid metadata source');
    return services.metadata.health(request.params.source);
  });

  app.get('/api/roms/:id/metadata/sources', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: { tags: ['roms'], params: RomIdParam, response: { 200: RomMetadataSourcesSchema, ...errorResponses } },
  }, async (request) => {
    await services.romVisibility.assertRom(request.params.id, request.auth?.user.id ?? null);
    return services.metadata.romSources(request.params.id);
  });
};
