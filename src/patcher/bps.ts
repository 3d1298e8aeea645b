import { crc32 } from './checksum.ts';
import { checkAborted, fail, truncated } from './errors.ts';
import { copySource, sourceCrc32 } from './io/copy.ts';
import { crc32FileInWorker } from './io/crc-worker.ts';
import { patchCrc32, readTail } from './io/patch-crc.ts';
import { PatchReader } from './io/patch-reader.ts';
import { SourceReader } from './io/source-reader.ts';
import { TargetWriter } from './io/target-writer.ts';
import { readBeatVarint } from './io/varint.ts';
import type { PatchFormat, PatchInput, PatchResult } from './types.ts';

const MAGIC = Buffer.from('BPS1');
const SOURCE_READ = 0;
const TARGET_READ = 1;
const SOURCE_COPY = 2;
const TARGET_COPY = 3;
const WORKER_THRESHOLD = 256 << 20;

/**
 * BPS: four actions that build the target sequentially from the source (same offset or relative
 * cursor), literal patch bytes, or earlier target bytes. The target streams out through a bounded
 * buffer; source bytes come from a block cache; copies from flushed target bytes are read back from
 * the output file.
 */
export const bps: PatchFormat = {
  id: 'bps',
  name: 'BPS',
  detect: (head) => head.subarray(0, 4).equals(MAGIC),
  apply: applyBps,
};

async function applyBps(input: PatchInput): Promise<PatchResult> {
  const patch = await PatchReader.open(input.patchPath);
  const src = await SourceReader.open(input.sourcePath);
  let out: TargetWriter | undefined;
  try {
    if (patch.size < 4 + 3 + 12) truncated('header');
    const tail = await readTail(input.patchPath, patch.size, 12);
    const expected = { source: tail.readUInt32LE(0), target: tail.readUInt32LE(4), patch: tail.readUInt32LE(8) };
    if ((await patchCrc32(input.patchPath, patch.size - 4)) !== expected.patch) {
      fail('BPS patch checksum mismatch: the patch file is corrupt', 'checksum');
    }
    await patch.need(4, 'header');
    patch.skipBuffered(4);
    const sourceSize = await readBeatVarint(patch, 'BPS source size');
    const targetSize = await readBeatVarint(patch, 'BPS target size');
    const metadataSize = await readBeatVarint(patch, 'BPS metadata size');
    await patch.skip(metadataSize, 'BPS metadata');
    if (targetSize > input.limits.maxTargetSize) {
      fail(`Patched output would exceed the size limit of ${input.limits.maxTargetSize} bytes`, 'limit');
    }
    // Big sources: the source CRC is computed on a worker while the target is built (awaited at the end).
    // Small ones are cheaper inline than a thread start.
    const sourceCrc =
      src.size !== sourceSize
        ? Promise.resolve(-1)
        : src.size >= WORKER_THRESHOLD
          ? crc32FileInWorker(input.sourcePath)
          : sourceCrc32(src, crc32);
    sourceCrc.catch(() => undefined);

    out = await TargetWriter.create(input.targetPath, targetSize, true);
    const bodyEnd = patch.size - 12;
    let sourceRel = 0;
    let targetRel = 0;
    while (patch.pos < bodyEnd) {
      checkAborted(input.signal);
      const data = await readBeatVarint(patch, 'BPS action');
      const action = data % 4;
      const length = Math.floor(data / 4) + 1;
      const outPos = out.length;
      if (outPos + length > targetSize) fail(`BPS action at patch offset ${patch.pos} writes beyond the target size`);
      switch (action) {
        case SOURCE_READ:
          await copySource(src, out, outPos, length);
          break;
        case TARGET_READ:
          if (patch.pos + length > bodyEnd) truncated('BPS literal data');
          await patch.stream(length, (chunk) => out!.write(chunk), 'BPS literal data');
          break;
        case SOURCE_COPY: {
          sourceRel += await readSigned(patch);
          if (sourceRel < 0) fail('BPS source copy before the start of the source');
          await copySource(src, out, sourceRel, length);
          sourceRel += length;
          break;
        }
        case TARGET_COPY: {
          targetRel += await readSigned(patch);
          if (targetRel < 0 || targetRel >= outPos) fail('BPS target copy from bytes not yet written');
          await out.copyFromOutput(targetRel, length);
          targetRel += length;
          break;
        }
      }
    }
    if (patch.pos !== bodyEnd) truncated('BPS actions overlap the footer');
    if (out.length !== targetSize) fail(`BPS patch produced ${out.length} bytes, expected ${targetSize}`);
    await out.flush();
    const outCrc = out.crc32;
    const outputSize = await out.close();
    out = undefined;
    const validated = (await sourceCrc) === expected.source;
    if (validated && outCrc !== expected.target) {
      fail('BPS target checksum mismatch: the source matched but the result does not (corrupt patch)', 'checksum');
    }
    return { format: 'bps', formatName: 'BPS', validated, outputSize };
  } finally {
    await out?.abort();
    await src.close();
    await patch.close();
  }
}

async function readSigned(patch: PatchReader): Promise<number> {
  const v = await readBeatVarint(patch, 'BPS relative offset');
  const magnitude = Math.floor(v / 2);
  return v % 2 === 1 ? -magnitude : magnitude;
}
