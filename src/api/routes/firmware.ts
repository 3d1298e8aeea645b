import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../common/errors.ts';
import { errorResponses } from '../../contract/common.ts';
import {
  AddFirmwareResponse, FirmwareContentParams, FirmwareDeleteBody, FirmwareIdParam, FirmwareListQuery, FirmwareSchema,
  FirmwareUploadFormDoc, FirmwareUploadQuery,
} from '../../contract/firmware.ts';
import { BulkOperationResponse } from '../../contract/rom-edit.ts';
import { downloadResponses } from '../../contract/downloads.ts';
import type { FirmwareUploadPart } from '../../domain/firmware/firmware-service.ts';
import type { RouteModule } from '../deps.ts';
import { sendDownload } from '../download-reply.ts';
import { formParts } from '../plugins/multipart.ts';
import { caller, type RouteAuth } from '../route-auth.ts';

const tags = ['firmware'];
const read: RouteAuth = { scopes: ['firmware.read'] };
const readOrDownload: RouteAuth = { scopes: ['firmware.read'], downloadEndpoint: true };
const write: RouteAuth = { scopes: ['firmware.write'] };
// A missing `files` field is a 422 with a plain message (the body is read as a stream, not validated by a schema).
const uploadResponses = {
  ...errorResponses, 409: errorResponses[400], 413: errorResponses[400], 415: errorResponses[400],
  422: Type.Union([errorResponses[422], errorResponses[400]]),
};

/** Most files one upload may carry. */
const MAX_FILES = 1000;

const userIdOf = (request: FastifyRequest): number | null => request.auth?.user.id ?? null;

/** The `files` parts of the upload form, streamed; other parts are drained and ignored. */
async function* uploadParts(request: FastifyRequest, maxBytes: number): AsyncGenerator<FirmwareUploadPart> {
  if (!request.isMultipart()) throw new AppError(415, 'Expected multipart/form-data');
  const limits = { fileSize: maxBytes > 0 ? maxBytes : Infinity, files: MAX_FILES, fields: 100 };
  for await (const part of formParts(request, limits)) {
    if (part.type !== 'file') continue;
    if (part.fieldname !== 'files') {
      part.file.resume();
      continue;
    }
    yield { filename: part.filename, file: part.file, truncated: () => part.file.truncated };
  }
}

/** Firmware (BIOS) files, RomM's `/api/firmware` (romm-api-clients.md §3.5). */
export const firmwareRoutes: RouteModule = (app, { services, config }) => {
  const firmware = services.firmware;

  app.get('/api/firmware', {
    config: { auth: read },
    schema: { tags, querystring: FirmwareListQuery, response: { 200: Type.Array(FirmwareSchema), ...errorResponses } },
  }, async (request) => firmware.list(userIdOf(request), request.query.platform_id));

  app.get('/api/firmware/identifiers', {
    config: { auth: read },
    schema: { tags, response: { 200: Type.Array(Type.Integer()), ...errorResponses } },
  }, async (request) => firmware.identifiers(userIdOf(request)));

  app.get('/api/firmware/:id', {
    config: { auth: readOrDownload },
    schema: { tags, params: FirmwareIdParam, response: { 200: FirmwareSchema, ...errorResponses } },
  }, async (request) => firmware.get(userIdOf(request), request.params.id));

  // HEAD is declared before its GET twin so Fastify does not derive it from the GET handler.
  for (const method of ['HEAD', 'GET'] as const) {
    const head = method === 'HEAD';
    app.route({
      method,
      url: '/api/firmware/:id/content/:file_name',
      config: { auth: readOrDownload },
      schema: { tags, params: FirmwareContentParams, response: downloadResponses },
      handler: async (request, reply) => sendDownload(request, reply, head, await firmware.content(
        userIdOf(request), request.params.id, { head, urlFileName: request.params.file_name },
      )),
    });
  }

  app.post('/api/firmware', {
    config: { auth: write },
    schema: {
      tags, querystring: FirmwareUploadQuery,
      body: { content: { 'multipart/form-data': { schema: FirmwareUploadFormDoc } } },
      response: { 200: AddFirmwareResponse, ...uploadResponses },
    },
  }, async (request) => firmware.upload(
    userIdOf(request), request.query.platform_id, uploadParts(request, config.firmwareMaxUploadBytes),
  ));

  app.post('/api/firmware/delete', {
    config: { auth: write },
    schema: { tags, body: FirmwareDeleteBody, response: { 200: BulkOperationResponse, ...errorResponses } },
  }, async (request) => firmware.delete(caller(request), request.body));
};
