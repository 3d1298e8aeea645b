import { crc32 } from './checksum.ts';
import { checkAborted, fail } from './errors.ts';
import { sourceCrc32 } from './io/copy.ts';
import { PatchReader } from './io/patch-reader.ts';
import { RandomWriter } from './io/random-writer.ts';
import { SourceReader } from './io/source-reader.ts';
import type { PatchFormat, PatchInput, PatchResult } from './types.ts';

const MAGIC = Buffer.from('PMSR');
/** Star Rod mods target Paper Mario (USA) 1.0 only; its size and CRC-32 are the source check. */
const PAPER_MARIO_SIZE = 41943040;
const PAPER_MARIO_CRC32 = 0xa7f5cd7e;

/**
 * Paper Mario Star Rod (`.pmsr`): big-endian (offset, length, bytes) records over a copy of the ROM,
 * which grows to at least 40 MiB. validated=false unless the ROM is Paper Mario (USA) 1.0.
 */
export const pmsr: PatchFormat = {
  id: 'pmsr',
  name: 'PMSR (Star Rod)',
  detect: (head) => head.subarray(0, 4).equals(MAGIC),
  apply: applyPmsr,
};

async function applyPmsr(input: PatchInput): Promise<PatchResult> {
  const patch = await PatchReader.open(input.patchPath);
  const src = await SourceReader.open(input.sourcePath);
  let out: RandomWriter | undefined;
  try {
    await patch.need(8, 'header');
    patch.skipBuffered(4);
    const count = patch.u32be();
    const validated = src.size === PAPER_MARIO_SIZE && (await sourceCrc32(src, crc32)) === PAPER_MARIO_CRC32;
    out = await RandomWriter.fromSource(input.sourcePath, input.targetPath, input.limits.maxTargetSize);
    let targetSize = PAPER_MARIO_SIZE;
    for (let i = 0; i < count; i++) {
      checkAborted(input.signal);
      await patch.need(8, 'record header');
      const offset = patch.u32be();
      const length = patch.u32be();
      targetSize = Math.max(targetSize, offset + length);
      if (targetSize > input.limits.maxTargetSize) {
        fail(`Patched output would exceed the size limit of ${input.limits.maxTargetSize} bytes`, 'limit');
      }
      let at = offset;
      await patch.stream(length, async (chunk) => {
        await out!.write(at, chunk);
        at += chunk.length;
      }, 'record data');
    }
    await out.truncate(targetSize);
    const outputSize = await out.close();
    out = undefined;
    return { format: 'pmsr', formatName: 'PMSR (Star Rod)', validated, outputSize };
  } finally {
    await out?.abort();
    await src.close();
    await patch.close();
  }
}
