import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { errorResponses } from '../../contract/common.ts';
import { SearchRomQuery, SearchRomSchema } from '../../contract/search.ts';

/** `GET /api/search/roms`: manual-match candidates from the metadata providers that can search (RomM's shape). */
export const searchRoutes: RouteModule = (app, { services }) => {
  app.get('/api/search/roms', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: {
      tags: ['search'], querystring: SearchRomQuery,
      response: { 200: Type.Array(SearchRomSchema), ...errorResponses, 500: errorResponses[400] },
    },
  }, async (request) => services.romSearch.search({
    userId: request.auth?.user.id ?? null,
    romId: request.query.rom_id, term: request.query.search_term, by: request.query.search_by,
  }));
};
