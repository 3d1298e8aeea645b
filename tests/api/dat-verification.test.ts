import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { logiqxDat, type FixtureGame, type FixtureRom } from '../helpers/dat-fixtures.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { tinyZip } from '../helpers/tiny-zip.ts';
import { writeTree } from '../integration/scanner/fixtures.ts';

function crc32(buf: Buffer): string {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ((~c) >>> 0).toString(16).padStart(8, '0');
}
const rom = (name: string, body: Buffer): FixtureRom => ({
  name, size: body.length, crc: crc32(body), md5: createHash('md5').update(body).digest('hex'), sha1: createHash('sha1').update(body).digest('hex'),
});
const body = (seed: string, size = 8192) => Buffer.alloc(size, seed);
// An iNES header: No-Intro lists NES dumps without it.
const ines = (b: Buffer) => Buffer.concat([Buffer.from([0x4e, 0x45, 0x53, 0x1a, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), b]);

const A = body('a');
const B = body('b');
const C = body('c');
const D = body('d');
const T1 = body('1', 4096);
const T2 = body('2', 4096);
const CUE = Buffer.from('FILE "Disc Game (USA) (Track 1).bin" BINARY\n');

const NES_GAMES: FixtureGame[] = [
  { name: 'Super Game (USA)', roms: [rom('Super Game (USA).nes', A)] },
  { name: 'Super Game (Europe)', cloneof: 'Super Game (USA)', roms: [rom('Super Game (Europe).nes', B)] },
  { name: 'Broken Game (USA)', roms: [rom('Broken Game (USA).nes', C)] },
  { name: 'Zipped Game (Japan)', roms: [rom('Zipped Game (Japan).nes', D)] },
  { name: 'Missing Game (USA)', roms: [rom('Missing Game (USA).nes', body('m'))] },
];
const PSX_GAMES: FixtureGame[] = [
  { name: 'Disc Game (USA)', roms: [rom('Disc Game (USA).cue', CUE), rom('Disc Game (USA) (Track 1).bin', T1), rom('Disc Game (USA) (Track 2).bin', T2)] },
];

function multipart(filename: string, data: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----dat-verify';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/xml\r\n\r\n`),
    Buffer.from(data), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachEngine('DAT verification: statuses, reports, fixdat, CSV, rename and 1G1R', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  let nes = 0;
  let psx = 0;
  const get = (url: string, user: TestUser = admin) => t.app.inject({ method: 'GET', url, headers: { authorization: user.basic } });
  const post = (url: string, user: TestUser = admin) => t.app.inject({ method: 'POST', url, headers: { authorization: user.basic } });
  const names = async (query: string) => (await get(`/api/roms?${query}&order_by=name&limit=100`)).json<{ items: { fs_name: string }[] }>().items.map((i) => i.fs_name).sort();

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
    writeTree(t.config.libraryPath, {
      'roms/nes/Super Game (USA).nes': ines(A),
      'roms/nes/sg-eu.nes': ines(B),
      'roms/nes/Broken Game (USA).nes': body('x'),
      'roms/nes/Homebrew.nes': body('h'),
      'roms/nes/Zipped Game (Japan).zip': tinyZip({ 'Zipped Game (Japan).nes': D }),
      'roms/psx/Disc Game (USA)/Disc Game (USA).cue': CUE,
      'roms/psx/Disc Game (USA)/Disc Game (USA) (Track 1).bin': T1,
    });
    for (const [file, dat] of [
      ['nes.dat', logiqxDat({ name: 'Nintendo - Nintendo Entertainment System (Headered)', skipper: 'No-Intro_NES.xml' }, NES_GAMES)],
      ['psx.dat', logiqxDat({ name: 'Sony - PlayStation' }, PSX_GAMES)],
    ] as const) {
      const form = multipart(file, dat);
      const res = await t.app.inject({ method: 'POST', url: '/api/dats', payload: form.payload, headers: { ...form.headers, authorization: admin.basic } });
      expect(res.statusCode, res.body).toBe(201);
    }
    t.services.scans.start({ type: 'quick', metadataSources: [] });
    await t.services.scans.done();
    const platforms = await t.services.platforms.list();
    nes = platforms.find((p) => p.fs_slug === 'nes')?.id ?? 0;
    psx = platforms.find((p) => p.fs_slug === 'psx')?.id ?? 0;
  });
  afterAll(async () => t.app.close());

  it('gives each ROM its status: headerless, archive member, renamed, bad dump, unknown', async () => {
    expect(await names(`platform_ids=${nes}&dat_statuses=verified`)).toEqual(['Super Game (USA).nes', 'Zipped Game (Japan).zip']);
    expect(await names(`platform_ids=${nes}&dat_statuses=renamed`)).toEqual(['sg-eu.nes']);
    expect(await names(`platform_ids=${nes}&dat_statuses=bad_dump`)).toEqual(['Broken Game (USA).nes']);
    expect(await names(`platform_ids=${nes}&dat_statuses=unknown`)).toEqual(['Homebrew.nes']);
    expect(await names(`platform_ids=${nes}&verified=true`)).toEqual(['Super Game (USA).nes', 'Zipped Game (Japan).zip', 'sg-eu.nes'].sort());
    // 1G1R: the European clone folds into its USA parent.
    expect(await names(`platform_ids=${nes}&group_by_dat_parent=true`)).toEqual(['Broken Game (USA).nes', 'Homebrew.nes', 'Super Game (USA).nes', 'Zipped Game (Japan).zip']);
  });

  it('exposes the verdict on the list, the simple and the detailed ROM and on each file, after RomM\'s keys', async () => {
    type Item = { id: number; fs_name: string; dat_status: string | null; dat_game: string | null; dat_complete: boolean | null };
    const list = (await get(`/api/roms?platform_ids=${nes}&limit=100`, viewer)).json<{ items: Item[] }>().items;
    const byName = (n: string) => list.find((i) => i.fs_name === n)!;
    expect(byName('sg-eu.nes')).toMatchObject({ dat_status: 'renamed', dat_game: 'Super Game (Europe)', dat_complete: null });
    expect(byName('Broken Game (USA).nes')).toMatchObject({ dat_status: 'bad_dump', dat_game: 'Broken Game (USA)' });
    expect(byName('Homebrew.nes')).toMatchObject({ dat_status: 'unknown', dat_game: null, dat_complete: null });
    expect(Object.keys(byName('Homebrew.nes')).slice(-4)).toEqual(['screenshot_path', 'dat_status', 'dat_game', 'dat_complete']);

    const zipped = byName('Zipped Game (Japan).zip');
    const simple = (await get(`/api/roms/${zipped.id}/simple`, viewer)).json<Item>();
    expect(simple).toMatchObject({ dat_status: 'verified', dat_game: 'Zipped Game (Japan)', dat_complete: null });

    const disc = (await get(`/api/roms?platform_ids=${psx}`, viewer)).json<{ items: Item[] }>().items[0]!;
    const detail = await get(`/api/roms/${disc.id}`, viewer);
    expect(detail.statusCode).toBe(200);
    const d = detail.json<Item & { files: { file_name: string; dat_status: string | null; dat_game: string | null }[] }>();
    expect(Object.keys(d).slice(-4)).toEqual(['all_user_notes', 'dat_status', 'dat_game', 'dat_complete']);
    expect(d).toMatchObject({ dat_status: 'verified', dat_game: 'Disc Game (USA)', dat_complete: false });
    expect(d.files.map((f) => [f.file_name, f.dat_status, f.dat_game])).toEqual([
      ['Disc Game (USA) (Track 1).bin', 'verified', 'Disc Game (USA)'],
      ['Disc Game (USA).cue', 'verified', 'Disc Game (USA)'],
    ]);
  });

  it('reports counts and missing games per platform; a multi-track disc with a track missing is incomplete', async () => {
    const res = await get(`/api/dats/report?platform_id=${nes}`, viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      platform_id: nes, platform_slug: 'nes', counts: { verified: 2, renamed: 1, bad_dump: 1, unknown: 1, missing: 1 },
      missing_games: ['Missing Game (USA)'],
    });
    const disc = await get(`/api/dats/report.csv?platform_id=${psx}`);
    expect(disc.headers['content-type']).toMatch(/^text\/csv/);
    expect(disc.body).toBe('game,status,file,rom_id,complete\r\n' + `Disc Game (USA),verified,Disc Game (USA),${(await t.app.inject({ url: `/api/roms?platform_ids=${psx}`, headers: { authorization: admin.basic } })).json<{ items: { id: number }[] }>().items[0]!.id},no\r\n`);
    const csv = (await get(`/api/dats/report.csv?platform_id=${nes}`)).body.split('\r\n');
    expect(csv[0]).toBe('game,status,file,rom_id,complete');
    expect(csv).toContain('Missing Game (USA),missing,,,no');
    expect(csv.filter((l) => l.includes(',bad_dump,'))).toEqual([expect.stringMatching(/^Broken Game \(USA\),bad_dump,Broken Game \(USA\)\.nes,\d+,$/)]);
  });

  it('serves a fixdat of the missing games', async () => {
    const res = await get(`/api/dats/fixdat?platform_id=${nes}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="fixdat_nes.dat"');
    expect(res.body).toContain('<name>fixdat_Nintendo - Nintendo Entertainment System (Headered)</name>');
    expect(res.body.match(/<game /g)).toHaveLength(1);
    expect(res.body).toContain(`<rom name="Missing Game (USA).nes" size="8192" crc="${crc32(body('m'))}"`);
    expect(res.body.trimEnd().endsWith('</datafile>')).toBe(true);
  });

  it('renames to the DAT name: a dry run first, then the atomic rename, after which the ROM verifies', async () => {
    const dry = await post(`/api/dats/rename?platform_id=${nes}`);
    expect(dry.json()).toEqual({ dry_run: true, renames: [{ rom_id: expect.any(Number), from: 'sg-eu.nes', to: 'Super Game (Europe).nes' }], failed: [] });
    expect(existsSync(path.join(t.config.libraryPath, 'roms/nes/sg-eu.nes'))).toBe(true);
    expect((await post(`/api/dats/rename?platform_id=${nes}&dry_run=false`, viewer)).statusCode).toBe(403);
    const done = await post(`/api/dats/rename?platform_id=${nes}&dry_run=false`);
    expect(done.json()).toMatchObject({ dry_run: false, renames: [{ from: 'sg-eu.nes', to: 'Super Game (Europe).nes' }], failed: [] });
    expect(existsSync(path.join(t.config.libraryPath, 'roms/nes/Super Game (Europe).nes'))).toBe(true);
    expect(await names(`platform_ids=${nes}&dat_statuses=renamed`)).toEqual([]);
    expect(await names(`platform_ids=${nes}&dat_statuses=verified`)).toContain('Super Game (Europe).nes');
  });

  it('answers clear errors: unknown platform, a platform without a DAT, bad query, no credentials', async () => {
    expect((await get('/api/dats/report?platform_id=999999')).json()).toEqual({ detail: 'Platform with ID 999999 not found' });
    const other = await t.app.inject({ method: 'POST', url: '/api/platforms', payload: { fs_slug: 'gba' }, headers: { authorization: admin.basic } });
    const gba = other.json<{ id: number }>().id;
    const none = await get(`/api/dats/report?platform_id=${gba}`);
    expect(none.statusCode).toBe(404);
    expect(none.json<{ detail: string }>().detail).toMatch(/^No DAT is mapped to platform /);
    expect((await get('/api/dats/report?platform_id=abc')).statusCode).toBe(422);
    expect((await t.app.inject({ url: `/api/dats/report?platform_id=${nes}` })).statusCode).toBe(401);
    const verify = await post('/api/dats/verify');
    expect(verify.json()).toMatchObject({ platforms: 2, changed: 0 });
  });
});
