import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';
import { CollectionIdParam, PublicQuery, SmartCollectionSchema, UpdatedAfterQuery, collectionErrors } from '../../contract/collections.ts';
import { parseQueryBool, parseQueryDateTime } from '../../contract/query.ts';
import { readCollectionForm } from './collections-form.ts';
import { sendJsonText } from './collections-virtual.ts';

const read = { auth: { scopes: ['collections.read' as const] } };
const write = { auth: { scopes: ['collections.write' as const] } };
const tags = ['collections'];
const FORM_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'];

/** Smart collections (spec §7.2). */
export const collectionsSmartRoutes: RouteModule = (app, { services }) => {
  const smart = services.collections.smart;

  app.get('/api/collections/smart', {
    config: read,
    schema: { tags, querystring: UpdatedAfterQuery, response: { 200: Type.Array(SmartCollectionSchema), ...collectionErrors } },
  }, async (request, reply) => sendJsonText(reply, await smart.listJson(caller(request).user.id, parseQueryDateTime('updated_after', request.query.updated_after))));

  app.get('/api/collections/smart/identifiers', {
    config: read,
    schema: { tags, response: { 200: Type.Array(Type.Integer()), ...collectionErrors } },
  }, async (request) => smart.identifiers(caller(request).user.id));

  app.post('/api/collections/smart', {
    config: write,
    schema: { tags, consumes: FORM_TYPES, querystring: PublicQuery, response: { 200: SmartCollectionSchema, ...collectionErrors } },
  }, async (request) => {
    const { fields } = await readCollectionForm(request);
    return smart.create(caller(request).user.id, {
      name: fields.name ?? '',
      description: fields.description ?? '',
      filterCriteria: fields.filter_criteria ?? '{}',
      isPublic: parseQueryBool(request.query.is_public, false),
    });
  });

  app.get('/api/collections/smart/:id', {
    config: read,
    schema: { tags, params: CollectionIdParam, response: { 200: SmartCollectionSchema, ...collectionErrors } },
  }, async (request) => smart.get(caller(request).user.id, request.params.id));

  app.put('/api/collections/smart/:id', {
    config: write,
    schema: { tags, consumes: FORM_TYPES, params: CollectionIdParam, querystring: PublicQuery, response: { 200: SmartCollectionSchema, ...collectionErrors } },
  }, async (request) => {
    const { fields } = await readCollectionForm(request);
    return smart.update(caller(request).user.id, request.params.id, {
      name: fields.name,
      description: fields.description,
      filterCriteria: fields.filter_criteria,
      isPublic: parseQueryBool(request.query.is_public),
    });
  });

  app.delete('/api/collections/smart/:id', {
    config: write,
    schema: { tags, params: CollectionIdParam, response: { 200: Type.Null(), ...collectionErrors } },
  }, async (request) => {
    await smart.delete(caller(request).user.id, request.params.id);
    return null;
  });
};
