// Hostile and broken patches: each must end in a PatchError (HTTP 400) in bounded time and memory,
// never a hang, a crash or a different exception type.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPatch, PatchError, type PatchLimits } from '../../../src/patcher/index.ts';
import { prng } from './helpers/fixture-data.ts';
import { FIXTURES, tempDir } from './helpers/tmp.ts';

const tmp = tempDir('hostile');
const romPath = join(FIXTURES, 'rom.bin');
let n = 0;

async function attempt(patch: Uint8Array, limits?: Partial<PatchLimits>): Promise<PatchError | 'ok'> {
  n++;
  try {
    await applyPatch({ sourcePath: romPath, patchPath: tmp.file(`p${n}`, patch), targetPath: tmp.path(`o${n}`), limits });
    return 'ok';
  } catch (err) {
    if (err instanceof PatchError) return err;
    throw err;
  }
}

async function rejects(patch: Uint8Array, pattern: RegExp, limits?: Partial<PatchLimits>): Promise<void> {
  const result = await attempt(patch, limits);
  expect(result).toBeInstanceOf(PatchError);
  expect((result as PatchError).message).toMatch(pattern);
}

const patches = readdirSync(FIXTURES).filter((f) => !f.endsWith('.bin'));

describe('truncated patches', () => {
  for (const name of patches) {
    it(`${name}: every truncation point is an error or a valid shorter patch`, async () => {
      const full = readFileSync(join(FIXTURES, name));
      for (const frac of [0.05, 0.3, 0.61, 0.97]) {
        const cut = Math.max(1, Math.floor(full.length * frac));
        await attempt(full.subarray(0, cut)); // throws if the error is not a PatchError
      }
      await attempt(full.subarray(0, full.length - 1));
    }, 60_000);
  }
});

describe('mutated patches (random byte flips)', () => {
  for (const name of patches) {
    it(`${name}: 25 mutations never crash or hang`, async () => {
      const full = readFileSync(join(FIXTURES, name));
      const next = prng(name.length * 7919);
      for (let i = 0; i < 25; i++) {
        const mutated = Buffer.from(full);
        const flips = 1 + (next() % 4);
        // Keep the magic so the format's own decoder sees the damage.
        for (let k = 0; k < flips; k++) mutated[8 + (next() % (mutated.length - 8))] = next() & 0xff;
        await attempt(mutated, { maxTargetSize: 64 << 20 });
      }
    }, 60_000);
  }
});

describe('size fields and offsets', () => {
  it('BPS declaring a 2^64 target is refused', async () => {
    const huge = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]; // ten-byte varint beyond 2^53
    await rejects(Buffer.from([...Buffer.from('BPS1'), 0x80, ...huge, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), /out of range|checksum/);
  });

  it('UPS declaring an output over the limit is refused before writing', async () => {
    const body = Buffer.from([...Buffer.from('UPS1'), 0x80, 0x7f, 0x7f, 0x7f, 0x7f, 0xff]);
    await rejects(body, /limit|truncated|checksum/, { maxTargetSize: 1 << 20 });
  });

  it('VCDIFF target window over the limit is refused', async () => {
    // target window length 2^40 (varint), no source
    const patch = Buffer.from([0xd6, 0xc3, 0xc4, 0x00, 0x00, 0x00, 0x10, 0xa0, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00]);
    await rejects(patch, /exceeds the limit/);
  });

  it('VCDIFF source segment beyond the ROM is refused', async () => {
    const patch = Buffer.from([0xd6, 0xc3, 0xc4, 0x00, 0x00, 0x01, 0x84, 0x00, 0xa0, 0x80, 0x00, 0x06, 0x04, 0x00, 0x00, 0x01, 0x01, 0x00, 0x14, 0x00]);
    await rejects(patch, /beyond the end of the source/);
  });

  it('VCDIFF copy from an address not yet written is refused', async () => {
    // no source; COPY 4 at address 5 while "here" is 0
    const patch = Buffer.from([0xd6, 0xc3, 0xc4, 0x00, 0x00, 0x00, 0x06, 0x04, 0x00, 0x00, 0x01, 0x01, 0x14, 0x05]);
    await rejects(patch, /outside the window/);
  });

  it('IPS writing past the output limit is refused', async () => {
    const patch = Buffer.concat([Buffer.from('PATCH'), Buffer.from([0xff, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0x01]), Buffer.from('EOF')]);
    await rejects(patch, /size limit/, { maxTargetSize: 1 << 20 });
  });

  it('PPF3 offset of 2^64-1 is refused', async () => {
    const head = Buffer.alloc(60);
    head.write('PPF30', 0, 'latin1');
    head[5] = 2;
    const rec = Buffer.concat([Buffer.alloc(8, 0xff), Buffer.from([1, 0x42])]);
    await rejects(Buffer.concat([head, rec]), /out of range/);
  });

  it('BSDiff with a negative length in its control block is refused', async () => {
    const head = Buffer.alloc(32);
    head.write('BSDIFF40', 0, 'latin1');
    head.writeBigUInt64LE(0x8000000000000001n, 8); // ctrl length -1
    await rejects(head, /invalid section sizes/);
  });

  it('an empty or unknown patch is refused', async () => {
    await rejects(Buffer.alloc(0), /empty/);
    await rejects(Buffer.from('not a patch at all'), /Unrecognised/);
  });
});

describe('copy loops and decompression bombs', () => {
  it('a BPS target copy looping to 16 GiB stops at the output limit', async () => {
    // Declares 16 GiB; one TargetRead byte then a TargetCopy of the rest: the declared size is refused.
    const patch = Buffer.from([...Buffer.from('BPS1'), 0x80, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x3f, 0x80, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const started = Date.now();
    await rejects(patch, /limit|checksum|range/, { maxTargetSize: 1 << 20 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a secondary-compressed section declaring a huge output is refused before decoding', async () => {
    // DJW secondary (id 1); window with VCD_DATACOMP whose data section declares 2^31 bytes.
    const data = [0x88, 0x80, 0x80, 0x80, 0x00, 0x00];
    const patch = Buffer.from([
      0xd6, 0xc3, 0xc4, 0x00, 0x01, 0x01, // secondary DJW
      0x00, // window, no source
      3 + 3 + data.length + 1, 0x04, 0x01, // enc length, target length 4, DATACOMP
      data.length, 0x01, 0x00,
      ...data,
      0x01,
    ]);
    await rejects(patch, /over the limit/);
  });

  it('an IPS patch of 65535-byte RLE records stays bounded by the output limit', async () => {
    const rec = (off: number): Buffer => Buffer.from([off >> 16, (off >> 8) & 0xff, off & 0xff, 0, 0, 0xff, 0xff, 0x11]);
    const patch = Buffer.concat([Buffer.from('PATCH'), ...Array.from({ length: 300 }, (_, i) => rec(i * 0xffff)), Buffer.from('EOF')]);
    await rejects(patch, /size limit/, { maxTargetSize: 4 << 20 });
  });
});


describe('cancellation', () => {
  it('an aborted signal stops the apply with a PatchError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      applyPatch({
        sourcePath: romPath,
        patchPath: join(FIXTURES, 'patch.bps'),
        targetPath: tmp.path('aborted'),
        signal: controller.signal,
      }),
    ).rejects.toThrow(/cancelled/);
  });
});
