import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../common/errors.ts';
import { errorResponses } from '../../contract/common.ts';
import { DatIdParam, DatSchema, DatUpdateBody, DatUploadFormDoc } from '../../contract/dats.ts';
import type { DatUploadPart } from '../../domain/dats/dats-service.ts';
import type { RouteModule } from '../deps.ts';
import { formParts } from '../plugins/multipart.ts';
import type { RouteAuth } from '../route-auth.ts';

const tags = ['dats'];
const userIdOf = (request: FastifyRequest): number | null => request.auth?.user.id ?? null;
// DATs describe whole platforms: reading them needs platforms.read, changing them platforms.write (editors, admins).
const read: RouteAuth = { scopes: ['platforms.read'] };
const write: RouteAuth = { scopes: ['platforms.write'] };
const uploadResponses = {
  ...errorResponses, 409: errorResponses[400], 413: errorResponses[400], 415: errorResponses[400],
  422: Type.Union([errorResponses[422], errorResponses[400]]),
};

/** The `file` part of the upload form, streamed; other parts are drained and ignored. */
async function* uploadParts(request: FastifyRequest, maxBytes: number): AsyncGenerator<DatUploadPart> {
  if (!request.isMultipart()) throw new AppError(415, 'Expected multipart/form-data');
  const limits = { fileSize: maxBytes > 0 ? maxBytes : Infinity, files: 5, fields: 20 };
  for await (const part of formParts(request, limits)) {
    if (part.type !== 'file') continue;
    if (part.fieldname !== 'file') {
      part.file.resume();
      continue;
    }
    yield { filename: part.filename, file: part.file, truncated: () => part.file.truncated };
  }
}

/** DAT files for offline verification (docs/dats.md). */
export const datRoutes: RouteModule = (app, { services, config }) => {
  const dats = services.dats;

  app.get('/api/dats', {
    config: { auth: read },
    schema: { tags, response: { 200: Type.Array(DatSchema), ...errorResponses } },
  }, async (request) => dats.list(userIdOf(request)));

  app.get('/api/dats/:id', {
    config: { auth: read },
    schema: { tags, params: DatIdParam, response: { 200: DatSchema, ...errorResponses } },
  }, async (request) => dats.get(userIdOf(request), request.params.id));

  app.post('/api/dats', {
    config: { auth: write },
    schema: {
      tags,
      body: { content: { 'multipart/form-data': { schema: DatUploadFormDoc } } },
      response: { 200: DatSchema, 201: DatSchema, ...uploadResponses },
    },
  }, async (request, reply) => {
    const { dat, created } = await dats.upload(userIdOf(request), uploadParts(request, config.dats.maxUploadBytes));
    void services.datVerification.schedule();
    return reply.code(created ? 201 : 200).send(dat);
  });

  app.put('/api/dats/:id', {
    config: { auth: write },
    schema: { tags, params: DatIdParam, body: DatUpdateBody, response: { 200: DatSchema, ...errorResponses } },
  }, async (request) => {
    const dat = await dats.update(userIdOf(request), request.params.id, request.body);
    void services.datVerification.schedule();
    return dat;
  });

  app.delete('/api/dats/:id', {
    config: { auth: write },
    schema: { tags, params: DatIdParam, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await dats.delete(userIdOf(request), request.params.id);
    void services.datVerification.schedule();
    return reply.code(204).send(null);
  });
};
