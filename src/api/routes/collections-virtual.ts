import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { VirtualCollectionSchema, VirtualIdParam, VirtualListQuery, collectionErrors } from '../../contract/collections.ts';

const read = { auth: { scopes: ['collections.read' as const] } };
const tags = ['collections'];

/**
 * Listings are cached as serialized JSON (megabytes at 100k ROMs); Fastify sends a string body with a JSON content
 * type as is, skipping the response serializer. The text is built from the same shapes the schema documents.
 */
export function sendJsonText(reply: FastifyReply, text: string | Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}

/** Virtual collections (spec §7.3): read-only, generated from genres, franchises, collections, modes, companies. */
export const collectionsVirtualRoutes: RouteModule = (app, { services }) => {
  const virtual = services.collections.virtual;

  app.get('/api/collections/virtual', {
    config: read,
    schema: { tags, querystring: VirtualListQuery, response: { 200: Type.Array(VirtualCollectionSchema), ...collectionErrors } },
  }, async (request, reply) => sendJsonText(reply, await virtual.listJsonFor(request.auth?.user.id ?? null, request.query.type, request.query.limit)));

  app.get('/api/collections/virtual/identifiers', {
    config: read,
    schema: { tags, response: { 200: Type.Array(Type.String()), ...collectionErrors } },
  }, async (_request, reply) => sendJsonText(reply, await virtual.identifiersJson()));

  app.get('/api/collections/virtual/:id', {
    config: read,
    schema: { tags, params: VirtualIdParam, response: { 200: VirtualCollectionSchema, ...collectionErrors } },
  }, async (request) => virtual.getFor(request.auth?.user.id ?? null, request.params.id));
};
