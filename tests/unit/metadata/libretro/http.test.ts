import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataCacheRepository } from '../../../../src/db/repositories/metadata-cache-repository.ts';
import { parseAutoindex } from '../../../../src/metadata/libretro/autoindex.ts';
import { LibretroHttpThumbnails } from '../../../../src/metadata/libretro/http-thumbnails.ts';
import { libretroIdFor } from '../../../../src/metadata/libretro/names.ts';
import { LibretroProvider } from '../../../../src/metadata/libretro/provider.ts';
import { MediaStore } from '../../../../src/metadata/media-store.ts';
import { ProviderError, ProviderHttp } from '../../../../src/metadata/online/provider-http.ts';
import type { MetadataIssueKind, MetadataPlatform, MetadataRom } from '../../../../src/metadata/types.ts';
import { startFakeProvider, type FakeHandler } from '../../../helpers/fake-provider-server.ts';
import { MemoryCache } from '../../../helpers/memory-cache.ts';

const FIX = path.resolve('tests/fixtures/metadata/libretro');
const BOXES = readFileSync(path.join(FIX, 'snes-boxarts.html'), 'utf8');
const SNAPS = readFileSync(path.join(FIX, 'snes-snaps.html'), 'utf8');
const SNES = '/Nintendo%20-%20Super%20Nintendo%20Entertainment%20System';

