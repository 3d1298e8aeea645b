import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, RouteModule } from '../deps.ts';
import { PROJECT_ROOT } from '../../common/paths.ts';

/** Where `npm run build:web` writes the single-page app. */
export const WEB_DIST = path.join(PROJECT_ROOT, 'web', 'dist');

/**
 * No inline script and nothing from other origins, except HTTPS images: the Match dialog shows the candidates'
 * covers from the providers' image servers, as RomM does (images cannot run code). Inline *styles* stay allowed:
 * Svelte sets sizes and positions through style attributes, which cannot run code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
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

/** The app shell, re-read when web/dist is rebuilt so a running server never serves a stale or missing one. */
function shellLoader(): () => Buffer {
  const file = path.join(WEB_DIST, 'index.html');
  let cached: { mtimeMs: number; body: Buffer } | null = null;
  return () => {
    try {
      const { mtimeMs } = statSync(file);
      if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, body: readFileSync(file) };
      return cached.body;
    } catch {
      return Buffer.from(NOT_BUILT);
    }
  };
}

/** A file directly in web/dist (favicon and the like), never index.html or a dotfile. */
const ROOT_FILE = /^\/([A-Za-z0-9][A-Za-z0-9._-]*\.[A-Za-z0-9]+)$/;

/** The web UI: static files from web/dist and index.html for every client-side route. */
export const webUiRoutes: RouteModule = async (app, _deps) => {
  await app.register(async (scope: App) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      securityHeaders(reply);
      return payload;
    });

    // Hashed bundles: looked up per request, so a rebuild is served without a restart; they never change under
    // the same name, so browsers keep them for a year.
    await scope.register(fastifyStatic, {
      root: path.join(WEB_DIST, '_app'),
      prefix: '/_app/',
      index: false,
      preCompressed: true,
      maxAge: 365 * 24 * 3600 * 1000,
      immutable: true,
    });

    const shell = shellLoader();
    const serveShell = async (request: FastifyRequest, reply: FastifyReply) => {
      const pathname = request.url.split('?')[0] ?? '/';
      if (RESERVED.test(pathname)) return reply.code(404).send({ detail: 'Not Found' });
      const rootFile = ROOT_FILE.exec(pathname)?.[1];
      if (rootFile && rootFile !== 'index.html' && existsSync(path.join(WEB_DIST, rootFile))) {
        return reply.header('cache-control', 'no-cache').sendFile(rootFile, WEB_DIST, { cacheControl: false });
      }
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(shell());
    };
    scope.get('/', { schema: { hide: true } }, serveShell);
    scope.get('/*', { schema: { hide: true } }, serveShell);
  });
};
