import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, RouteModule } from '../deps.ts';

/** Where `npm run build:web` writes the single-page app. */
export const WEB_DIST = path.resolve(import.meta.dirname, '../../../web/dist');

/**
 * No inline script and nothing from other origins. Inline *styles* stay allowed: Svelte sets sizes and
 * positions through style attributes, which cannot run code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths the app's routes never shadow: an unknown one there is a JSON 404, not the app. */
const RESERVED = /^\/(api(\/|$)|openapi\.json$|assets\/romm\/resources(\/|$)|ws(\/|$))/;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>romshelf</title>
<p>The web UI has not been built. Run <code>npm run build:web</code>; the API is at <a href="/api/docs">/api/docs</a>.</p>`;

function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  reply.header('x-frame-options', 'DENY');
}

/** The web UI: static files from web/dist and index.html for every client-side route. */
export const webUiRoutes: RouteModule = async (app, _deps) => {
  await app.register(async (scope: App) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      securityHeaders(reply);
      return payload;
    });

    const indexFile = path.join(WEB_DIST, 'index.html');
    const built = existsSync(indexFile);
    if (built) {
      await scope.register(fastifyStatic, {
        root: WEB_DIST,
        prefix: '/',
        wildcard: false,
        index: false,
        preCompressed: true,
        setHeaders: (res, filePath) => {
          // Hashed bundles never change under the same name; everything else is revalidated.
          const immutable = filePath.includes(`${path.sep}_app${path.sep}`);
          res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    }
    // Read once: the shell is small and served for every deep link.
    const shell = built ? readFileSync(indexFile) : Buffer.from(NOT_BUILT);

    const serveShell = async (request: FastifyRequest, reply: FastifyReply) => {
      const pathname = request.url.split('?')[0] ?? '/';
      if (RESERVED.test(pathname)) return reply.code(404).send({ detail: 'Not Found' });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(shell);
    };
    scope.get('/', { schema: { hide: true } }, serveShell);
    scope.get('/*', { schema: { hide: true } }, serveShell);
  });
};
