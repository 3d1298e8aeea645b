import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeCover, ImageRejectedError, writeCoverFiles } from '../../../src/media/cover-images.ts';
import { describeContent, sniffImage } from '../../../src/media/image-sniff.ts';
import { GIF_POLYGLOT, HTML_XSS, jpeg, png, SVG_XSS } from '../../helpers/rom-edit-fixtures.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('image sniffing', () => {
  it('recognises the four formats by content only', async () => {
    expect(sniffImage(await png())).toBe('png');
    expect(sniffImage(await jpeg())).toBe('jpeg');
    expect(sniffImage(await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } }).webp().toBuffer())).toBe('webp');
    expect(sniffImage(await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } }).gif().toBuffer())).toBe('gif');
    expect(sniffImage(SVG_XSS)).toBeNull();
    expect(sniffImage(HTML_XSS)).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });

  it('describes refused content like libmagic', () => {
    expect(describeContent(SVG_XSS)).toBe('image/svg+xml');
    expect(describeContent(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    expect(describeContent(HTML_XSS)).toBe('text/html');
    expect(describeContent(Buffer.from('hello'))).toBe('text/plain');
    expect(describeContent(Buffer.from([0, 1, 2, 255]))).toBe('application/octet-stream');
    expect(describeContent(Buffer.alloc(0))).toBe('application/x-empty');
    expect(describeContent(Buffer.from('%PDF-1.7'))).toBe('application/pdf');
  });
});

describe('encodeCover', () => {
  it('re-encodes into a large and a 40 % small version', async () => {
    const c = await encodeCover(await png(300, 400));
    expect(c.kind).toBe('png');
    expect(c.ext).toBe('png');
    expect(await sharp(c.big).metadata()).toMatchObject({ format: 'png', width: 300, height: 400 });
    expect(await sharp(c.small).metadata()).toMatchObject({ width: 120, height: 160 });
  });

  it('uses 20 % for tall images and caps the large one', async () => {
    const c = await encodeCover(await jpeg(2000, 3000));
    expect(c.ext).toBe('jpg');
    expect(await sharp(c.small).metadata()).toMatchObject({ format: 'jpeg', width: 400, height: 600 });
    const big = await sharp(c.big).metadata();
    expect(Math.max(big.width ?? 0, big.height ?? 0)).toBe(2400);
  });

  it('stores GIFs as still PNGs', async () => {
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: 'blue' } }).gif().toBuffer();
    const c = await encodeCover(gif);
    expect(c.kind).toBe('png');
    expect(sniffImage(c.big)).toBe('png');
  });

  it.each([
    ['svg', SVG_XSS, /must be a PNG, JPEG, WebP, or GIF image \(detected image\/svg\+xml\)/],
    ['html', HTML_XSS, /detected text\/html/],
    ['gif polyglot', GIF_POLYGLOT, /could not be read as an image/],
    ['png header then html', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), HTML_XSS]), /could not be read/],
    ['empty', Buffer.alloc(0), /detected application\/x-empty/],
  ])('refuses %s', async (_name, bytes, message) => {
    await expect(encodeCover(bytes)).rejects.toThrow(ImageRejectedError);
    await expect(encodeCover(bytes)).rejects.toThrow(message);
  });

  it('refuses images beyond the pixel limit', async () => {
    await expect(encodeCover(await png(500, 500), { maxInputPixels: 1000 })).rejects.toThrow(/could not be read/);
  });

  it('drops trailing payloads: only encoder output is written', async () => {
    const withTrailer = Buffer.concat([await png(20, 20), Buffer.from('<script>alert(1)</script>')]);
    const c = await encodeCover(withTrailer);
    expect(c.big.includes(Buffer.from('<script>'))).toBe(false);
  });

  it('writes big and small files and removes covers of another extension', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cover-'));
    dirs.push(dir);
    await writeCoverFiles(dir, await encodeCover(await jpeg(50, 50)));
    expect((await readdir(dir)).sort()).toEqual(['big.jpg', 'small.jpg']);
    const names = await writeCoverFiles(dir, await encodeCover(await png(50, 50)));
    expect(names).toEqual({ big: 'big.png', small: 'small.png' });
    expect((await readdir(dir)).sort()).toEqual(['big.png', 'small.png']);
  });
});
