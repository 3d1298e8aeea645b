import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chdSha1 } from '../../../src/scanner/hash/chd.ts';
import { runHashJob } from '../../../src/scanner/hash/read.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'romshelf-chd-'));
const SHA1 = '0123456789abcdef0123456789abcdef01234567';
const RAW = 'fedcba9876543210fedcba9876543210fedcba98';
const PARENT = '1111111111111111111111111111111111111111';

/** A CHD header laid out as MAME's chd.h describes for `version`, with distinct raw, combined and parent SHA-1s. */
function chdHeader(version: 3 | 4 | 5, lengthField?: number): Buffer {
  const length = { 3: 120, 4: 108, 5: 124 }[version];
  const h = Buffer.alloc(length);
  h.write('MComprHD', 0, 'latin1');
  h.writeUInt32BE(lengthField ?? length, 8);
  h.writeUInt32BE(version, 12);
  const put = (hex: string, at: number) => Buffer.from(hex, 'hex').copy(h, at);
  if (version === 3) {
    h.writeBigUInt64BE(1024n, 28); // logical bytes
    put('aa'.repeat(16), 44); // md5
    h.writeUInt32BE(4096, 76); // hunk bytes
    put(SHA1, 80);
    put(PARENT, 100);
  } else if (version === 4) {
    h.writeUInt32BE(4096, 44);
    put(SHA1, 48);
    put(PARENT, 68);
    put(RAW, 88);
  } else {
    h.write('cdlz', 16, 'latin1'); // compressors
    h.writeBigUInt64BE(1024n, 32); // logical bytes
    h.writeUInt32BE(19584, 56); // hunk bytes
    h.writeUInt32BE(2448, 60); // unit bytes
    put(RAW, 64);
    put(SHA1, 84);
    put(PARENT, 104);
  }
  return h;
}

describe('CHD header SHA-1', () => {
  for (const version of [3, 4, 5] as const) {
    it(`v${version}: the combined raw+meta SHA-1 DATs list, not the raw or parent one`, () => {
      const h = chdHeader(version);
      expect(chdSha1(h, h.length + 1000)).toBe(SHA1);
    });
  }

  it('a lying header gives null: wrong length for its version, truncated, old or unknown version, no magic, zero digest', () => {
    expect(chdSha1(chdHeader(5, 120), 5000)).toBeNull();
    expect(chdSha1(chdHeader(4, 124), 5000)).toBeNull();
    expect(chdSha1(chdHeader(5).subarray(0, 100), 100)).toBeNull();
    expect(chdSha1(chdHeader(5), 64)).toBeNull();
    const v2 = chdHeader(3);
    v2.writeUInt32BE(2, 12);
    expect(chdSha1(v2, 5000)).toBeNull();
    const v9 = chdHeader(5);
    v9.writeUInt32BE(9, 12);
    expect(chdSha1(v9, 5000)).toBeNull();
    const noMagic = chdHeader(5);
    noMagic.write('MComprHX', 0, 'latin1');
    expect(chdSha1(noMagic, 5000)).toBeNull();
    const zero = chdHeader(5);
    zero.fill(0, 84, 104);
    expect(chdSha1(zero, 5000)).toBeNull();
    expect(chdSha1(Buffer.alloc(0), 0)).toBeNull();
  });

  it('the scanner stores the header SHA-1 and still hashes the file; a lying .chd gets null and no error', async () => {
    const good = path.join(dir, 'good.chd');
    writeFileSync(good, Buffer.concat([chdHeader(4), Buffer.alloc(4000, 3)]));
    const bad = path.join(dir, 'bad.chd');
    writeFileSync(bad, chdHeader(5, 4000).subarray(0, 90));
    const sniffed = path.join(dir, 'disc.img');
    writeFileSync(sniffed, Buffer.concat([chdHeader(5), Buffer.alloc(10, 1)]));
    const plain = path.join(dir, 'plain.bin');
    writeFileSync(plain, Buffer.alloc(300, 2));
    const job = (abs: string) => runHashJob({ id: 1, files: [{ abs, feedsRom: true }], folder: false, archiveRom: false });
    expect((await job(good)).files[0]).toMatchObject({ chdSha1: SHA1, md5: expect.stringMatching(/^[0-9a-f]{32}$/) as string });
    const b = (await job(bad)).files[0];
    expect(b?.chdSha1).toBeNull();
    expect(b?.error).toBeUndefined();
    expect(b?.sha1).toMatch(/^[0-9a-f]{40}$/);
    expect((await job(sniffed)).files[0]?.chdSha1).toBe(SHA1);
    expect((await job(plain)).files[0]?.chdSha1).toBe('');
  });
});
