import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../common/errors.ts';
import { errorResponses } from '../../contract/common.ts';
import { downloadResponses } from '../../contract/downloads.ts';
import {
  AssetIdParam, AssetVersionParams, AssetVersionSchema, DeletedAssetSchema, DeletedListQuery, DeviceBody, DeviceQuery, SaveContentQuery, SaveListQuery, SaveSchema,
  SavesDeleteBody, SaveSummaryQuery, SaveSummarySchema, SaveUploadQuery, uploadFormDoc, VisibilityBody,
} from '../../contract/saves.ts';
import type { FormFile } from '../../domain/saves/saves-service.ts';
import type { RouteModule } from '../deps.ts';
import { sendDownload } from '../download-reply.ts';
import { formParts } from '../plugins/multipart.ts';
import { caller, type RouteAuth } from '../route-auth.ts';

const tags = ['saves'];
const read: RouteAuth = { scopes: ['assets.read'] };
const write: RouteAuth = { scopes: ['assets.write'] };
const deviceWrite: RouteAuth = { scopes: ['devices.write'] };
export const uploadResponses = {
  ...errorResponses, 409: errorResponses[400], 413: errorResponses[400], 415: errorResponses[400],
  422: Type.Union([errorResponses[422], errorResponses[400]]),
};

/**
 * RomM's upload-size middleware for asset routes (§0.4): a declared body over the limit is refused before it is read.
 * The parts are limited again while they stream (a body may omit Content-Length).
 */
export function assetBodyLimit(maxBytes: number): onRequestHookHandler {
  return (request, _reply, done) => {
    const raw = request.headers['content-length'];
    if (raw === undefined || maxBytes <= 0) return done();
    if (!/^\d+$/.test(raw)) return done(new AppError(400, 'Invalid Content-Length header'));
    if (Number(raw) > maxBytes) return done(new AppError(413, `Request body exceeds the maximum allowed size of ${maxBytes} bytes`));
    done();
  };
}

/** The file parts of an asset upload form, streamed; text fields are ignored. */
export async function* assetParts(request: FastifyRequest, maxBytes: number): AsyncGenerator<FormFile> {
  if (!request.isMultipart()) throw new AppError(415, 'Expected multipart/form-data');
  // One byte over the limit marks the part as cut; the service answers 413.
  const limits = { fileSize: maxBytes > 0 ? maxBytes + 1 : Infinity, files: 4, fields: 20 };
  for await (const part of formParts(request, limits)) {
    if (part.type !== 'file') continue;
    yield { field: part.fieldname, filename: part.filename, file: part.file, truncated: () => part.file.truncated };
  }
}

