import { crc32 } from './checksum.ts';
import { checkAborted, fail, truncated } from './errors.ts';
import { readSourceInto, sourceCrc32, copySource } from './io/copy.ts';
import { PatchReader } from './io/patch-reader.ts';
import { SourceReader } from './io/source-reader.ts';
import { TargetWriter } from './io/target-writer.ts';
import { readBeatVarint } from './io/varint.ts';
import { patchCrc32, readTail } from './io/patch-crc.ts';
import type { PatchFormat, PatchInput, PatchResult } from './types.ts';

const MAGIC = Buffer.from('UPS1');

/**
 * UPS: XOR runs at relative offsets, streamed from source to target in one sequential pass. The footer
 * holds CRC-32s of source, target and patch. XOR is symmetric, so a ROM matching the target CRC is
 * "unpatched" back to the source, as the reference tools do.
 */
export const ups: PatchFormat = {
  id: 'ups',
  name: 'UPS',
  detect: (head) => head.subarray(0, 4).equals(MAGIC),
  apply: applyUps,
};

async function applyUps(input: PatchInput): Promise<PatchResult> {
  const patch = await PatchReader.open(input.patchPath);
  const src = await SourceReader.open(input.sourcePath);
  let out: TargetWriter | undefined;
  try {
    if (patch.size < 4 + 2 + 12) truncated('header');
    const footer = await readFooter(input.patchPath, patch.size);
    if ((await patchCrc32(input.patchPath, patch.size - 4)) !== footer.patch) {
      fail('UPS patch checksum mismatch: the patch file is corrupt', 'checksum');
    }
    await patch.need(4, 'header');
    patch.skipBuffered(4);
    const sizeA = await readBeatVarint(patch, 'UPS source size');
    const sizeB = await readBeatVarint(patch, 'UPS target size');
    // XOR is symmetric: a ROM matching the target CRC is unpatched. With equal sizes both directions are
    // the same operation, so the source CRC is taken during the single pass; otherwise it is needed first.
    let reverse = false;
    if (sizeA !== sizeB && src.size === sizeB) {
      const first = await sourceCrc32(src, crc32);
      reverse = first === footer.target && first !== footer.source;
    }
    const targetSize = reverse ? sizeA : sizeB;
    if (targetSize > input.limits.maxTargetSize) {
      fail(`Patched output would exceed the size limit of ${input.limits.maxTargetSize} bytes`, 'limit');
    }
    let romCrc = 0;
    const onSource = (bytes: Buffer): void => {
      romCrc = crc32(bytes, romCrc);
    };

    out = await TargetWriter.create(input.targetPath, input.limits.maxTargetSize, true);
    const bodyEnd = patch.size - 12;
    // Records cover max(source, target) so the patch is reversible; bytes past the target are dropped.
    const span = Math.max(sizeA, sizeB);
    let pos = 0;
    while (patch.pos < bodyEnd) {
      checkAborted(input.signal);
      const skip = await readBeatVarint(patch, 'UPS record offset');
      if (pos + skip > span) fail(`UPS record at offset ${pos + skip} lies beyond the file sizes in its header`);
      const copy = Math.max(0, Math.min(skip, targetSize - pos));
      await copySource(src, out, pos, copy, true, onSource);
      pos += skip;
      // XOR bytes up to and including a zero terminator (which leaves its byte unchanged).
      for (;;) {
        const avail = Math.min(await patch.want(1 << 16), bodyEnd - patch.pos);
        if (avail <= 0) truncated('UPS record without terminator');
        const view = patch.peek(avail);
        const zero = view.indexOf(0);
        const n = zero < 0 ? avail : zero + 1;
        if (pos + n > span + 1) fail('UPS record lies beyond the file sizes in its header');
        const writable = Math.max(0, Math.min(n, targetSize - pos));
        if (writable > 0) {
          const dst = await out.reserve(writable);
          await readSourceInto(src, pos, writable, dst, true);
          onSource(dst.subarray(0, Math.max(0, Math.min(writable, src.size - pos))));
          for (let i = 0; i < writable; i++) dst[i]! ^= view[i]!;
          out.commit(writable);
        }
        patch.skipBuffered(n);
        pos += n;
        if (zero >= 0) break;
      }
    }
    if (pos < targetSize) await copySource(src, out, pos, targetSize - pos, true, onSource);
    if (targetSize < src.size) await src.scan(targetSize, src.size - targetSize, onSource);
    await out.flush();
    const outCrc = out.crc32;
    const outputSize = await out.close();
    out = undefined;
    if (sizeA === sizeB) reverse = romCrc === footer.target && romCrc !== footer.source;
    const validated = reverse || romCrc === footer.source;
    const expectedCrc = reverse ? footer.source : footer.target;
    if (validated && outCrc !== expectedCrc) {
      fail('UPS target checksum mismatch: the source matched but the result does not (corrupt patch)', 'checksum');
    }
    return { format: 'ups', formatName: reverse ? 'UPS (reversed)' : 'UPS', validated, outputSize };
  } finally {
    await out?.abort();
    await src.close();
    await patch.close();
  }
}

async function readFooter(path: string, size: number): Promise<{ source: number; target: number; patch: number }> {
  const tail = await readTail(path, size, 12);
  return { source: tail.readUInt32LE(0), target: tail.readUInt32LE(4), patch: tail.readUInt32LE(8) };
}
