import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runHashJob } from '../../../src/scanner/hash/read.ts';
import { chdSha1 } from '../../../src/scanner/hash/chd.ts';
import { MultiHasher } from '../../../src/scanner/hash/multi-hasher.ts';
import { HashPool } from '../../../src/scanner/hash/pool.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'romshelf-hash-'));
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex');

describe('one-pass hashing', () => {
  it('CRC32, MD5 and SHA-1 in lowercase hex; "" when no bytes were seen', () => {
    const h = new MultiHasher();
    h.update(Buffer.from('123456789'));
    expect(h.digest()).toEqual({ crc: 'cbf43926', md5: md5('123456789'), sha1: sha1('123456789') });
    expect(new MultiHasher().digest()).toEqual({ crc: '', md5: '', sha1: '' });
  });

  it('reads files larger than one chunk in pieces with the same result', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const file = path.join(dir, 'big.bin');
    writeFileSync(file, big);
    const r = await runHashJob({ id: 1, files: [{ abs: file, feedsRom: true }], folder: false, archiveRom: false });
    expect(r.rom).toMatchObject({ md5: md5(big), sha1: sha1(big) });
  });

  it('.gz files are hashed decompressed, also when only the content says gzip', async () => {
    const gz = path.join(dir, 'game.bin.gz');
    writeFileSync(gz, gzipSync(Buffer.from('inner')));
    const sniffed = path.join(dir, 'game.bin');
    writeFileSync(sniffed, gzipSync(Buffer.from('inner')));
    for (const abs of [gz, sniffed]) {
      const r = await runHashJob({ id: 1, files: [{ abs, feedsRom: true }], folder: false, archiveRom: false });
      expect(r.files[0]?.md5).toBe(md5('inner'));
    }
  });

  it('an unreadable file yields empty hashes and an error, not an exception', async () => {
    const r = await runHashJob({ id: 1, files: [{ abs: path.join(dir, 'nope'), feedsRom: true }], folder: true, archiveRom: false });
    expect(r.files[0]).toMatchObject({ md5: '', error: expect.any(String) as string });
  });

  it('CHD v5 header SHA-1', () => {
    const head = Buffer.alloc(124);
    head.write('MComprHD', 0, 'latin1');
    head.writeUInt32BE(124, 8);
    head.writeUInt32BE(5, 12);
    Buffer.from('ab'.repeat(20), 'hex').copy(head, 84);
    expect(chdSha1(head, 124)).toBe('ab'.repeat(20));
    expect(chdSha1(Buffer.alloc(124), 124)).toBeNull();
  });

  it('the worker pool gives the same hashes as the main thread', async () => {
    const file = path.join(dir, 'pool.bin');
    writeFileSync(file, 'pool data');
    const pool = new HashPool(2);
    try {
      const results = await Promise.all([1, 2, 3].map(() => pool.hash({ files: [{ abs: file, feedsRom: true }], folder: false, archiveRom: false })));
      for (const r of results) expect(r.rom.sha1).toBe(sha1('pool data'));
    } finally {
      await pool.close();
    }
  });
});
