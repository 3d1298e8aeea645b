import { execFileSync } from 'node:child_process';
import { open, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { scan, writeTree } from '../scanner/fixtures.ts';
import { pythonZip, unzipTest } from './zip-check.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const crcHex = (data: Buffer) => (crc32(data) >>> 0).toString(16).padStart(8, '0');

/** Same size, new bytes, mtime set back: what size and mtime alone cannot tell from the original. */
async function rewriteInPlace(abs: string, data: Buffer): Promise<void> {
  const before = await stat(abs);
  expect(data.length).toBe(before.size);
  const handle = await open(abs, 'r+');
  await handle.write(data, 0, data.length, 0);
  await handle.close();
  await utimes(abs, before.atimeMs / 1000, before.mtimeMs / 1000);
  const after = await stat(abs);
  // Equal at the millisecond precision every check (scanner, CRC cache, readers) compares mtimes at.
  expect(Math.abs(after.mtimeMs - before.mtimeMs)).toBeLessThan(1);
  expect(after.size).toBe(before.size);
}

describeEachEngine('zip download of a file rewritten in place with its mtime restored', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let lib: string;
  let romId: number;
  let zips = 0;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    lib = t.config.libraryPath;
    writeTree(lib, {
      'roms/psx/Game (USA)/track1.bin': Buffer.alloc(200_000, 1),
      'roms/psx/Game (USA)/track2.bin': Buffer.alloc(1000, 2),
    });
    await scan(ctx().db, lib, 'complete');
    const row = await ctx().db.kysely.selectFrom('roms').select('id').where('fs_name', '=', 'Game (USA)').executeTakeFirstOrThrow();
    romId = row.id;
  });

  async function download(): Promise<{ status: number; entries: Map<string, Buffer>; crcs: Record<string, string> }> {
    const res = await t.app.inject({ method: 'GET', url: `/api/roms/${romId}/content/Game.zip`, headers: { authorization: admin.basic } });
    const file = path.join(ctx().dir, `rewrite-${++zips}.zip`);
    await writeFile(file, res.rawPayload);
    await unzipTest(file);
    const py = await pythonZip(file);
    expect(py.bad).toBeNull();
    const entries = new Map<string, Buffer>();
    for (const name of py.names) entries.set(name, execFileSync('unzip', ['-p', file, name], { maxBuffer: 1 << 24 }));
    const rows = await ctx().db.kysely.selectFrom('rom_files').select(['file_name', 'crc_hash']).where('rom_id', '=', romId).execute();
    return { status: res.statusCode, entries, crcs: Object.fromEntries(rows.map((r) => [r.file_name, r.crc_hash ?? ''])) };
  }

  it('sends the new bytes with their CRC, from the scanner hash and from the raw-CRC cache alike', async () => {
    const first = await download();
    expect(first.status).toBe(200);
    expect(first.entries.get('track1.bin')?.equals(Buffer.alloc(200_000, 1))).toBe(true);

    await sleep(20);
    const replaced = Buffer.alloc(200_000, 7);
    await rewriteInPlace(path.join(lib, 'roms/psx/Game (USA)/track1.bin'), replaced);
    const second = await download();
    expect(second.status).toBe(200);
    expect(second.entries.get('track1.bin')?.equals(replaced)).toBe(true);

    // Again, now that the fresh CRC is cached, and after a second same-size rewrite.
    await sleep(20);
    const again = Buffer.alloc(200_000, 9);
    await rewriteInPlace(path.join(lib, 'roms/psx/Game (USA)/track1.bin'), again);
    const third = await download();
    expect(third.entries.get('track1.bin')?.equals(again)).toBe(true);
  });

  it('a complete scan re-hashes the rewritten file', async () => {
    await sleep(20);
    const replaced = Buffer.alloc(1000, 5);
    await rewriteInPlace(path.join(lib, 'roms/psx/Game (USA)/track2.bin'), replaced);
    await scan(ctx().db, lib, 'complete');
    const { crcs } = await download();
    expect(crcs['track2.bin']).toBe(crcHex(replaced));
  });
});
