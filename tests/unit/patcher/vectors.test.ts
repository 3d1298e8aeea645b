// Hand-computed vectors from the format descriptions: each patch is written out byte by byte here, so
// the decoders are checked against the specifications and not only against our own encoders.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adler32, adler32Js, crc16, crc32 } from '../../../src/patcher/checksum.ts';
import { applyPatch } from '../../../src/patcher/index.ts';
import { beatVarint, encodeBps, encodeIps, encodeUps } from './helpers/encoders.ts';
import { tempDir } from './helpers/tmp.ts';

const tmp = tempDir('vectors');
let n = 0;

async function run(source: Uint8Array, patch: Uint8Array): Promise<{ out: Buffer; validated: boolean }> {
  n++;
  const result = await applyPatch({
    sourcePath: tmp.file(`src${n}`, source),
    patchPath: tmp.file(`patch${n}`, patch),
    targetPath: tmp.path(`out${n}`),
  });
  return { out: readFileSync(tmp.path(`out${n}`)), validated: result.validated };
}

/** Appends the BPS/UPS footer: CRC-32 of source, target, then of the patch so far. */
function beatFooter(body: number[] | Buffer, src: Buffer, tgt: Buffer): Buffer {
  const f = Buffer.alloc(8);
  f.writeUInt32LE(crc32(src), 0);
  f.writeUInt32LE(crc32(tgt), 4);
  const all = Buffer.concat([Buffer.from(body), f]);
  const p = Buffer.alloc(4);
  p.writeUInt32LE(crc32(all));
  return Buffer.concat([all, p]);
}

describe('checksums', () => {
  it('match published values', () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
    expect(crc16(Buffer.from('123456789'))).toBe(0x29b1); // CRC-16/CCITT-FALSE check value
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('Adler-32 through zlib agrees with the JavaScript loop on large buffers', () => {
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 131 + (i >> 7)) & 0xff;
    expect(adler32(big)).toBe(adler32Js(big));
    expect(adler32(Buffer.alloc(200_000, 0xff))).toBe(adler32Js(Buffer.alloc(200_000, 0xff)));
  });
});

describe('IPS', () => {
  it('applies a literal record, an RLE record and the truncation extension', async () => {
    const src = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const patch = Buffer.concat([
      Buffer.from('PATCH'),
      Buffer.from([0x00, 0x00, 0x02, 0x00, 0x02, 0xaa, 0xbb]), // offset 2, 2 bytes
      Buffer.from([0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x03, 0xcc]), // offset 6, RLE 3 x 0xCC
      Buffer.from('EOF'),
      Buffer.from([0x00, 0x00, 0x08]), // truncate to 8 bytes
    ]);
    const { out, validated } = await run(src, patch);
    expect([...out]).toEqual([0, 1, 0xaa, 0xbb, 4, 5, 0xcc, 0xcc]);
    expect(validated).toBe(true);
  });

  it('IPS32 uses 4-byte offsets and EEOF', async () => {
    const src = Buffer.alloc(4);
    const patch = Buffer.concat([Buffer.from('IPS32'), Buffer.from([0, 0, 0, 1, 0, 1, 0x42]), Buffer.from('EEOF')]);
    expect([...(await run(src, patch)).out]).toEqual([0, 0x42, 0, 0]);
  });

  it('the test encoder round-trips', async () => {
    const src = Buffer.from('The quick brown fox jumps over the lazy dog');
    const tgt = Buffer.from('The quick RED fox jumps over the lazy cat!!!!!!!!!!!!');
    expect((await run(src, encodeIps(src, tgt))).out.equals(tgt)).toBe(true);
    const shorter = Buffer.from('The quick');
    expect((await run(src, encodeIps(src, shorter))).out.equals(shorter)).toBe(true);
  });
});

describe('beat variable-length integers (UPS, BPS)', () => {
  it('encode as in the specification', () => {
    expect([...beatVarint(0)]).toEqual([0x80]);
    expect([...beatVarint(127)]).toEqual([0xff]);
    expect([...beatVarint(128)]).toEqual([0x00, 0x80]);
    expect([...beatVarint(16511)]).toEqual([0x7f, 0xff]);
    expect([...beatVarint(16512)]).toEqual([0x00, 0x00, 0x80]);
  });
});

