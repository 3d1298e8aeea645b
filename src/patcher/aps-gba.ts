import { crc16 } from './checksum.ts';
import { checkAborted, fail } from './errors.ts';
import { readSourceInto } from './io/copy.ts';
import { PatchReader } from './io/patch-reader.ts';
import { RandomWriter } from './io/random-writer.ts';
import { SourceReader } from './io/source-reader.ts';
import type { PatchFormat, PatchInput, PatchResult } from './types.ts';

const MAGIC = Buffer.from('APS1');
const BLOCK = 0x10000;

/**
 * APS for GBA: whole 64 KiB blocks XORed over the ROM, each with CRC-16 of its source and target bytes.
 * A block whose source CRC matches must produce its target CRC (else the patch is corrupt); any source
 * mismatch, or a different ROM size, reports validated=false.
 */
export const apsGba: PatchFormat = {
  id: 'aps-gba',
  name: 'APS (GBA)',
  // "APS10" is the N64 flavour; the registry checks it first.
  detect: (head) => head.subarray(0, 4).equals(MAGIC) && !head.subarray(0, 5).equals(Buffer.from('APS10')),
  apply: applyApsGba,
};

async function applyApsGba(input: PatchInput): Promise<PatchResult> {
  const patch = await PatchReader.open(input.patchPath);
  const src = await SourceReader.open(input.sourcePath);
  let out: RandomWriter | undefined;
  try {
    await patch.need(12, 'header');
    patch.skipBuffered(4);
    const sourceSize = patch.u32le();
    const targetSize = patch.u32le();
    if ((patch.size - 12) % (8 + BLOCK) !== 0) fail('APS (GBA) patch size is not a whole number of blocks', 'truncated');
    if (targetSize > input.limits.maxTargetSize) {
      fail(`Patched output would exceed the size limit of ${input.limits.maxTargetSize} bytes`, 'limit');
    }
    let validated = src.size === sourceSize;
    out = await RandomWriter.fromSource(input.sourcePath, input.targetPath, input.limits.maxTargetSize);
    await out.truncate(targetSize);
    const block = Buffer.allocUnsafe(BLOCK);
    while (patch.remaining > 0) {
      checkAborted(input.signal);
      await patch.need(8 + BLOCK, 'block');
      const offset = patch.u32le();
      const sourceCrc = patch.u16le();
      const targetCrc = patch.u16le();
      const xor = patch.bytes(BLOCK);
      if (offset + BLOCK > Math.max(targetSize, sourceSize)) fail(`APS (GBA) block at ${offset} lies beyond the ROM`);
      await readSourceInto(src, offset, BLOCK, block, true);
      const sourceMatches = crc16(block) === sourceCrc;
      if (!sourceMatches) validated = false;
      for (let i = 0; i < BLOCK; i++) block[i]! ^= xor[i]!;
      if (sourceMatches && crc16(block) !== targetCrc) {
        fail(`APS (GBA) block at ${offset}: the source matched but the result does not (corrupt patch)`, 'checksum');
      }
      const writable = Math.max(0, Math.min(BLOCK, targetSize - offset));
      if (writable > 0) await out.write(offset, block.subarray(0, writable));
    }
    const outputSize = await out.close();
    out = undefined;
    return { format: 'aps-gba', formatName: 'APS (GBA)', validated, outputSize };
  } finally {
    await out?.abort();
    await src.close();
    await patch.close();
  }
}
