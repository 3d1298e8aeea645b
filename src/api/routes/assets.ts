import { createReadStream } from 'node:fs';
import { lstat, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { isInside } from '../../common/paths.ts';
import { Type } from 'typebox';
import type { ResourceStore } from '../../domain/roms/resources.ts';
import type { RouteModule } from '../deps.ts';

/** Types served inline; anything else is an attachment, so a stray HTML or SVG file can never render. */
const INLINE_TYPES: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif',
  '.avif': 'image/avif', '.pdf': 'application/pdf', '.mp4': 'video/mp4', '.webm': 'video/webm',
};

/**
 * `DATA_PATH/resources` at /assets/romm/resources/* (covers, manuals), public like RomM's static mount. Only
 * regular files strictly inside the resources directory are served (after resolving symlinks); no directory
 * listings; every response carries nosniff and a sandboxing CSP.
 */
export const assetRoutes: RouteModule = async (app, { services }) => {
  const store = services.resources;
  await mkdir(store.root, { recursive: true });

  app.get('/assets/romm/resources/*', {
    config: { auth: 'public' },
    schema: { hide: true, params: Type.Object({ '*': Type.String({ maxLength: 4096 }) }) },
  }, async (request, reply) => {
    harden(reply);
    const file = await servable(store, request.params['*']);
    if (!file) return reply.code(404).send({ detail: 'Not Found' });
    const type = INLINE_TYPES[path.extname(file.path).toLowerCase()];
    reply.header('content-length', file.size);
    reply.header('cache-control', 'public, max-age=86400');
    reply.header('last-modified', new Date(file.mtimeMs).toUTCString());
    if (type) reply.type(type).header('content-disposition', 'inline');
    else reply.type('application/octet-stream').header('content-disposition', 'attachment');
    return reply.send(createReadStream(file.path));
  });
};

function harden(reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('content-security-policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox");
  reply.header('cross-origin-resource-policy', 'same-origin');
}

async function servable(store: ResourceStore, rel: string): Promise<{ path: string; size: number; mtimeMs: number } | null> {
  let decoded = rel;
  // The router already decoded once; a second level of encoding is never legitimate.
  if (/%2e|%2f|%5c|%00/i.test(decoded)) return null;
  decoded = decoded.replace(/\\/g, '/');
  if (decoded.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return null;
  const abs = store.resolveInside(decoded);
  if (!abs) return null;
  try {
    const [real, rootReal] = await Promise.all([realpath(abs), realpath(store.root)]);
    if (!isInside(rootReal, real)) return null;
    const st = await lstat(real);
    return st.isFile() ? { path: real, size: st.size, mtimeMs: st.mtimeMs } : null;
  } catch {
    return null;
  }
}
