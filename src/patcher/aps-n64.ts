import { checkAborted, fail } from './errors.ts';
import { PatchReader } from './io/patch-reader.ts';
import { RandomWriter } from './io/random-writer.ts';
import { SourceReader } from './io/source-reader.ts';
import type { PatchFormat, PatchInput, PatchResult } from './types.ts';

const MAGIC = Buffer.from('APS10');
const N64_HEADER = 1;

/**
 * APS for N64: IPS-like records (32-bit offsets, RLE records) over a copy of the ROM, resized to the
 * declared output size. The N64 variant names the cartridge id (ROM 0x3C) and the 8-byte CRC at
 * ROM 0x10; a ROM that differs reports validated=false.
 */
export const apsN64: PatchFormat = {
  id: 'aps-n64',
  name: 'APS (N64)',
  detect: (head) => head.subarray(0, 5).equals(MAGIC),
  apply: applyApsN64,
};

async function applyApsN64(input: PatchInput): Promise<PatchResult> {
  const patch = await PatchReader.open(input.patchPath);
  const src = await SourceReader.open(input.sourcePath);
  let out: RandomWriter | undefined;
  try {
    await patch.need(57 + 4, 'header');
    patch.skipBuffered(5);
    const headerType = patch.u8();
    const encoding = patch.u8();
    patch.skipBuffered(50);
    if (encoding !== 0) fail(`APS encoding method ${encoding} is not supported`, 'unsupported');
    let validated = true;
    if (headerType === N64_HEADER) {
      await patch.need(17 + 4, 'N64 header');
      patch.u8(); // original byte order (V64/Z64): informative only
      const cartId = Buffer.from(patch.bytes(3));
      const crc = Buffer.from(patch.bytes(8));
      patch.skipBuffered(5);
      validated = await rangeEquals(src, 0x3c, cartId) && (await rangeEquals(src, 0x10, crc));
    } else if (headerType !== 0) {
      fail(`APS header type ${headerType} is unknown`);
    }
    const outputSize = patch.u32le();
    if (outputSize > input.limits.maxTargetSize) {
      fail(`Patched output would exceed the size limit of ${input.limits.maxTargetSize} bytes`, 'limit');
    }
    out = await RandomWriter.fromSource(input.sourcePath, input.targetPath, input.limits.maxTargetSize);
    await out.truncate(outputSize);
    while (patch.remaining > 0) {
      checkAborted(input.signal);
      await patch.need(5, 'record header');
      const offset = patch.u32le();
      const len = patch.u8();
      if (len === 0) {
        await patch.need(2, 'RLE record');
        const value = patch.u8();
        const count = patch.u8();
        await checkRange(offset, count, outputSize);
        await out.fill(offset, value, count);
      } else {
        await patch.need(len, 'record data');
        await checkRange(offset, len, outputSize);
        await out.write(offset, patch.bytes(len));
      }
    }
    const size = await out.close();
    out = undefined;
    return { format: 'aps-n64', formatName: headerType === N64_HEADER ? 'APS (N64)' : 'APS', validated, outputSize: size };
  } finally {
    await out?.abort();
    await src.close();
    await patch.close();
  }
}

async function checkRange(offset: number, len: number, size: number): Promise<void> {
  if (offset + len > size) fail(`APS record at offset ${offset} writes beyond the output size ${size}`);
}

async function rangeEquals(src: SourceReader, offset: number, expected: Buffer): Promise<boolean> {
  if (src.size < offset + expected.length) return false;
  const actual = Buffer.allocUnsafe(expected.length);
  await src.read(offset, expected.length, actual);
  return actual.equals(expected);
}
