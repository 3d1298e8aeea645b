import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaError, MediaStore } from '../../../src/metadata/media-store.ts';

let tmp: string;
let lib: string;
let resources: string;
let store: MediaStore;

const image = (width: number, height: number, color = 'red') => sharp({ create: { width, height, channels: 3, background: color } });
const file = (p: string) => ({ path: path.join(lib, p), root: lib });

async function put(rel: string, data: Uint8Array | string) {
  const abs = path.join(lib, rel);
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, data);
  return { path: abs, root: lib };
}

async function expectMediaError(p: Promise<unknown>, kind: MediaError['kind']) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MediaError);
  expect((err as MediaError).kind).toBe(kind);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'media-store-'));
  lib = path.join(tmp, 'library');
  resources = path.join(tmp, 'resources');
  await mkdir(lib, { recursive: true });
  store = new MediaStore({ resourcesRoot: resources });
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

describe('MediaStore covers', () => {
  it('stores big and small covers in RomM layout as valid images', async () => {
    const src = await put('media/covers/Game.png', await image(300, 400).png().toBuffer());
    const paths = await store.storeCover({ platformId: 3, id: 42 }, src);
    expect(paths).toEqual({ path_cover_l: 'roms/3/42/cover/big.png', path_cover_s: 'roms/3/42/cover/small.png' });
    expect(await sharp(path.join(resources, paths.path_cover_l)).metadata()).toMatchObject({ format: 'png', width: 300, height: 400 });
    expect(await sharp(path.join(resources, paths.path_cover_s)).metadata()).toMatchObject({ format: 'png', width: 120, height: 160 });
  });

  it('keeps a JPEG a JPEG and drops a cover of another extension', async () => {
    await store.storeCover({ platformId: 1, id: 1 }, await put('a.png', await image(20, 20).png().toBuffer()));
    const paths = await store.storeCover({ platformId: 1, id: 1 }, await put('b.jpg', await image(20, 20).jpeg().toBuffer()));
    expect(paths.path_cover_l).toBe('roms/1/1/cover/big.jpg');
    expect((await readdir(path.join(resources, 'roms/1/1/cover'))).sort()).toEqual(['big.jpg', 'small.jpg']);
  });

  it('stores identical media once, hard-linked into each ROM', async () => {
    const bytes = await image(50, 60, 'blue').png().toBuffer();
    const a = await put('one/cover.png', bytes);
    const b = await put('two/other-name.png', bytes);
    const [pa, pb] = await Promise.all([store.storeCover({ platformId: 1, id: 1 }, a), store.storeCover({ platformId: 1, id: 2 }, b)]);
    const [la, lb] = [await stat(path.join(resources, pa.path_cover_l)), await stat(path.join(resources, pb.path_cover_l))];
    expect(la.ino).toBe(lb.ino);
    expect(la.nlink).toBe(3); // the object and two ROMs
    const objects = await filesUnder(path.join(resources, 'media'));
    expect(objects.filter((f) => f.endsWith('.png'))).toHaveLength(2); // one big, one small
    // Storing again is a no-op that keeps the link.
    await store.storeCover({ platformId: 1, id: 1 }, a);
    expect((await stat(path.join(resources, pa.path_cover_l))).ino).toBe(la.ino);
  });

  it('sweeps objects no ROM links to any more', async () => {
    const a = await put('x.png', await image(12, 12, 'red').png().toBuffer());
    const b = await put('y.png', await image(12, 12, 'blue').png().toBuffer());
    await store.storeCover({ platformId: 1, id: 1 }, a);
    await store.storeCover({ platformId: 1, id: 1 }, b); // replaces the red cover's links
    expect(await store.sweepUnused()).toBe(2);
    expect((await filesUnder(path.join(resources, 'media'))).filter((f) => f.endsWith('.png'))).toHaveLength(2);
    expect(await sharp(path.join(resources, 'roms/1/1/cover/big.png')).metadata()).toMatchObject({ width: 12 });
  });

  it('refuses a symlink that leads out of the root', async () => {
    const outside = path.join(tmp, 'secret.png');
    await writeFile(outside, await image(10, 10).png().toBuffer());
    await symlink(outside, path.join(lib, 'link.png'));
    await expectMediaError(store.storeCover({ platformId: 1, id: 1 }, file('link.png')), 'path-outside-root');
    expect(await store.origin(file('link.png'))).toBeNull();
  });

  it('refuses a path outside the root', async () => {
    await writeFile(path.join(tmp, 'elsewhere.png'), await image(10, 10).png().toBuffer());
    await expectMediaError(store.storeCover({ platformId: 1, id: 1 }, { path: path.join(lib, '..', 'elsewhere.png'), root: lib }), 'path-outside-root');
  });

  it('refuses HTML and SVG posing as PNG', async () => {
    const html = await put('evil.png', '<!DOCTYPE html><html><script>alert(1)</script></html>');
    await expectMediaError(store.storeCover({ platformId: 1, id: 1 }, html), 'media-rejected');
    const svg = await put('evil2.png', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    await expectMediaError(store.storeCover({ platformId: 1, id: 1 }, svg), 'media-rejected');
    const truncated = await put('trunc.png', (await image(40, 40).png().toBuffer()).subarray(0, 60));
    await expectMediaError(store.storeCover({ platformId: 1, id: 1 }, truncated), 'media-rejected');
    await expect(readdir(path.join(resources, 'roms'))).rejects.toThrow();
  });

  it('refuses an oversized file without reading it', async () => {
    const abs = path.join(lib, 'huge.png');
    const fh = await open(abs, 'w');
    await fh.truncate(2 * 1024 * 1024 * 1024); // a sparse 2 GiB file: reading it would take seconds and 2 GiB
    await fh.close();
    const t = performance.now();
    await expectMediaError(store.storeCover({ platformId: 1, id: 1 }, file('huge.png')), 'media-too-large');
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('refuses an image over the pixel limit', async () => {
    const small = new MediaStore({ resourcesRoot: resources, limits: { maxImagePixels: 100 } });
    await expectMediaError(small.storeCover({ platformId: 1, id: 1 }, await put('big.png', await image(20, 20).png().toBuffer())), 'media-too-large');
  });

  it('refuses what is not a regular file and what is missing', async () => {
    await mkdir(path.join(lib, 'dir.png'));
    await expectMediaError(store.storeCover({ platformId: 1, id: 1 }, file('dir.png')), 'media-rejected');
    await expectMediaError(store.storeCover({ platformId: 1, id: 1 }, file('none.png')), 'media-failed');
  });

  it('gives an origin that changes with the file', async () => {
    const src = await put('c.png', await image(10, 10).png().toBuffer());
    const o1 = await store.origin(src);
    expect(o1).toMatch(/c\.png\|\d+\|[\d.]+$/);
    await writeFile(src.path, await image(11, 10).png().toBuffer());
    expect(await store.origin(src)).not.toBe(o1);
    expect(await store.origin(file('missing.png'))).toBeNull();
  });
});

describe('MediaStore screenshots, manuals, extras', () => {
  it('keeps screenshot order and skips a bad one', async () => {
    const a = await put('s/a.png', await image(30, 20, 'red').png().toBuffer());
    const bad = await put('s/bad.png', '<html></html>');
    const c = await put('s/c.jpg', await image(30, 20, 'green').jpeg().toBuffer());
    const skipped: MediaError[] = [];
    const paths = await store.storeScreenshots({ platformId: 2, id: 5 }, [a, bad, c], (e) => skipped.push(e));
    expect(paths).toEqual(['roms/2/5/screenshots/0.png', 'roms/2/5/screenshots/1.jpg']);
    expect(skipped.map((e) => [e.kind, e.path])).toEqual([['media-rejected', bad.path]]);
    expect((await sharp(path.join(resources, paths[1]!)).metadata()).format).toBe('jpeg');
    // A shorter set later removes the stale screenshot.
    expect(await store.storeScreenshots({ platformId: 2, id: 5 }, [c])).toEqual(['roms/2/5/screenshots/0.jpg']);
    expect(await readdir(path.join(resources, 'roms/2/5/screenshots'))).toEqual(['0.jpg']);
  });

  it('stores a PDF manual and refuses anything else', async () => {
    const pdf = await put('m/manual.pdf', '%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
    expect(await store.storeManual({ platformId: 1, id: 9 }, pdf)).toBe('roms/1/9/manual/9.pdf');
    expect(await readFile(path.join(resources, 'roms/1/9/manual/9.pdf'), 'utf8')).toContain('%PDF-1.4');
    await expectMediaError(store.storeManual({ platformId: 1, id: 9 }, await put('m/fake.pdf', '<html>not a pdf</html>')), 'media-rejected');
    const small = new MediaStore({ resourcesRoot: resources, limits: { maxManualBytes: 10 } });
    await expectMediaError(small.storeManual({ platformId: 1, id: 9 }, pdf), 'media-too-large');
  });

  it('stores extras as <kind>/<kind>.<ext>, videos copied by content', async () => {
    const title = await put('t.png', await image(16, 12).png().toBuffer());
    expect(await store.storeExtra({ platformId: 1, id: 3 }, 'title_screen', title)).toBe('roms/1/3/title_screen/title_screen.png');
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(200, 1)]);
    expect(await store.storeExtra({ platformId: 1, id: 3 }, 'video', await put('v.mp4', mp4))).toBe('roms/1/3/video/video.mp4');
    expect(await readFile(path.join(resources, 'roms/1/3/video/video.mp4'))).toEqual(mp4);
    const webm = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, ...Buffer.from('webm'), 0, 0]);
    expect(await store.storeExtra({ platformId: 1, id: 3 }, 'video', await put('v.webm', webm))).toBe('roms/1/3/video/video.webm');
    expect(await readdir(path.join(resources, 'roms/1/3/video'))).toEqual(['video.webm']);
    await expectMediaError(store.storeExtra({ platformId: 1, id: 3 }, 'video', await put('v2.mp4', '<html>')), 'media-rejected');
    await expectMediaError(store.storeExtra({ platformId: 1, id: 3 }, 'fanart', await put('f.png', '<svg/>')), 'media-rejected');
  });
});

