import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';

/** Helpers for the ROM write tests: files on disk, multipart bodies, images and a local HTTP server. */

export interface FilePart {
  field: string;
  filename: string;
  data: Buffer;
  type?: string;
}

/** A multipart/form-data body for app.inject(). */
export function multipart(fields: Record<string, string>, file?: FilePart): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----romshelf${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), Buffer.from(value, 'utf8'), Buffer.from('\r\n'));
  }
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`), file.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const png = (width = 300, height = 400) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } }).png().toBuffer();
export const jpeg = (width = 300, height = 400) =>
  sharp({ create: { width, height, channels: 3, background: { r: 20, g: 130, b: 60 } } }).jpeg().toBuffer();

export const SVG_XSS = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>');
export const HTML_XSS = Buffer.from('<!DOCTYPE html><html><body><script>fetch("/api/users")</script></body></html>');
/** Starts with a GIF signature (so naive sniffers say image/gif) and carries HTML/JS/SVG after it. */
export const GIF_POLYGLOT = Buffer.from('GIF89a/*<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/><html><script>alert(1)</script>*/=1;');

/** Writes a file (creating its directory) under `root`. */
export async function writeTree(root: string, rel: string, content: string | Buffer = 'rom-bytes'): Promise<string> {
  const abs = path.join(root, rel);
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, content);
  return abs;
}

/** Every path below `root` (files and directories), sorted, relative. */
export async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      out.push(path.relative(root, abs));
      if (e.isDirectory()) await walk(abs);
    }
  }
  await walk(root);
  return out.sort();
}

export interface LocalServer {
  url: string;
  port: number;
  hits: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records every request; `handler` answers them. */
export async function localServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_q, r) => r.end('ok')): Promise<LocalServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
