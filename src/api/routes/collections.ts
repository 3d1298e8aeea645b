import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';
import {
  collectionErrors, CollectionIdParam, CollectionRomsBody, CollectionSchema, CreateCollectionQuery, UpdateCollectionQuery, UpdatedAfterQuery,
} from '../../contract/collections.ts';
import { parseQueryBool, parseQueryDateTime } from '../../contract/query.ts';
import { missingFormField, readCollectionForm } from './collections-form.ts';
import { collectionsRefreshRoutes } from './collections-refresh.ts';
import { collectionsSmartRoutes } from './collections-smart.ts';
import { collectionsVirtualRoutes, sendJsonText } from './collections-virtual.ts';

const read = { auth: { scopes: ['collections.read' as const] } };
const write = { auth: { scopes: ['collections.write' as const] } };
const tags = ['collections'];
const FORM_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'];

/** Regular collections (spec §7.1); smart and virtual ones live in their own modules, registered from here. */
export const collectionRoutes: RouteModule = async (app, deps) => {
  const collections = deps.services.collections.regular;

  app.get('/api/collections', {
    config: read,
    schema: { tags, querystring: UpdatedAfterQuery, response: { 200: Type.Array(CollectionSchema), ...collectionErrors } },
  }, async (request, reply) => sendJsonText(reply, JSON.stringify(await collections.list(caller(request).user.id, parseQueryDateTime('updated_after', request.query.updated_after)))));

  app.get('/api/collections/identifiers', {
    config: read,
    schema: { tags, response: { 200: Type.Array(Type.Integer()), ...collectionErrors } },
  }, async (request) => collections.identifiers(caller(request).user.id));

  app.post('/api/collections', {
    config: write,
    schema: { tags, consumes: FORM_TYPES, querystring: CreateCollectionQuery, response: { 200: CollectionSchema, ...collectionErrors } },
  }, async (request) => {
    const { fields, artwork } = await readCollectionForm(request);
    return collections.create(caller(request).user.id, {
      name: fields.name ?? '',
      description: fields.description ?? '',
      urlCover: fields.url_cover ?? '',
      isPublic: parseQueryBool(request.query.is_public, false),
      isFavorite: parseQueryBool(request.query.is_favorite, false),
      artwork,
    });
  });

  app.get('/api/collections/:id', {
    config: read,
    schema: { tags, params: CollectionIdParam, response: { 200: CollectionSchema, ...collectionErrors } },
  }, async (request) => collections.get(caller(request).user.id, request.params.id));

  app.put('/api/collections/:id', {
    config: write,
    schema: { tags, consumes: FORM_TYPES, params: CollectionIdParam, querystring: UpdateCollectionQuery, response: { 200: CollectionSchema, ...collectionErrors } },
  }, async (request) => {
    const userId = caller(request).user.id;
    // Ownership first: a stranger learns nothing from the form's validation.
    await collections.owned(userId, request.params.id);
    const { fields, artwork } = await readCollectionForm(request);
    if (fields.rom_ids === undefined) throw missingFormField('rom_ids');
    return collections.update(userId, request.params.id, {
      romIds: fields.rom_ids,
      name: fields.name,
      description: fields.description,
      urlCover: fields.url_cover,
      isPublic: parseQueryBool(request.query.is_public),
      removeCover: parseQueryBool(request.query.remove_cover, false),
      artwork,
    });
  });

  app.post('/api/collections/:id/roms', {
    config: write,
    schema: { tags, params: CollectionIdParam, body: CollectionRomsBody, response: { 200: CollectionSchema, ...collectionErrors } },
  }, async (request) => collections.addRoms(caller(request).user.id, request.params.id, request.body.rom_ids));

  app.delete('/api/collections/:id/roms', {
    config: write,
    schema: { tags, params: CollectionIdParam, body: CollectionRomsBody, response: { 200: CollectionSchema, ...collectionErrors } },
  }, async (request) => collections.removeRoms(caller(request).user.id, request.params.id, request.body.rom_ids));

  app.delete('/api/collections/:id', {
    config: write,
    schema: { tags, params: CollectionIdParam, response: { 200: Type.Null(), ...collectionErrors } },
  }, async (request) => {
    await collections.delete(caller(request).user.id, request.params.id);
    return null;
  });

  await collectionsSmartRoutes(app, deps);
  await collectionsVirtualRoutes(app, deps);
  await collectionsRefreshRoutes(app, deps);
};
