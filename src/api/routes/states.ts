import { Type } from 'typebox';
import { errorResponses } from '../../contract/common.ts';
import { downloadResponses } from '../../contract/downloads.ts';
import {
  AssetIdParam, AssetVersionParams, AssetVersionSchema, DeletedAssetSchema, DeletedListQuery, ScreenshotSchema, StateListQuery, StateSchema, StatesDeleteBody,
  StateUploadQuery, uploadFormDoc, VisibilityBody,
} from '../../contract/saves.ts';
import type { RouteModule } from '../deps.ts';
import { sendDownload } from '../download-reply.ts';
import { caller, type RouteAuth } from '../route-auth.ts';
import { assetBodyLimit, assetParts, uploadResponses } from './saves.ts';

const read: RouteAuth = { scopes: ['assets.read'] };
const write: RouteAuth = { scopes: ['assets.write'] };

/** RomM's `/api/states` (§6.6) with previous versions, and the screenshot gallery `/api/screenshots` (§6.7). */
export const stateRoutes: RouteModule = (app, { services, config }) => {
  const states = services.states;
  const shots = services.screenshots;
  const max = config.assets.maxUploadBytes;
  const limit = assetBodyLimit(max);
  const tags = ['states'];

  app.post('/api/states', {
    config: { auth: write }, onRequest: limit,
    schema: {
      tags, querystring: StateUploadQuery,
      body: { content: { 'multipart/form-data': { schema: uploadFormDoc('stateFile', true) } } },
      response: { 200: StateSchema, ...uploadResponses },
    },
  }, async (request) => states.upload(caller(request), request.query, assetParts(request, max)));

  app.get('/api/states', {
    config: { auth: read },
    schema: { tags, querystring: StateListQuery, response: { 200: Type.Array(StateSchema), ...errorResponses } },
  }, async (request) => states.list(caller(request), request.query));

  app.get('/api/states/identifiers', {
    config: { auth: read },
    schema: { tags, response: { 200: Type.Array(Type.Integer()), ...errorResponses } },
  }, async (request) => states.identifiers(caller(request)));

  // romshelf: deleted states still held as versions (static path: `/api/states/:id` never takes it).
  app.get('/api/states/deleted', {
    config: { auth: read },
    schema: {
      tags, querystring: DeletedListQuery, response: { 200: Type.Array(DeletedAssetSchema), ...errorResponses },
      description: 'romshelf extension: the caller\'s deleted states that still have kept versions, each restorable.',
    },
  }, async (request) => states.deleted(caller(request), request.query.rom_id));

  app.get('/api/states/:id', {
    config: { auth: read },
    schema: { tags, params: AssetIdParam, response: { 200: StateSchema, ...errorResponses } },
  }, async (request) => states.get(caller(request), request.params.id));

  for (const method of ['HEAD', 'GET'] as const) {
    const head = method === 'HEAD';
    app.route({
      method, url: '/api/states/:id/content', config: { auth: read },
      schema: { tags, params: AssetIdParam, response: downloadResponses },
      handler: async (request, reply) => sendDownload(request, reply, head, await states.content(caller(request), request.params.id)),
    });
    app.route({
      method, url: '/api/states/:id/versions/:version_id/content', config: { auth: read },
      schema: { tags, params: AssetVersionParams, response: downloadResponses },
      handler: async (request, reply) => sendDownload(request, reply, head,
        await states.versionContent(caller(request), request.params.id, request.params.version_id)),
    });
    app.route({
      method, url: '/api/screenshots/:id/content', config: { auth: read },
      schema: { tags: ['screenshots'], params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) }), response: downloadResponses },
      handler: async (request, reply) => sendDownload(request, reply, head, await shots.content(caller(request), request.params.id)),
    });
  }

  app.get('/api/states/:id/versions', {
    config: { auth: read },
    schema: { tags, params: AssetIdParam, response: { 200: Type.Array(AssetVersionSchema), ...errorResponses } },
  }, async (request) => states.versions(caller(request), request.params.id));

  app.post('/api/states/:id/versions/:version_id/restore', {
    config: { auth: write }, onRequest: limit,
    schema: { tags, params: AssetVersionParams, response: { 200: StateSchema, ...uploadResponses } },
  }, async (request) => states.restore(caller(request), request.params.id, request.params.version_id));

  app.put('/api/states/:id', {
    config: { auth: write }, onRequest: limit,
    schema: {
      tags, params: AssetIdParam,
      body: { content: { 'multipart/form-data': { schema: uploadFormDoc('stateFile', false) } } },
      response: { 200: StateSchema, ...uploadResponses },
    },
  }, async (request) => states.update(caller(request), request.params.id, assetParts(request, max)));

  app.put('/api/states/:id/visibility', {
    config: { auth: write }, onRequest: limit,
    schema: { tags, params: AssetIdParam, body: VisibilityBody, response: { 200: StateSchema, ...errorResponses } },
  }, async (request) => states.setVisibility(caller(request), request.params.id, request.body.is_public));

  app.post('/api/states/delete', {
    config: { auth: write }, onRequest: limit,
    schema: { tags, body: StatesDeleteBody, response: { 200: Type.Array(Type.Integer()), ...errorResponses } },
  }, async (request) => states.delete(caller(request), request.body.states));

  // Screenshot gallery
  app.post('/api/screenshots', {
    config: { auth: write }, onRequest: limit,
    schema: {
      tags: ['screenshots'], querystring: Type.Object({ rom_id: AssetIdParam.properties.id }),
      body: { content: { 'multipart/form-data': { schema: uploadFormDoc('screenshotFile', true) } } },
      response: { 200: ScreenshotSchema, ...uploadResponses },
    },
  }, async (request) => shots.upload(caller(request), request.query.rom_id, assetParts(request, max)));

  app.put('/api/screenshots/:id', {
    config: { auth: write }, onRequest: limit,
    schema: { tags: ['screenshots'], params: AssetIdParam, body: VisibilityBody, response: { 200: ScreenshotSchema, ...errorResponses } },
  }, async (request) => shots.setVisibility(caller(request), request.params.id, request.body.is_public));

  app.delete('/api/screenshots/:id', {
    config: { auth: write }, onRequest: limit,
    schema: { tags: ['screenshots'], params: AssetIdParam, response: { ...errorResponses } },
  }, async (request, reply) => {
    await shots.delete(caller(request), request.params.id);
    // RomM answers 200 with an empty body.
    return reply.code(200).send(undefined as never);
  });
};