describe('MediaStore URL sources', () => {
  it('fetches through the fetcher with the byte limit, stores like a file, refuses what is not an image', async () => {
    const png = await image(30, 40).png().toBuffer();
    const asked: [string, number][] = [];
    const fetched = new MediaStore({
      resourcesRoot: resources,
      fetch: (url, max) => {
        asked.push([url, max]);
        if (url.endsWith('/down.png')) return Promise.reject(new Error('connection refused'));
        return Promise.resolve(url.endsWith('/page.png') ? Buffer.from('<!DOCTYPE html><html></html>') : png);
      },
    });
    const paths = await fetched.storeCover({ platformId: 2, id: 5 }, { url: 'https://images.example/cover.png' });
    expect(paths.path_cover_l).toBe('roms/2/5/cover/big.png');
    expect(asked[0]).toEqual(['https://images.example/cover.png', 20 * 1024 * 1024]);
    // A digest: a URL's query may carry a provider's credentials, and origins are stored.
    expect(await fetched.origin({ url: 'https://images.example/cover.png?devpassword=s3cret' })).toMatch(/^url:[0-9a-f]{64}$/);
    await expectMediaError(fetched.storeCover({ platformId: 2, id: 6 }, { url: 'https://images.example/page.png' }), 'media-rejected');
    await expectMediaError(fetched.storeCover({ platformId: 2, id: 7 }, { url: 'https://images.example/down.png' }), 'media-failed');
  });

  it('refuses private addresses through the default safe fetch', async () => {
    await expectMediaError(store.storeCover({ platformId: 1, id: 1 }, { url: 'http://127.0.0.1:9/cover.png' }), 'media-failed');
  });
});

describe('MediaStore removal', () => {
  it('removes a ROM\'s cover folder, and the sweep then drops the object nothing links to', async () => {
    const src = await put('r.png', await image(20, 20).png().toBuffer());
    await store.storeCover({ platformId: 1, id: 9 }, src);
    await store.remove({ platformId: 1, id: 9 }, 'cover');
    await expect(stat(path.join(resources, 'roms/1/9/cover'))).rejects.toThrow();
    expect(await store.sweepUnused()).toBe(2);
  });
});
