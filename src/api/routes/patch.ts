import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../domain/downloads/names.ts';
import { AppError, badRequest } from '../../common/errors.ts';
import type { PatchRequest } from '../../domain/patch/patch-service.ts';
import type { RouteModule } from '../deps.ts';
import { formParts } from '../plugins/multipart.ts';
import { caller } from '../route-auth.ts';
import { errorResponses, IdParam } from '../../contract/common.ts';

/** Documentation of the multipart fields; multipart bodies reach the handler as a stream, so the body is null here. */
const PatchForm = {
  type: 'object',
  nullable: true,
  properties: {
    patch_file_id: { type: 'integer', minimum: 1, description: 'A patch file already in the library (RomFile id)' },
    patch_file: { type: 'string', format: 'binary', description: 'An uploaded patch (never stored)' },
    output_file_name: { type: 'string', maxLength: 1000, description: 'Name of the result; the ROM extension is kept' },
  },
} as const;

/** Reads the multipart form, streaming an uploaded patch to `dir` (never into memory), capped at `max` bytes. */
async function readForm(request: FastifyRequest, userId: number, romFileId: number, dir: string, max: number): Promise<PatchRequest> {
  if (!request.isMultipart()) throw new AppError(415, 'Expected multipart/form-data');
  const form: PatchRequest = { userId, romFileId };
  for await (const part of formParts(request, { fileSize: max, files: 1, fields: 10 })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'patch_file') {
        part.file.resume();
        continue;
      }
      const target = path.join(dir, 'upload.patch');
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(part.file, counter, createWriteStream(target));
      if (part.file.truncated) throw badRequest(`Patch file is too large to patch (more than ${max} bytes, max ${max})`);
      form.upload = { path: target, name: path.basename((part.filename || 'uploaded-patch').replace(/\\/g, '/')), size };
    } else if (part.fieldname === 'patch_file_id' && String(part.value).trim() !== '') {
      const id = Number(part.value);
      if (!Number.isSafeInteger(id) || id < 1) throw badRequest('patch_file_id must be a positive integer');
      form.patchFileId = id;
    } else if (part.fieldname === 'output_file_name' && typeof part.value === 'string') {
      form.outputFileName = part.value;
    }
  }
  return form;
}

/** §6.8: apply a patch to a ROM file ({id} is a RomFile id) and stream the result, with `X-Patch-Validated`. */
export const patchRoutes: RouteModule = (app, { services }) => {
  const patcher = services.patcher;

  app.post('/api/roms/:id/patch', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: {
      tags: ['roms'],
      summary: 'Apply a patch to a ROM file ({id} is a RomFile id)',
      params: IdParam,
      // Documents the multipart fields; the body itself is read as a stream in the handler.
      body: { content: { 'multipart/form-data': { schema: PatchForm } } },
      response: { 200: Type.Unknown({ description: 'The patched file' }), ...errorResponses },
    },
  }, async (request, reply) => {
    // The slot is taken before the upload is read, so one user cannot stage many uploads at once; it is freed once
    // the patch is applied (streaming the result back costs the server little).
    const releaseUser = patcher.claimUserSlot(caller(request).user.id);
    let dir: string | undefined;
    try {
      dir = await patcher.stagingDir();
      const form = await readForm(request, caller(request).user.id, request.params.id, dir, patcher.maxFileSizeBytes);
      const { result, outputPath, outputName } = await patcher.apply(form, dir);
      releaseUser();
      const staged = dir;
      const stream = createReadStream(outputPath);
      stream.once('close', () => void patcher.discard(staged));
      return await reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', contentDisposition('attachment', outputName))
        .header('content-length', String(result.outputSize))
        .header('x-patch-validated', String(result.validated))
        .header('access-control-expose-headers', 'X-Patch-Validated, Content-Disposition')
        .send(stream);
    } catch (err) {
      releaseUser();
      if (dir) void patcher.discard(dir);
      throw err;
    }
  });
};
