import { Bzip2Reader } from './codecs/bzip2.ts';
import { checkAborted, fail, truncated } from './errors.ts';
import { PatchReader } from './io/patch-reader.ts';
import { SourceReader } from './io/source-reader.ts';
import { TargetWriter } from './io/target-writer.ts';
import type { PatchFormat, PatchInput, PatchResult } from './types.ts';

const MAGIC = Buffer.from('BSDIFF40');
const HEADER = 32;
const CHUNK = 1 << 16;

/**
 * BSDiff 4.0 (`.bdf`): three bzip2 streams (control triples, byte-wise diff against the old file, and
 * extra bytes). Each stream is decoded incrementally, so memory stays bounded even though bspatch
 * itself loads both files. No checksum: always validated.
 */
export const bsdiff: PatchFormat = {
  id: 'bsdiff',
  name: 'BSDiff',
  detect: (head) => head.subarray(0, 8).equals(MAGIC),
  apply: applyBsdiff,
};

async function applyBsdiff(input: PatchInput): Promise<PatchResult> {
  const header = await PatchReader.open(input.patchPath);
  const readers: PatchReader[] = [header];
  const src = await SourceReader.open(input.sourcePath);
  let out: TargetWriter | undefined;
  try {
    await header.need(HEADER, 'header');
    header.skipBuffered(8);
    const ctrlLen = offtin(header.bytes(8));
    const diffLen = offtin(header.bytes(8));
    const newSize = offtin(header.bytes(8));
    if (ctrlLen < 0 || diffLen < 0 || newSize < 0 || HEADER + ctrlLen + diffLen > header.size) {
      fail('BSDiff header has invalid section sizes');
    }
    if (newSize > input.limits.maxTargetSize) {
      fail(`Patched output would exceed the size limit of ${input.limits.maxTargetSize} bytes`, 'limit');
    }
    const open = async (pos: number, len: number): Promise<Bzip2Reader> => {
      const r = await PatchReader.open(input.patchPath);
      readers.push(r);
      await r.skip(pos);
      return new Bzip2Reader(r, len);
    };
    const ctrl = await open(HEADER, ctrlLen);
    const diff = await open(HEADER + ctrlLen, diffLen);
    const extra = await open(HEADER + ctrlLen + diffLen, header.size - HEADER - ctrlLen - diffLen);

    out = await TargetWriter.create(input.targetPath, newSize);
    const triple = Buffer.alloc(24);
    const old = Buffer.alloc(CHUNK);
    let newPos = 0;
    let oldPos = 0;
    while (newPos < newSize) {
      checkAborted(input.signal);
      await readExact(ctrl, triple, 24, 'BSDiff control data');
      const x = offtin(triple.subarray(0, 8));
      const y = offtin(triple.subarray(8, 16));
      const z = offtin(triple.subarray(16, 24));
      if (x < 0 || y < 0 || newPos + x + y > newSize) fail('BSDiff control entry writes beyond the new size');
      for (let done = 0; done < x; ) {
        const n = Math.min(CHUNK, x - done);
        const dst = await out.reserve(n);
        await readExact(diff, dst, n, 'BSDiff diff data');
        // Bytes of the old file outside [0, size) count as zero, as in bspatch.
        const from = oldPos + done;
        const lo = Math.max(0, -from);
        const hi = Math.min(n, src.size - from);
        if (hi > lo) {
          await src.read(from + lo, hi - lo, old, 0);
          for (let i = lo; i < hi; i++) dst[i] = (dst[i]! + old[i - lo]!) & 0xff;
        }
        out.commit(n);
        done += n;
      }
      for (let done = 0; done < y; ) {
        const n = Math.min(CHUNK, y - done);
        const dst = await out.reserve(n);
        await readExact(extra, dst, n, 'BSDiff extra data');
        out.commit(n);
        done += n;
      }
      newPos += x + y;
      oldPos += x + z;
    }
    const outputSize = await out.close();
    out = undefined;
    return { format: 'bsdiff', formatName: 'BSDiff 4.0', validated: true, outputSize };
  } finally {
    await out?.abort();
    await src.close();
    for (const r of readers) await r.close();
  }
}

/** bsdiff's 64-bit sign-and-magnitude little-endian integer. */
function offtin(b: Uint8Array): number {
  let v = b[7]! & 0x7f;
  for (let i = 6; i >= 0; i--) v = v * 256 + b[i]!;
  if (!Number.isSafeInteger(v)) fail('BSDiff value is out of range', 'limit');
  return b[7]! & 0x80 ? -v : v;
}

async function readExact(r: Bzip2Reader, dst: Uint8Array, n: number, what: string): Promise<void> {
  let got = 0;
  while (got < n) {
    const k = await r.read(dst, got, n - got);
    if (k === 0) truncated(what);
    got += k;
  }
}