const platform = (slug: string): MetadataPlatform => ({ id: 1, slug, fsSlug: slug, name: slug, romsDir: '/nowhere' });
const rom = (fsName: string): MetadataRom => {
  const fsNameNoExt = fsName.replace(/\.[a-z0-9]+$/, '');
  return { id: 1, platformId: 1, fsName, fsNameNoExt, fsNameNoTags: fsNameNoExt.replace(/\s*\(.*$/, ''), regions: [], crc: null, md5: null, sha1: null, ids: {} };
};
const issues = () => {
  const list: { kind: MetadataIssueKind; path: string; message: string }[] = [];
  return { list, add: (kind: MetadataIssueKind, p: string, message: string) => void list.push({ kind, path: p, message }) };
};

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

const snesServer: FakeHandler = (r) => {
  if (r.url === `${SNES}/Named_Boxarts/?F=0`) return { raw: BOXES, headers: { 'content-type': 'text/html' } };
  if (r.url === `${SNES}/Named_Snaps/?F=0`) return { raw: SNAPS, headers: { 'content-type': 'text/html' } };
  if (r.method === 'HEAD' && r.url === '/') return { status: 200 };
  return { status: 404, raw: '<h1>Not Found</h1>' };
};

async function setup(handler: FakeHandler, opts: { cache?: MemoryCache; media?: string[]; timeoutMs?: number } = {}) {
  const s = await startFakeProvider(handler);
  close = s.close;
  const http = new ProviderHttp({
    provider: 'libretro', baseUrl: `${s.url}/`, cache: (opts.cache ?? null) as unknown as MetadataCacheRepository,
    sleep: () => Promise.resolve(), timeoutMs: opts.timeoutMs ?? 2000,
  });
  const provider = new LibretroProvider({ root: path.join(tmpdir(), 'no-libretro-clone'), http: new LibretroHttpThumbnails(http, s.url), media: opts.media ?? ['box2d', 'screenshot'] });
  return { s, http, provider };
}

describe('autoindex listings', () => {
  it('reads image links as RomM does and drops names that could leave the folder', () => {
    expect(parseAutoindex(BOXES)).toEqual([
      'Legend of Zelda, The - A Link to the Past (USA).png', 'Super Mario World (USA).png', 'Tom _ Jerry (USA).png',
      'Pokémon Stadium (Japan).png', 'Quoted & Entity (USA).png',
    ]);
    expect(parseAutoindex(SNAPS)).toEqual(['Super Mario World (USA).png']);
    expect(parseAutoindex('<a href="x%ZZ.png">x</a><A HREF=y.jpg>y</A><abbr href="z.png">')).toEqual(['x%ZZ.png', 'y.jpg']);
    expect(parseAutoindex('not html at all \u0000')).toEqual([]);
  });
});

describe('LibretroProvider over HTTP', () => {
  it('matches from the listings and answers URLs on the configured server; a rerun costs no call', async () => {
    const cache = new MemoryCache();
    const { s, provider } = await setup(snesServer, { cache });
    expect(await provider.available()).toBe(true);
    expect(await provider.fingerprint(platform('snes'))).toContain('http:v1');
    expect(await provider.fingerprint(platform('switch'))).toBeNull();
    const session = await provider.open(platform('snes'), issues());
    expect(s.requests).toHaveLength(0); // listings are read on the first lookup
    const m = await session!.lookup(rom('Super Mario World (USA).sfc'));
    const cover = `${s.url}${SNES}/Named_Boxarts/Super%20Mario%20World%20%28USA%29.png`;
    expect(m).toEqual({
      source: 'libretro', id: libretroIdFor('Super Mario World (USA).png'),
      urls: { cover, screenshots: [`${s.url}${SNES}/Named_Snaps/Super%20Mario%20World%20%28USA%29.png`] },
      media: { cover: { url: cover }, screenshots: [{ url: `${s.url}${SNES}/Named_Snaps/Super%20Mario%20World%20%28USA%29.png` }] },
    });
    // & in a file name is _ in libretro's; fuzzy match on a No-Intro name with other tags.
    expect((await session!.lookup(rom('Tom & Jerry (USA).sfc')))?.urls?.cover).toContain('Tom%20_%20Jerry');
    expect((await session!.lookup(rom('Legend of Zelda, The - A Link to the Past (Europe) (Rev 1).sfc')))?.urls?.cover).toContain('Legend%20of%20Zelda');
    expect(await session!.lookup(rom('Unknown Game (USA).sfc'))).toBeNull();
    expect(s.requests.map((r) => r.url)).toEqual([`${SNES}/Named_Boxarts/?F=0`, `${SNES}/Named_Snaps/?F=0`]);

    const again = await provider.open(platform('snes'), issues());
    expect(await again!.lookup(rom('Super Mario World (USA).sfc'))).toEqual(m);
    expect(s.requests).toHaveLength(2);
  });

  it('answers null where the server has no folder, and tries the next system name', async () => {
    const { s, provider } = await setup((r) => (r.url === '/FBNeo%20-%20Arcade%20Games/Named_Boxarts/?F=0' ? { raw: '<a href="sf2.png">sf2.png</a>' } : { status: 404 }), { media: ['box2d'] });
    const session = await provider.open(platform('arcade'), issues());
    expect((await session!.lookup(rom('sf2.zip')))?.urls?.cover).toBe(`${s.url}/FBNeo%20-%20Arcade%20Games/Named_Boxarts/sf2.png`);
    const n64 = await provider.open(platform('n64'), issues());
    expect(await n64!.lookup(rom('Paper Mario (USA).z64'))).toBeNull();
  });

  it('retries a 429 and fails a platform once when the server is too slow', async () => {
    let n = 0;
    const { s, provider } = await setup((r) => (++n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : snesServer(r)));
    const session = await provider.open(platform('snes'), issues());
    expect(await session!.lookup(rom('Super Mario World (USA).sfc'))).not.toBeNull();
    expect(s.requests.length).toBe(3);
    await close?.();

    const slow = await setup(() => ({ delayMs: 1000, raw: BOXES }), { timeoutMs: 100 });
    const s2 = await slow.provider.open(platform('snes'), issues());
    const err = await s2!.lookup(rom('Super Mario World (USA).sfc')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('unavailable');
    await expect(s2!.lookup(rom('Tom & Jerry (USA).sfc'))).rejects.toBeInstanceOf(ProviderError);
    expect(slow.s.requests).toHaveLength(1);
  });

  it('health is a HEAD of the server root', async () => {
    const { s, provider } = await setup(snesServer);
    expect(await provider.health()).toBe(true);
    expect(s.requests.at(-1)).toMatchObject({ method: 'HEAD', url: '/' });
    await close?.();
    const down = await setup(() => ({ status: 503 }));
    expect(await down.provider.health()).toBe(false);
    const off = new LibretroProvider({ root: path.join(tmpdir(), 'no-libretro-clone') });
    expect(await off.available()).toBe(false);
  });

  it('leaves the download to the media store, which refuses a private address', async () => {
    const { provider } = await setup(snesServer);
    const m = await (await provider.open(platform('snes'), issues()))!.lookup(rom('Super Mario World (USA).sfc'));
    const cover = m!.media.cover!;
    expect('url' in cover && cover.url.startsWith('http://127.0.0.1:')).toBe(true);
    const resources = await mkdtemp(path.join(tmpdir(), 'libretro-res-'));
    try {
      const err = await new MediaStore({ resourcesRoot: resources }).storeCover({ platformId: 1, id: 1 }, cover).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'media-failed' });
      expect(String((err as Error).message)).toMatch(/disallowed address/);
    } finally {
      await rm(resources, { recursive: true, force: true });
    }
  });
});
