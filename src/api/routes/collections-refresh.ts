import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../deps.ts';

/** ROM routes that take collection selectors (spec §3.1, §4.2, §6.3). */
const SELECTOR_ROUTES = new Set(['/api/roms', '/api/roms/random', '/api/roms/download']);

const positiveInt = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/**
 * One access rule for every path that exposes a collection: `collection_id` and `smart_collection_id` on the ROM
 * list, random pick and bulk download answer 403 for someone else's private collection, exactly like
 * `GET /api/collections/{id}`, and so does a smart collection whose criteria name such a collection. Unknown ids
 * pass through (the list is simply empty, as in RomM). Runs after authentication and query validation.
 * Also schedules a refresh of smart collections' cached membership after ROM writes.
 */
export const collectionsGuardRoutes: RouteModule = (app, { services }) => {
  const { regular, smart } = services.collections;
  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (!SELECTOR_ROUTES.has(request.routeOptions.url ?? '')) return;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const userId = request.auth?.user.id ?? null;
    const collectionId = positiveInt(query.collection_id);
    if (collectionId !== null) await regular.assertReadableIfExists(userId, collectionId);
    const smartId = positiveInt(query.smart_collection_id);
    if (smartId !== null) await smart.assertReadableIfExists(userId, smartId);
  });

  // A successful ROM write (edit, props, delete, upload) may move ROMs in or out of smart collections.
  app.addHook('onResponse', async (request, reply) => {
    const url = request.routeOptions.url ?? '';
    if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 400) return;
    if (url.startsWith('/api/roms')) smart.scheduleRefresh();
  });
};
