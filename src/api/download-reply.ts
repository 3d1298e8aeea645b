import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFileRange } from '../archive/file-range.ts';
import { httpDate, notModified, parseRange, rangeStillValid, type Validators } from '../archive/http-range.ts';
import { pump } from '../archive/pump.ts';
import { mediaTypeOf } from '../archive/kinds.ts';
import { readZipRange } from '../archive/zip-ranges.ts';
import type { Download } from '../domain/downloads/downloads-service.ts';

/** Headers, conditionals and ranges shared by every download; the body streams from disk. */
export async function sendDownload(request: FastifyRequest, reply: FastifyReply, head: boolean, d: Download): Promise<FastifyReply> {
  const size = d.kind === 'file' ? d.size : d.plan.totalLength;
  const validators: Validators = { etag: d.kind === 'file' ? d.etag : d.plan.etag, lastModified: httpDate(d.mtimeMs) };
  reply.header('accept-ranges', 'bytes').header('etag', validators.etag).header('last-modified', validators.lastModified);
  reply.header('content-disposition', d.contentDisposition);
  if (d.kind === 'file') reply.headers(d.headers);

  if (notModified(request.headers['if-none-match'], validators)) return reply.code(304).send();

  let range = parseRange(request.headers.range, size);
  if (range.kind !== 'full' && !rangeStillValid(request.headers['if-range'], validators)) range = { kind: 'full' };
  if (range.kind === 'unsatisfiable') {
    reply.removeHeader('content-disposition');
    return reply.code(416).header('content-range', `bytes */${size}`).send({ detail: 'Requested range not satisfiable' });
  }

  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : size;
  if (range.kind === 'partial') reply.code(206).header('content-range', `bytes ${start}-${end - 1}/${size}`);
  reply.header('content-type', d.kind === 'file' ? d.contentType : mediaTypeOf('zip')).header('content-length', end - start);
  if (head || end === start) return reply.send();

  // The body is written straight to the socket with recycled buffers (see pump): constant memory per download.
  reply.hijack();
  reply.raw.writeHead(reply.statusCode, reply.getHeaders() as OutgoingHttpHeaders);
  await pump(reply.raw, (take) => d.kind === 'file'
    ? readFileRange(d.path, start, end, { size: d.size, mtimeMs: d.mtimeMs, ctimeMs: d.ctimeMs, ino: d.ino }, take)
    : readZipRange(d.plan, start, end, take));
  return reply;
}
