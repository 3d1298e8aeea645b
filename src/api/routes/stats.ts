import { StatsQuery, StatsReturn } from '../../contract/stats.ts';
import type { RouteModule } from '../deps.ts';

export const statsRoutes: RouteModule = (app, { services }) => {
  // Public in RomM too: a landing page can show library totals before anyone logs in.
  app.get('/api/stats', {
    config: { auth: 'public' },
    schema: {
      tags: ['stats'],
      querystring: StatsQuery,
      response: { 200: StatsReturn },
    },
  }, async (request) => services.stats.stats(request.query.include_platform_stats, request.auth?.user.id ?? null));
};
