import type { IncomingMessage } from 'node:http';
import multipart, { type Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../../common/errors.ts';
import type { App } from '../deps.ts';

/** Default part limits; routes reading larger uploads pass their own to `formParts`. */
const DEFAULT_LIMITS = { fileSize: 64 * 1024 * 1024, files: 1, fields: 100 };

/** RFC 2046 boundaries: 1 to 70 characters, quoted or a token. */
const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;

export function multipartBoundary(contentType: string | undefined): string | null {
  const match = BOUNDARY.exec(contentType ?? '');
  const value = match?.[1] ?? match?.[2] ?? '';
  return value.length >= 1 && value.length <= 70 ? value : null;
}

/**
 * The form parser throws or emits these plain errors for bodies that are not valid multipart; they are the client's
 * fault, so they answer 400 instead of 500.
 */
const MALFORMED = [
  /^Multipart: Boundary not found$/,
  /^Unexpected end of multipart data$/,
  /terminated early due to unexpected end of multipart data$/,
  /^The needle cannot /,
];

/** Requests whose body ended inside a file part; reading that file fails with a bare premature-close error. */
const cutInsideFile = new WeakSet<FastifyRequest>();

/** Whether an error comes from a multipart body the client got wrong (so it answers 400, not 500). */
export function isMalformedMultipart(error: { message?: string; statusCode?: number; code?: string }, request: FastifyRequest): boolean {
  if (error.statusCode !== undefined) return false;
  if (error.code === 'ERR_STREAM_PREMATURE_CLOSE') return cutInsideFile.has(request);
  return MALFORMED.some((re) => re.test(error.message ?? ''));
}

/** Registers the multipart parser and refuses multipart requests the parser cannot read before any handler runs. */
export async function registerMultipart(app: App): Promise<void> {
  await app.register(multipart, { limits: DEFAULT_LIMITS });
  app.addHook('preValidation', async (request) => {
    if (request.isMultipart() && multipartBoundary(request.headers['content-type']) === null) {
      throw badRequest('Multipart body has no valid boundary');
    }
  });
}

type PartLimits = Partial<typeof DEFAULT_LIMITS> & { fieldSize?: number; parts?: number };

/**
 * The parts of a multipart form, like `request.parts()`, but a body that ends before its closing delimiter answers
 * 400: the parser silently ends the form there, which would apply the half of an edit that arrived.
 */
export async function* formParts(request: FastifyRequest, limits?: PartLimits): AsyncGenerator<Multipart> {
  const boundary = multipartBoundary(request.headers['content-type']);
  if (!request.isMultipart() || boundary === null) throw badRequest('Multipart body has no valid boundary');
  const closed = watchForCloseDelimiter(request.raw, boundary);
  try {
    for await (const part of request.parts(limits ? { limits } : undefined)) {
      if (part.type === 'file') {
        // The parser destroys the file stream of a cut body without an error; one destroyed before the route reads it
        // would leave a pipeline waiting forever.
        if (part.file.destroyed && !part.file.readableEnded) throw new AppError(400, 'Multipart body is incomplete');
        part.file.once('close', () => {
          if (!part.file.readableEnded) cutInsideFile.add(request);
        });
      }
      yield part;
    }
  } catch (err) {
    if (isMalformedMultipart(err as Error, request)) throw badRequest('Malformed multipart body');
    throw err;
  } finally {
    closed.stop();
  }
  if (!closed.seen()) throw new AppError(400, 'Multipart body is incomplete');
}

/**
 * Watches the raw body for the close delimiter (`--boundary--` at a line start), across chunk edges, without holding
 * the body. It listens from the same tick in which `parts()` pipes the body into the parser, so both see every chunk.
 */
function watchForCloseDelimiter(raw: IncomingMessage, boundary: string): { seen: () => boolean; stop: () => void } {
  const needle = Buffer.from(`\r\n--${boundary}--`);
  let seen = false;
  // The body may open with the delimiter itself (an empty form): start as if after a line break.
  let tail: Buffer = Buffer.from('\r\n');
  const onData = (chunk: Buffer) => {
    if (seen) return;
    const edge = Buffer.concat([tail, chunk.subarray(0, needle.length - 1)]);
    seen = edge.includes(needle) || chunk.includes(needle);
    tail = chunk.length >= needle.length - 1 ? chunk.subarray(chunk.length - needle.length + 1) : edge.subarray(Math.max(0, edge.length - needle.length + 1));
    tail = Buffer.from(tail); // a copy, so the chunk itself can be freed
  };
  raw.on('data', onData);
  return { seen: () => seen, stop: () => raw.off('data', onData) };
}
