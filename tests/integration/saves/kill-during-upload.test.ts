import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, utimes } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicHeader } from '../../helpers/app.ts';
import { runCli } from '../../helpers/cli.ts';
import { spawnServer, type ServerProcess } from '../../helpers/server-process.ts';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const MiB = 1024 * 1024;
const BOUNDARY = '----romshelf-kill-test';

interface Save { id: number; file_name: string; file_path: string; file_size_bytes: number; content_hash: string | null }
interface Version { id: number; reason: string; content_hash: string | null }

/** A save upload form holding `data` as `Game.srm`. */
function form(data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="saveFile"; filename="Game.srm"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/**
 * A save upload over a raw socket, so the test decides exactly how much of the body the server gets before it dies.
 * `response` collects whatever the server answered before the connection dropped.
 */
function rawUpload(server: ServerProcess, auth: string, query: string, body: Buffer) {
  const socket = net.connect(server.port, '127.0.0.1');
  let response = '';
  socket.on('data', (d: Buffer) => (response += d.toString('latin1')));
  // The server dies mid-request: resets are expected.
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const write = (chunk: Buffer) => new Promise<void>((resolve, reject) => socket.write(chunk, (err) => (err ? reject(err) : resolve())));
  const head = Buffer.from(
    `POST /api/saves?${query} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: ${auth}\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
  );
  return {
    async send(from: number, to: number): Promise<void> {
      await connected;
      if (from === 0) await write(head);
      await write(body.subarray(from, to));
    },
    response: () => response,
    close: () => socket.destroy(),
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// SQLite only: the point is the server process dying, not the database engine. Restarts are slow on a busy machine,
// so the whole file gets generous time and only a few rounds.
describe('kill -9 during a save upload', { timeout: 600_000 }, () => {
  let dir: string;
  let env: { DATA_PATH: string; LIBRARY_PATH: string };
  let server: ServerProcess | undefined;
  let romId: number;
  let saveId: number;
  let saveDir: string;
  const auth = basicHeader('alice', 'pw-alice-secret');

  const start = async () => {
    server = await spawnServer(env);
    return server;
  };
  const restart = async () => {
    await server?.kill9();
    return start();
  };
  const api = async <T>(url: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${server?.baseUrl}${url}`, { ...init, headers: { authorization: auth, ...init.headers } });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const content = async (): Promise<Buffer> => {
    const res = await fetch(`${server?.baseUrl}/api/saves/${saveId}/content`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(Number(res.headers.get('content-length')));
    return body;
  };
  const uploadWhole = async (data: Buffer): Promise<Save> => {
    const fd = new FormData();
    fd.append('saveFile', new Blob([new Uint8Array(data)]), 'Game.srm');
    return api<Save>(`/api/saves?rom_id=${romId}&emulator=mgba`, { method: 'POST', body: fd });
  };
  const listed = async () => api<Save[]>(`/api/saves?rom_id=${romId}`);
  const temps = async () => (await readdir(saveDir)).filter((n) => n.startsWith('.romm_tmp_'));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-kill-'));
    env = { DATA_PATH: path.join(dir, 'data'), LIBRARY_PATH: path.join(dir, 'library') };
    mkdirSync(path.join(env.LIBRARY_PATH, 'roms', 'gba'), { recursive: true });
    writeFileSync(path.join(env.LIBRARY_PATH, 'roms', 'gba', 'Game (USA).gba'), 'rom');
    const user = await runCli(['user', 'create', '--username', 'alice', '--password', 'pw-alice-secret', '--role', 'viewer'], env, { timeoutMs: 120_000 });
    expect(user.code, user.stderr).toBe(0);
    const scan = await runCli(['scan', '--type', 'quick'], env, { timeoutMs: 120_000 });
    expect(scan.code, scan.stderr).toBe(0);
    await start();
    const roms = await api<{ items: { id: number }[] }>('/api/roms?limit=5');
    expect(roms.items).toHaveLength(1);
    romId = roms.items[0]?.id ?? 0;
  });

  afterAll(async () => {
    await server?.kill9();
    await rm(dir, { recursive: true, force: true });
  });

  let current: Buffer;

  it('a server killed halfway through an upload keeps the old save, and a full re-upload then replaces it', async () => {
    current = randomBytes(6 * MiB);
    const first = await uploadWhole(current);
    saveId = first.id;
    saveDir = path.join(env.DATA_PATH, 'assets', first.file_path);

    const next = randomBytes(6 * MiB);
    const body = form(next);
    const upload = rawUpload(server!, auth, `rom_id=${romId}&emulator=mgba`, body);
    await upload.send(0, Math.floor(body.length / 2));
    // Kill once the server has streamed a good part of the half it got into its temporary file.
    await until('the upload to reach its temporary file', async () => {
      for (const name of await temps()) {
        const size = await stat(path.join(saveDir, name)).then((s) => s.size, () => 0);
        if (size >= 2 * MiB) return true;
      }
      return undefined;
    });
    await server?.kill9();
    upload.close();
    // The crash leaves its temporary file; made older than the start-up sweep's age limit, the next start removes it.
    const left = await temps();
    expect(left.length).toBeGreaterThan(0);
    const hourAgo = (Date.now() - 3600_000) / 1000;
    for (const name of left) await utimes(path.join(saveDir, name), hourAgo, hourAgo);
    await start();
    await until('the start-up sweep', async () => ((await temps()).length === 0 ? true : undefined));
    expect(await readdir(saveDir)).toEqual(['Game.srm']);

    expect(md5(await content())).toBe(md5(current));
    const saves = await listed();
    expect(saves.map((s) => [s.id, s.file_name, s.file_size_bytes, s.content_hash])).toEqual([[saveId, 'Game.srm', current.length, md5(current)]]);
    expect(await api<number[]>('/api/saves/identifiers')).toEqual([saveId]);

    const replaced = await uploadWhole(next);
    expect(replaced.id).toBe(saveId);
    expect(md5(await content())).toBe(md5(next));
    const versions = await api<Version[]>(`/api/saves/${saveId}/versions`);
    expect(versions.map((v) => [v.reason, v.content_hash])).toContainEqual(['overwrite', md5(current)]);
    current = next;
  });

  it('a server killed 0-150 ms (and around its own answer time) after a complete upload serves exactly the old or the new content', async () => {
    // How long this machine takes to answer a complete 1 MiB upload, as the first after a start (as in every round
    // below): kills just before that land near the rename, just after it test that an answered upload survives.
    await restart();
    const calibration = randomBytes(MiB);
    const calibrationBody = form(calibration);
    const probe = rawUpload(server!, auth, `rom_id=${romId}&emulator=mgba`, calibrationBody);
    await probe.send(0, calibrationBody.length);
    const t0 = performance.now();
    await until('the calibration upload\'s answer', async () => (/^HTTP\/1\.1 \d{3} /.test(probe.response()) ? true : undefined));
    const answerMs = performance.now() - t0;
    probe.close();
    expect(probe.response()).toMatch(/^HTTP\/1\.1 200 /);
    expect(md5(await content())).toBe(md5(calibration));
    current = calibration;

    for (const delay of [0, 75, 150, ...[0.6, 0.9, 1.2].map((f) => Math.round(answerMs * f))]) {
      const next = randomBytes(MiB);
      const body = form(next);
      const upload = rawUpload(server!, auth, `rom_id=${romId}&emulator=mgba`, body);
      await upload.send(0, body.length);
      // Which side of the rename each kill lands on depends on the machine; both sides are correct.
      await new Promise((r) => setTimeout(r, delay));
      const answered = upload.response();
      await restart();
      upload.close();

      const served = md5(await content());
      expect([md5(current), md5(next)], `after ${delay} ms`).toContain(served);
      // Once the server said 200 the new content must have survived the crash.
      if (/^HTTP\/1\.1 200 /.test(answered)) expect(served, `acknowledged, killed after ${delay} ms`).toBe(md5(next));
      const saves = await listed();
      expect(saves.map((s) => [s.id, s.file_name])).toEqual([[saveId, 'Game.srm']]);
      // A kill between the rename and the row update is corrected by the start-up check: the row describes the file.
      await until(`the row to describe the served file (${delay} ms)`, async () => {
        const [row] = await listed();
        return row?.content_hash === served && row.file_size_bytes === next.length ? true : undefined;
      });
      if (served === md5(next)) {
        const versions = await api<Version[]>(`/api/saves/${saveId}/versions`);
        expect(versions.map((v) => v.content_hash), `the replaced content is a version (${delay} ms)`).toContain(md5(current));
        current = next;
      }
    }
  });
});
