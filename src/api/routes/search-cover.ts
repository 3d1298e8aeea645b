import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { Detail, errorResponses } from '../../contract/common.ts';
import { SearchCoverQuery, SearchCoverSchema } from '../../contract/search-cover.ts';

/** The cover picker: SteamGridDB covers for a name (RomM's `search_cover`). */
export const searchCoverRoutes: RouteModule = (app, { services }) => {
  app.get('/api/search/cover', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: {
      tags: ['search'], querystring: SearchCoverQuery,
      response: { 200: Type.Array(SearchCoverSchema), ...errorResponses, 500: Detail },
    },
  }, async (request) => services.coverSearch.search(request.query.search_term ?? ''));
};
