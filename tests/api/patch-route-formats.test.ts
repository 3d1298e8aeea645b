import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

const FIXTURES = path.resolve('tests/fixtures/patches');
const CASES: Array<[patch: string, expected: string]> = [
  ['patch.ips', 'rom-patched.bin'], ['patch-ips32.ips', 'rom-patched.bin'], ['patch.ups', 'rom-patched.bin'],
  ['patch.bps', 'rom-patched.bin'], ['patch-ppf3.ppf', 'rom-patched-same-size.bin'], ['patch-n64.aps', 'rom-patched.bin'],
  ['patch-gba.aps', 'rom-patched-same-size.bin'], ['patch.rup', 'rom-patched.bin'], ['patch.bdf', 'rom-patched.bin'],
  ['patch-none.xdelta', 'rom-patched.bin'], ['patch-djw.xdelta', 'rom-patched.bin'], ['patch-fgk.xdelta', 'rom-patched.bin'],
  ['patch-lzma.xdelta', 'rom-patched.bin'],
];

function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer }) {
  const boundary = '----romshelfpatchformats';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="patch_file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachEngine('POST /api/roms/{file_id}/patch: formats, validation and limits', (ctx) => {
  let t: TestApp;
  let user: TestUser;
  let romFileId: number;
  let otherRomFileId: number;
  let goneFileId: number;

  const post = (app: TestApp, id: number, fields: Record<string, string>, file?: { name: string; data: Buffer }) => {
    const body = multipart(fields, file);
    return app.app.inject({ method: 'POST', url: `/api/roms/${id}/patch`, headers: { authorization: user.basic, 'content-type': body.contentType }, payload: body.payload });
  };

  beforeAll(async () => {
    t = await createTestApp(ctx());
    user = await createUser(t.services, 'viewer');
    const db = ctx().db.kysely;
    const nes = await createPlatform(db, 'nes');
    const dir = path.join(t.config.libraryPath, 'roms', 'nes');
    await mkdir(dir, { recursive: true });
    const rom = await readFile(path.join(FIXTURES, 'rom.bin'));
    const other = Buffer.from(rom);
    other[100] = (other[100] ?? 0) ^ 0xff;
    await writeFile(path.join(dir, 'Game (Japan).nes'), rom);
    await writeFile(path.join(dir, 'Game (Japan) [h].nes'), other);
    await writeFile(path.join(dir, 'Gone (Japan).nes'), rom);
    const fileId = async (romId: number) => (await db.selectFrom('rom_files').select('id').where('rom_id', '=', romId).executeTakeFirstOrThrow()).id;
    romFileId = await fileId(await createRom(db, { platformId: nes, fsName: 'Game (Japan).nes', fsPath: 'roms/nes', size: rom.length }));
    otherRomFileId = await fileId(await createRom(db, { platformId: nes, fsName: 'Game (Japan) [h].nes', fsPath: 'roms/nes', size: other.length }));
    goneFileId = await fileId(await createRom(db, { platformId: nes, fsName: 'Gone (Japan).nes', fsPath: 'roms/nes', size: rom.length }));
    await rm(path.join(dir, 'Gone (Japan).nes'));
  });
  afterAll(async () => t.app.close());

  it.each(CASES)('applies %s byte for byte and reports it validated', async (patchName, expectedName) => {
    const res = await post(t, romFileId, {}, { name: patchName, data: await readFile(path.join(FIXTURES, patchName)) });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.rawPayload.equals(await readFile(path.join(FIXTURES, expectedName)))).toBe(true);
    expect(res.headers['x-patch-validated']).toBe('true');
  });

  it('applies anyway to a ROM that does not match the patch\'s source checksum, answering X-Patch-Validated: false', async () => {
    for (const name of ['patch.bps', 'patch.ups']) {
      const res = await post(t, otherRomFileId, {}, { name, data: await readFile(path.join(FIXTURES, name)) });
      expect(res.statusCode, name).toBe(200);
      expect(res.headers['x-patch-validated'], name).toBe('false');
    }
    // IPS carries no checksum: always validated.
    const ips = await post(t, otherRomFileId, {}, { name: 'patch.ips', data: await readFile(path.join(FIXTURES, 'patch.ips')) });
    expect(ips.headers['x-patch-validated']).toBe('true');
  });

  it('refuses hostile and truncated patches with a 400 detail', async () => {
    const bps = await readFile(path.join(FIXTURES, 'patch.bps'));
    const truncated = await post(t, romFileId, {}, { name: 'cut.bps', data: bps.subarray(0, bps.length - 20) });
    expect(truncated.statusCode).toBe(400);
    expect(typeof truncated.json().detail).toBe('string');
    // An IPS record that writes 16 MiB past a tiny ROM is fine (IPS grows files) but a BPS claiming a 2^60 target is not.
    const huge = Buffer.concat([Buffer.from('BPS1'), Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]), Buffer.alloc(16)]);
    const bomb = await post(t, romFileId, {}, { name: 'bomb.bps', data: huge });
    expect(bomb.statusCode).toBe(400);
  });

  it('answers RomM\'s 404s for unknown and vanished files', async () => {
    const ips = { name: 'patch.ips', data: await readFile(path.join(FIXTURES, 'patch.ips')) };
    const gone = await post(t, goneFileId, {}, ips);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ detail: "ROM file 'Gone (Japan).nes' is missing from filesystem" });
    const unknownPatch = await post(t, romFileId, { patch_file_id: '987654' });
    expect(unknownPatch.json()).toEqual({ detail: 'Patch file with id 987654 not found' });
  });

  it('limits each user to one patch at a time', async () => {
    const release = t.services.patcher.claimUserSlot(user.user.id);
    const busy = await post(t, romFileId, {}, { name: 'patch.ips', data: await readFile(path.join(FIXTURES, 'patch.ips')) });
    expect(busy.statusCode).toBe(429);
    expect(busy.json()).toEqual({ detail: 'A patch is already in progress for this user; wait for it to finish' });
    const other = await createUser(t.services, 'viewer');
    const body = multipart({}, { name: 'patch.ips', data: await readFile(path.join(FIXTURES, 'patch.ips')) });
    const someoneElse = await t.app.inject({ method: 'POST', url: `/api/roms/${romFileId}/patch`, headers: { authorization: other.basic, 'content-type': body.contentType }, payload: body.payload });
    expect(someoneElse.statusCode).toBe(200);
    release();
  });

  it('enforces ROM_PATCHER_MAX_FILE_SIZE_BYTES on the ROM and the upload', async () => {
    const small = await createTestApp(ctx(), { ROM_PATCHER_MAX_FILE_SIZE_BYTES: '1000' });
    const romTooBig = await post(small, romFileId, {}, { name: 'patch.ips', data: Buffer.from('PATCHEOF') });
    expect(romTooBig.statusCode).toBe(400);
    expect(romTooBig.json().detail).toMatch(/^ROM file is too large to patch \(\d+ bytes, max 1000\)$/);
    const uploadTooBig = await post(small, romFileId, {}, { name: 'patch.ips', data: Buffer.alloc(5000, 1) });
    expect(uploadTooBig.statusCode).toBe(400);
    expect(uploadTooBig.json().detail).toMatch(/^Patch file is too large to patch/);
    await small.app.close();
  });
});
