import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors.ts';
import { asStorageError } from '../../common/storage-errors.ts';
import type { App } from '../deps.ts';
import { isMalformedMultipart } from './multipart.ts';

const LOCATIONS: Record<string, string> = { querystring: 'query', params: 'path', body: 'body', headers: 'header' };

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** FastAPI's 422 body: `{"detail": [{"type", "loc", "msg", "input"}]}`. */
function validationDetail(error: FastifyError & { validation?: AjvIssue[]; validationContext?: string }) {
  const where = LOCATIONS[error.validationContext ?? 'body'] ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const loc: (string | number)[] = [where, ...issue.instancePath.split('/').filter(Boolean).map(segment)];
    if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') {
      return { type: 'missing', loc: [...loc, issue.params.missingProperty], msg: 'Field required' };
    }
    return { type: issue.keyword, loc, msg: issue.message ?? 'Invalid value' };
  });
}

const segment = (s: string): string | number => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** Maps every error to RomM's `{"detail": ...}` body; nothing internal reaches the client. */
export function registerErrorHandling(app: App): void {
  app.setErrorHandler((error: FastifyError & { validation?: AjvIssue[] }, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      return reply.code(error.status).headers(error.headers).send({ detail: error.detailObject ?? error.detail });
    }
    if (error.validation) {
      return reply.code(422).send({ detail: validationDetail(error) });
    }
    // Storage that cannot keep a change: 503 (a retry may succeed once an administrator acts), never a false 200.
    const storage = asStorageError(error);
    if (storage) {
      request.log.error({ err: error }, storage.message);
      return reply.code(503).send({ detail: storage.detail });
    }
    // A multipart body cut inside a file part fails while the route reads the file stream.
    if (isMalformedMultipart(error, request)) {
      return reply.code(400).send({ detail: 'Malformed multipart body' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ detail: clientMessage(error) });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ detail: 'Internal server error' });
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ detail: 'Not Found' }));
}

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported media type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is empty';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Invalid Content-Length';
    default:
      // Fastify's own client errors (bad JSON, bad headers) have safe, short messages.
      return error.message.split('\n')[0] ?? 'Bad request';
  }
}
