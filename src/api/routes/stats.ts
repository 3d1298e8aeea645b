import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';

const Coverage = Type.Object({ source: Type.String(), matched: Type.Integer() });
const Region = Type.Object({ region: Type.String(), count: Type.Integer() });

const StatsReturn = Type.Object({
  PLATFORMS: Type.Integer(),
  ROMS: Type.Integer(),
  SAVES: Type.Integer(),
  STATES: Type.Integer(),
  SCREENSHOTS: Type.Integer(),
  TOTAL_FILESIZE_BYTES: Type.Integer(),
  METADATA_COVERAGE: Type.Optional(Type.Record(Type.String(), Type.Array(Coverage))),
  REGION_BREAKDOWN: Type.Optional(Type.Record(Type.String(), Type.Array(Region))),
});

export const statsRoutes: RouteModule = (app, { services }) => {
  // Public in RomM too: a landing page can show library totals before anyone logs in.
  app.get('/api/stats', {
    config: { auth: 'public' },
    schema: {
      tags: ['stats'],
      querystring: Type.Object({ include_platform_stats: Type.Boolean({ default: false }) }),
      response: { 200: StatsReturn },
    },
  }, async (request) => services.stats.stats(request.query.include_platform_stats));
};
