import type { RouteModule } from '../deps.ts';
import { errorResponses } from '../../contract/common.ts';
import { MetadataSourcesSchema, RomMetadataSourcesSchema } from '../../contract/metadata.ts';
import { RomIdParam } from '../../contract/rom-queries.ts';

/** The metadata sources (for the scan dialog) and the per-field source of one ROM. */
export const metadataRoutes: RouteModule = (app, { services }) => {
  app.get('/api/metadata/sources', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: { tags: ['metadata'], response: { 200: MetadataSourcesSchema, ...errorResponses } },
  }, async () => ({ sources: await services.metadata.sources() }));

  app.get('/api/roms/:id/metadata/sources', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: { tags: ['roms'], params: RomIdParam, response: { 200: RomMetadataSourcesSchema, ...errorResponses } },
  }, async (request) => services.metadata.romSources(request.params.id));
};
