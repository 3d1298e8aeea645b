import type { FastifyRequest } from 'fastify';
import { formParts } from '../plugins/multipart.ts';

/** Text fields and the optional `artwork` file of a collection form (multipart, url-encoded or JSON). */
export interface CollectionForm {
  fields: Record<string, string>;
  artwork?: Buffer;
}

const MAX_FIELD = 1_000_000;

/**
 * RomM's collection writes are `multipart/form-data` (an `artwork` file beside text fields); url-encoded and JSON
 * bodies carrying the same fields are accepted too. The first value of a repeated field wins.
 */
export async function readCollectionForm(request: FastifyRequest): Promise<CollectionForm> {
  const fields: Record<string, string> = {};
  let artwork: Buffer | undefined;
  if (request.isMultipart()) {
    for await (const part of formParts(request)) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // An empty file input (no file chosen) arrives as a nameless, empty part.
        if (part.fieldname === 'artwork' && part.filename && bytes.length > 0) artwork = bytes;
      } else if (!(part.fieldname in fields) && typeof part.value === 'string') {
        fields[part.fieldname] = part.value.slice(0, MAX_FIELD);
      }
    }
    return { fields, artwork };
  }
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const value: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
      if (typeof value === 'string') fields[k] = value.slice(0, MAX_FIELD);
      else if (typeof value === 'number' || typeof value === 'boolean') fields[k] = String(value);
      else if (k === 'rom_ids' || k === 'filter_criteria') fields[k] = JSON.stringify(value);
    }
  }
  return { fields };
}

/** FastAPI's 422 for a missing form field. */
export function missingFormField(name: string): Error {
  return Object.assign(new Error('Field required'), {
    statusCode: 422,
    validationContext: 'body',
    validation: [{ keyword: 'required', instancePath: '', message: 'Field required', params: { missingProperty: name } }],
  });
}
