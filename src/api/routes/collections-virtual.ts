import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { VirtualCollectionSchema, VirtualIdParam, VirtualListQuery, collectionErrors } from '../schemas/collections.ts';

const read = { auth: { scopes: ['collections.read' as const] } };
const tags = ['collections'];

/** Virtual collections (spec §7.3): read-only, generated from genres, franchises, collections, modes, companies. */
export const collectionsVirtualRoutes: RouteModule = (app, { services }) => {
  const virtual = services.collections.virtual;

  app.get('/api/collections/virtual', {
    config: read,
    schema: { tags, querystring: VirtualListQuery, response: { 200: Type.Array(VirtualCollectionSchema), ...collectionErrors } },
  }, async (request) => virtual.list(request.query.type, request.query.limit));

  app.get('/api/collections/virtual/identifiers', {
    config: read,
    schema: { tags, response: { 200: Type.Array(Type.String()), ...collectionErrors } },
  }, async () => virtual.identifiers());

  app.get('/api/collections/virtual/:id', {
    config: read,
    schema: { tags, params: VirtualIdParam, response: { 200: VirtualCollectionSchema, ...collectionErrors } },
  }, async (request) => virtual.get(request.params.id));
};