/** RomM's `/api/saves` (romm-api-clients.md §6.5), plus romshelf's previous versions of each save. */
export const saveRoutes: RouteModule = (app, { services, config }) => {
  const saves = services.saves;
  const max = config.assets.maxUploadBytes;
  const limit = assetBodyLimit(max);

  app.post('/api/saves', {
    config: { auth: write }, onRequest: limit,
    schema: {
      tags, querystring: SaveUploadQuery,
      body: { content: { 'multipart/form-data': { schema: uploadFormDoc('saveFile', true) } } },
      response: { 200: SaveSchema, ...uploadResponses },
    },
  }, async (request) => saves.upload(caller(request), request.query, assetParts(request, max)));

  app.get('/api/saves', {
    config: { auth: read },
    schema: { tags, querystring: SaveListQuery, response: { 200: Type.Array(SaveSchema), ...errorResponses } },
  }, async (request) => saves.list(caller(request), request.query));

  app.get('/api/saves/identifiers', {
    config: { auth: read },
    schema: { tags, response: { 200: Type.Array(Type.Integer()), ...errorResponses } },
  }, async (request) => saves.identifiers(caller(request)));

  app.get('/api/saves/summary', {
    config: { auth: read },
    schema: { tags, querystring: SaveSummaryQuery, response: { 200: SaveSummarySchema, ...errorResponses } },
  }, async (request) => saves.summary(caller(request), request.query.rom_id));

  // romshelf: deleted saves still held as versions. A static path, so `/api/saves/:id` never takes it.
  app.get('/api/saves/deleted', {
    config: { auth: read },
    schema: {
      tags, querystring: DeletedListQuery, response: { 200: Type.Array(DeletedAssetSchema), ...errorResponses },
      description: 'romshelf extension: the caller\'s deleted saves that still have kept versions, each restorable.',
    },
  }, async (request) => saves.deleted(caller(request), request.query.rom_id));

  app.get('/api/saves/:id', {
    config: { auth: read },
    schema: { tags, params: AssetIdParam, querystring: DeviceQuery, response: { 200: SaveSchema, ...errorResponses } },
  }, async (request) => saves.get(caller(request), request.params.id, request.query.device_id));

  for (const method of ['HEAD', 'GET'] as const) {
    app.route({
      method, url: '/api/saves/:id/content',
      config: { auth: read },
      schema: { tags, params: AssetIdParam, querystring: SaveContentQuery, response: downloadResponses },
      handler: async (request, reply) => sendDownload(request, reply, method === 'HEAD',
        await saves.content(caller(request), request.params.id, request.query)),
    });
    app.route({
      method, url: '/api/saves/:id/versions/:version_id/content',
      config: { auth: read },
      schema: { tags, params: AssetVersionParams, response: downloadResponses },
      handler: async (request, reply) => sendDownload(request, reply, method === 'HEAD',
        await saves.versionContent(caller(request), request.params.id, request.params.version_id)),
    });
  }

  app.get('/api/saves/:id/versions', {
    config: { auth: read },
    schema: { tags, params: AssetIdParam, response: { 200: Type.Array(AssetVersionSchema), ...errorResponses } },
  }, async (request) => saves.versions(caller(request), request.params.id));

  app.post('/api/saves/:id/versions/:version_id/restore', {
    config: { auth: write }, onRequest: limit,
    schema: { tags, params: AssetVersionParams, response: { 200: SaveSchema, ...uploadResponses } },
  }, async (request) => saves.restore(caller(request), request.params.id, request.params.version_id));

  app.post('/api/saves/:id/downloaded', {
    config: { auth: deviceWrite }, onRequest: limit,
    schema: { tags, params: AssetIdParam, body: DeviceBody, response: { 200: SaveSchema, ...errorResponses } },
  }, async (request) => saves.downloaded(caller(request), request.params.id, request.body.device_id));

  for (const action of ['track', 'untrack'] as const) {
    app.post(`/api/saves/:id/${action}`, {
      config: { auth: deviceWrite }, onRequest: limit,
      schema: { tags, params: AssetIdParam, body: DeviceBody, response: { 200: SaveSchema, ...errorResponses } },
    }, async (request) => saves.track(caller(request), request.params.id, request.body.device_id, action === 'untrack'));
  }

  app.put('/api/saves/:id', {
    config: { auth: write }, onRequest: limit,
    schema: {
      tags, params: AssetIdParam, querystring: DeviceQuery,
      body: { content: { 'multipart/form-data': { schema: uploadFormDoc('saveFile', false) } } },
      response: { 200: SaveSchema, ...uploadResponses },
    },
  }, async (request) => saves.update(caller(request), request.params.id, request.query.device_id, assetParts(request, max)));

  app.put('/api/saves/:id/visibility', {
    config: { auth: write }, onRequest: limit,
    schema: { tags, params: AssetIdParam, body: VisibilityBody, response: { 200: SaveSchema, ...errorResponses } },
  }, async (request) => saves.setVisibility(caller(request), request.params.id, request.body.is_public));

  app.post('/api/saves/delete', {
    config: { auth: write }, onRequest: limit,
    schema: { tags, body: SavesDeleteBody, response: { 200: Type.Array(Type.Integer()), ...errorResponses } },
  }, async (request) => saves.delete(caller(request), request.body.saves));
};
