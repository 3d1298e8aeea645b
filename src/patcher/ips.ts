import { checkAborted, fail } from './errors.ts';
import { PatchReader } from './io/patch-reader.ts';
import { RandomWriter } from './io/random-writer.ts';
import type { PatchFormat, PatchInput, PatchResult } from './types.ts';

const IPS_MAGIC = Buffer.from('PATCH');
const IPS32_MAGIC = Buffer.from('IPS32');
const IPS_EOF = 0x454f46; // "EOF"
const IPS32_EOF = 0x45454f46; // "EEOF"

/**
 * IPS: records of (offset, bytes) or (offset, run of one byte) written over a copy of the ROM. Classic
 * IPS has 24-bit offsets and may end with a 24-bit truncation size after "EOF"; IPS32 has 32-bit offsets
 * and ends with "EEOF". No checksums, so the result is always reported as validated.
 */
export const ips: PatchFormat = {
  id: 'ips',
  name: 'IPS',
  detect: (head) => head.subarray(0, 5).equals(IPS_MAGIC) || head.subarray(0, 5).equals(IPS32_MAGIC),
  apply: applyIps,
};

async function applyIps(input: PatchInput): Promise<PatchResult> {
  const patch = await PatchReader.open(input.patchPath);
  let out: RandomWriter | undefined;
  try {
    await patch.need(5, 'header');
    const wide = patch.bytes(5).equals(IPS32_MAGIC);
    const offsetBytes = wide ? 4 : 3;
    const eof = wide ? IPS32_EOF : IPS_EOF;
    out = await RandomWriter.fromSource(input.sourcePath, input.targetPath, input.limits.maxTargetSize);
    for (;;) {
      checkAborted(input.signal);
      await patch.need(offsetBytes, 'missing EOF marker');
      const offset = wide ? patch.u32be() : patch.u24be();
      if (offset === eof) break;
      await patch.need(2, 'record size');
      const size = patch.u16be();
      if (size === 0) {
        await patch.need(3, 'RLE record');
        const count = patch.u16be();
        const value = patch.u8();
        if (count === 0) fail(`IPS RLE record at patch offset ${patch.pos - 5} has a zero length`);
        await out.fill(offset, value, count);
      } else {
        await patch.need(size, 'record data');
        await out.write(offset, patch.bytes(size));
      }
    }
    // Optional truncation extension: exactly one size field after the EOF marker (other trailing bytes
    // are junk some tools leave, and must not cut the ROM).
    if (patch.remaining === offsetBytes) {
      await patch.need(offsetBytes);
      const size = wide ? patch.u32be() : patch.u24be();
      await out.truncate(size);
    }
    const outputSize = await out.close();
    out = undefined;
    return { format: 'ips', formatName: wide ? 'IPS32' : 'IPS', validated: true, outputSize };
  } finally {
    await out?.abort();
    await patch.close();
  }
}