describe('BPS', () => {
  const src = Buffer.from('ABCDEFGH');
  const tgt = Buffer.from('ABCDxyzxyzxyzEFGH');
  // SourceRead 4; TargetRead 3 "xyz"; TargetCopy 6 from +4 (overlapping); SourceCopy 4 from +4.
  const body = [
    ...Buffer.from('BPS1'),
    0x88, // source size 8
    0x91, // target size 17
    0x80, // metadata size 0
    0x8c, // (4-1)<<2 | SourceRead
    0x89, // (3-1)<<2 | TargetRead
    ...Buffer.from('xyz'),
    0x97, // (6-1)<<2 | TargetCopy
    0x88, // relative +4
    0x8e, // (4-1)<<2 | SourceCopy
    0x88, // relative +4
  ];

  it('applies all four actions, including an overlapping target copy', async () => {
    const { out, validated } = await run(src, beatFooter(body, src, tgt));
    expect(out.toString()).toBe(tgt.toString());
    expect(validated).toBe(true);
  });

  it('a corrupted target CRC with a matching source is an error, never a silent result', async () => {
    const patch = beatFooter(body, src, Buffer.from('something else'));
    await expect(run(src, patch)).rejects.toThrow(/target checksum mismatch/);
  });

  it('a different source applies anyway with validated=false', async () => {
    const { out, validated } = await run(Buffer.from('abcdEFGH'), beatFooter(body, src, tgt));
    expect(out.toString()).toBe('abcdxyzxyzxyzEFGH');
    expect(validated).toBe(false);
  });

  it('a corrupted patch fails its own CRC', async () => {
    const patch = beatFooter(body, src, tgt);
    patch[10] = patch[10]! ^ 1;
    await expect(run(src, patch)).rejects.toThrow(/patch checksum mismatch/);
  });

  it('the test encoder round-trips', async () => {
    const a = Buffer.from('0123456789'.repeat(50));
    const b = Buffer.concat([Buffer.from('0123456789'.repeat(20)), Buffer.alloc(100, 7), Buffer.from('tail')]);
    expect((await run(a, encodeBps(a, b))).out.equals(b)).toBe(true);
  });
});

describe('UPS', () => {
  it('applies XOR records with relative offsets and grows the file', async () => {
    const src = Buffer.from('ABCDEFGH');
    const tgt = Buffer.from('ABXDEFGHIJ');
    const body = [
      ...Buffer.from('UPS1'),
      0x88, // source size 8
      0x8a, // target size 10
      0x82, // skip 2
      0x43 ^ 0x58, // 'C' ^ 'X'
      0x00,
      0x84, // skip 4 (from offset 4 to 8)
      0x49, // 0 ^ 'I'
      0x4a, // 0 ^ 'J'
      0x00,
    ];
    const { out, validated } = await run(src, beatFooter(body, src, tgt));
    expect(out.toString()).toBe('ABXDEFGHIJ');
    expect(validated).toBe(true);
  });

  it('the test encoder round-trips, also when the file shrinks', async () => {
    const a = Buffer.from('hello world, hello patch');
    for (const b of [Buffer.from('hello WORLD, hello patch!!'), Buffer.from('hello')]) {
      expect((await run(a, encodeUps(a, b))).out.equals(b)).toBe(true);
    }
  });
});

describe('VCDIFF (RFC 3284 default code table)', () => {
  it('COPY from the source segment then RUN', async () => {
    const patch = Buffer.from([
      0xd6, 0xc3, 0xc4, 0x00, // magic, version 0
      0x00, // header indicator
      0x01, // window: VCD_SOURCE
      0x04, 0x00, // segment length 4 at source offset 0
      0x0a, // delta encoding length
      0x08, // target window length
      0x00, // delta indicator
      0x01, 0x03, 0x01, // data, instructions, addresses lengths
      0x5a, // data: 'Z' (the run byte)
      0x14, // COPY size 4 mode 0 (code 20)
      0x00, 0x04, // RUN with explicit size 4 (code 0)
      0x00, // address 0 (VCD_SELF)
    ]);
    expect((await run(Buffer.from('ABCD'), patch)).out.toString()).toBe('ABCDZZZZ');
  });

  it('an overlapping COPY inside the target window repeats the pattern', async () => {
    const patch = Buffer.from([
      0xd6, 0xc3, 0xc4, 0x00, 0x00,
      0x00, // window without source
      0x0a, 0x08, 0x00,
      0x02, 0x02, 0x01,
      0x41, 0x42, // data "AB"
      0x03, // ADD size 2 (code 3)
      0x16, // COPY size 6 mode 0 (code 22)
      0x00, // address 0 = first target byte
    ]);
    expect((await run(Buffer.alloc(0), patch)).out.toString()).toBe('ABABABAB');
  });
});

describe('PMSR (Star Rod)', () => {
  it('writes big-endian records and grows the ROM to 40 MiB; any other ROM reports validated=false', async () => {
    const patch = Buffer.from([
      ...Buffer.from('PMSR'),
      0, 0, 0, 2, // two records
      0, 0, 0, 1, 0, 0, 0, 2, 0xaa, 0xbb, // offset 1, length 2
      0, 0x80, 0, 0, 0, 0, 0, 1, 0xcc, // offset 8 MiB, length 1
    ]);
    const { out, validated } = await run(Buffer.from([1, 2, 3, 4]), patch);
    expect(validated).toBe(false);
    expect(out.length).toBe(41943040);
    expect([...out.subarray(0, 5)]).toEqual([1, 0xaa, 0xbb, 4, 0]);
    expect(out[0x800000]).toBe(0xcc);
  });
});
