import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../domain/downloads-names.ts';
import { AppError, badRequest, notFound } from '../../domain/errors.ts';
import { applyPatch, PatchError, SUPPORTED_PATCH_EXTENSIONS } from '../../patcher/index.ts';
import type { RouteModule } from '../deps.ts';
import { errorResponses, IdParam } from '../schemas/common.ts';

const MAX_CONCURRENT = 2;
const TIMEOUT_MS = 120_000;

const PatchForm = Type.Object({
  patch_file_id: Type.Optional(Type.Integer({ minimum: 1 })),
  output_file_name: Type.Optional(Type.String({ maxLength: 1000 })),
  patch_file: Type.Optional(Type.Unknown()),
});

interface ParsedForm {
  patchFileId?: number;
  outputFileName?: string;
  upload?: { path: string; name: string; size: number };
}

const stem = (name: string) => {
  const ext = path.extname(name);
  return ext ? name.slice(0, -ext.length) : name;
};

/** Reads the multipart form, streaming an uploaded patch to `dir` (never into memory), capped at `max` bytes. */
async function readForm(request: FastifyRequest, dir: string, max: number): Promise<ParsedForm> {
  if (!request.isMultipart()) throw new AppError(415, 'Expected multipart/form-data');
  const form: ParsedForm = {};
  for await (const part of request.parts({ limits: { fileSize: max } })) {
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
      form.upload = { path: target, name: path.basename(part.filename || 'uploaded-patch'), size };
    } else if (part.fieldname === 'patch_file_id' && String(part.value).trim() !== '') {
      const id = Number(part.value);
      if (!Number.isInteger(id) || id < 1) throw badRequest('patch_file_id must be a positive integer');
      form.patchFileId = id;
    } else if (part.fieldname === 'output_file_name' && typeof part.value === 'string') {
      form.outputFileName = part.value;
    }
  }
  return form;
}

/** §6.8: apply a patch to a ROM file on the server and stream the result, with `X-Patch-Validated`. */
export const patchRoutes: RouteModule = (app, { services, config }) => {
  const max = config.romPatcherMaxFileSizeBytes;
  let running = 0;
  const waiting: Array<() => void> = [];
  const acquire = async () => {
    if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };

  // A library file by id, through the download service's path resolution (library-confined, existence checked).
  const libraryFile = async (id: number, label: 'ROM' | 'Patch') => {
    try {
      return await services.downloads.romFile(id);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) {
        throw notFound(label === 'ROM' ? `ROM file with id ${id} not found` : `Patch file with id ${id} not found`);
      }
      throw err;
    }
  };

  app.post('/api/roms/:id/patch', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: {
      tags: ['roms'],
      summary: 'Apply a patch to a ROM file ({id} is a RomFile id)',
      params: IdParam,
      consumes: ['multipart/form-data'],
      // Documents the multipart fields; the body itself is read as a stream below.
      body: PatchForm,
      response: { 200: Type.Unknown({ description: 'The patched file' }), ...errorResponses },
    },
    validatorCompiler: () => () => true,
  }, async (request, reply) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-patch-'));
    const cleanup = () => void rm(dir, { recursive: true, force: true });
    try {
      const form = await readForm(request, dir, max);
      if ((form.patchFileId === undefined) === (form.upload === undefined)) {
        throw badRequest('Provide exactly one of a library patch file or an uploaded patch file');
      }
      const rom = await libraryFile(request.params.id, 'ROM');
      const romName = path.basename(rom.path);
      if (rom.size > max) throw badRequest(`ROM file is too large to patch (${rom.size} bytes, max ${max})`);

      let patchPath: string;
      let patchName: string;
      if (form.upload) {
        if (form.upload.size === 0) throw badRequest('Uploaded patch file is empty');
        patchPath = form.upload.path;
        patchName = form.upload.name;
      } else {
        const patch = await libraryFile(form.patchFileId ?? 0, 'Patch');
        if (patch.size > max) throw badRequest(`Patch file is too large to patch (${patch.size} bytes, max ${max})`);
        patchPath = patch.path;
        patchName = path.basename(patch.path);
      }
      const ext = path.extname(patchName).toLowerCase();
      if (!SUPPORTED_PATCH_EXTENSIONS.includes(ext)) {
        throw badRequest(`Unsupported patch format '${ext}'. Supported: ${[...SUPPORTED_PATCH_EXTENSIONS].sort().join(', ')}`);
      }

      const outName = form.outputFileName?.trim()
        ? `${stem(path.basename(form.outputFileName.trim()))}${path.extname(romName)}`
        : `${stem(romName)} (patched-${stem(patchName)})${path.extname(romName)}`;
      const target = path.join(dir, 'output.bin');
      await acquire();
      let result;
      try {
        result = await applyPatch({ sourcePath: rom.path, patchPath, targetPath: target, limits: { maxTargetSize: max }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (err) {
        if (err instanceof PatchError) throw badRequest(err.message);
        request.log.error({ err }, 'patching failed');
        throw new AppError(500, 'Patching failed');
      } finally {
        release();
      }
      const size = (await stat(target)).size;
      const stream = createReadStream(target);
      stream.once('close', cleanup);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', contentDisposition('attachment', outName))
        .header('content-length', String(size))
        .header('x-patch-validated', String(result.validated))
        .header('access-control-expose-headers', 'X-Patch-Validated, Content-Disposition')
        .send(stream);
    } catch (err) {
      cleanup();
      throw err;
    }
  });
};
