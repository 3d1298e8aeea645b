import type { FastifyRequest } from 'fastify';
import { AppError, forbidden } from '../../common/errors.ts';
import type { RomEditInput } from '../../domain/roms/edit-service.ts';
import type { RouteModule } from '../deps.ts';
import { formParts } from '../plugins/multipart.ts';
import { caller } from '../route-auth.ts';
import { errorResponses } from '../../contract/common.ts';
import { parseQueryBool } from '../../contract/query.ts';
import { BulkOperationResponse, RomDeleteBody, RomEditFormDoc, RomEditQuery, RomPropsBody, RomPropsQuery } from '../../contract/rom-edit.ts';
import { DetailedRomSchema, RomUserSchema } from '../../contract/rom.ts';
import { RomIdParam } from '../../contract/rom-queries.ts';

const tags = ['roms'];
const MAX_FIELD_BYTES = 5 * 1024 * 1024;

/** PUT /api/roms/{id}, PUT /api/roms/{id}/props and POST /api/roms/delete (spec §6.4-6.6). */
export const romsWriteRoutes: RouteModule = (app, { services }) => {
  app.put('/api/roms/:id', {
    config: { auth: { scopes: ['roms.write'] } },
    schema: {
      tags, params: RomIdParam, querystring: RomEditQuery, body: { content: { 'multipart/form-data': { schema: RomEditFormDoc } } },
      response: { 200: DetailedRomSchema, ...errorResponses, 409: errorResponses[400], 413: errorResponses[400] },
    },
  }, async (request, reply) => {
    const form = await readEditForm(request, services.romEdit.media.limits.maxImageBytes);
    const { refetch } = await services.romEdit.edit(request.params.id, {
      ...form,
      removeCover: parseQueryBool(request.query.remove_cover, false),
      unmatchMetadata: parseQueryBool(request.query.unmatch_metadata, false),
    });
    // A new provider id: that provider's data is fetched by id (bounded wait; the header says whether it is in).
    if (refetch.length > 0) reply.header('x-metadata-refresh', await services.romRefresh.refresh(request.params.id, refetch));
    return services.romsRead.detailed(request.params.id, caller(request).user.id);
  });

  app.put('/api/roms/:id/props', {
    config: { auth: { scopes: ['roms.user.write'] } },
    schema: { tags, params: RomIdParam, querystring: RomPropsQuery, body: RomPropsBody, response: { 200: RomUserSchema, ...errorResponses } },
  }, async (request) => services.romProps.update(request.params.id, caller(request).user.id, request.body, {
    updateLastPlayed: parseQueryBool(request.query.update_last_played, false),
    removeLastPlayed: parseQueryBool(request.query.remove_last_played, false),
  }));

  app.post('/api/roms/delete', {
    config: { auth: { scopes: ['roms.write'] } },
    schema: { tags, body: RomDeleteBody, response: { 200: BulkOperationResponse, ...errorResponses } },
  }, async (request) => {
    // RomM's (roms, delete) grant, library-wide.
    if (!caller(request).permissions.allows('roms', 'delete')) throw forbidden('Insufficient permissions');
    return services.romDelete.delete(request.body.roms, request.body.delete_from_fs ?? []);
  });
};

/**
 * The edit form: multipart (RomM's format, with the optional `artwork` file), or URL-encoded / JSON fields for
 * simple clients. Oversized parts answer 413 before anything is written.
 */
async function readEditForm(request: FastifyRequest, maxArtworkBytes: number): Promise<Pick<RomEditInput, 'fields' | 'artwork'>> {
  const fields = new Map<string, string>();
  let artwork: Buffer | null = null;
  if (!request.isMultipart()) {
    const body = request.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
        if (v === null || v === undefined) continue;
        fields.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      }
    }
    return { fields, artwork };
  }
  try {
    for await (const part of formParts(request, { fileSize: maxArtworkBytes, fieldSize: MAX_FIELD_BYTES, fields: 100, files: 1 })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'artwork') {
          part.file.resume();
          continue;
        }
        const bytes = await part.toBuffer();
        // Browsers send an empty, nameless file part when no file was chosen.
        if (bytes.length > 0 || part.filename) artwork = bytes;
      } else {
        if (part.valueTruncated) throw new AppError(413, `Form field ${part.fieldname} is too large`);
        fields.set(part.fieldname, typeof part.value === 'string' ? part.value : String(part.value));
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, `Artwork is too large (max ${maxArtworkBytes} bytes)`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new AppError(413, 'Too many form parts');
    throw err;
  }
  return { fields, artwork };
}
