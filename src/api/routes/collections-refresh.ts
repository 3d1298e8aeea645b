import type { RouteModule } from '../deps.ts';

/**
 * A successful ROM write (edit, props, delete) may move ROMs in or out of smart collections: their cached
 * membership is refreshed shortly after (debounced, so a burst of writes costs one refresh).
 */
export const collectionsRefreshRoutes: RouteModule = (app, { services }) => {
  const { smart } = services.collections;
  app.addHook('onResponse', async (request, reply) => {
    const url = request.routeOptions.url ?? '';
    if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 400) return;
    if (url.startsWith('/api/roms')) smart.scheduleRefresh();
  });
};
