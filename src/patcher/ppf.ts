import { checkAborted, fail } from './errors.ts';
import { PatchReader } from './io/patch-reader.ts';
import { RandomWriter } from './io/random-writer.ts';
import { SourceReader } from './io/source-reader.ts';
import type { PatchFormat, PatchInput, PatchResult } from './types.ts';

const DIZ_BEGIN = Buffer.from('@BEGIN_FILE_ID.DIZ');
const BLOCK_CHECK_SIZE = 1024;
const BIN_BLOCK_OFFSET = 0x9320; // sector 16 of a MODE2/2352 image
const GI_BLOCK_OFFSET = 0x80a0; // same data in a PrimoDVD GI image

/**
 * PlayStation Patch Format 1.0, 2.0 and 3.0: byte records written over a copy of the disc image, so
 * a 4+ GiB image patches with flat memory. PPF2 and PPF3 may carry a 1024-byte "block check" of the
 * source image (and PPF2 its size): a mismatch reports validated=false. PPF3 undo data is skipped.
 */
export const ppf: PatchFormat = {
  id: 'ppf',
  name: 'PPF',
  detect: (head) => /^PPF[123]0$/.test(head.subarray(0, 5).toString('latin1')),
  apply: applyPpf,
};

async function applyPpf(input: PatchInput): Promise<PatchResult> {
  const patch = await PatchReader.open(input.patchPath);
  const src = await SourceReader.open(input.sourcePath);
  let out: RandomWriter | undefined;
  try {
    await patch.need(56, 'header');
    const version = patch.bytes(5).toString('latin1').charAt(3);
    patch.skipBuffered(1 + 50); // encoding method, description
    let validated = true;
    let undo = false;
    let wideOffsets = false;
    if (version === '2') {
      await patch.need(4 + BLOCK_CHECK_SIZE, 'PPF2 header');
      const inputSize = patch.u32le();
      const block = patch.bytes(BLOCK_CHECK_SIZE);
      validated = inputSize === src.size && (await blockMatches(src, BIN_BLOCK_OFFSET, block));
    } else if (version === '3') {
      await patch.need(4, 'PPF3 header');
      const imageType = patch.u8();
      const hasBlockCheck = patch.u8() !== 0;
      undo = patch.u8() !== 0;
      patch.u8();
      wideOffsets = true;
      if (imageType > 1) fail(`PPF3 image type ${imageType} is not BIN (0) or GI (1)`);
      if (hasBlockCheck) {
        await patch.need(BLOCK_CHECK_SIZE, 'PPF3 block check');
        const block = patch.bytes(BLOCK_CHECK_SIZE);
        validated = await blockMatches(src, imageType === 1 ? GI_BLOCK_OFFSET : BIN_BLOCK_OFFSET, block);
      }
    }

    out = await RandomWriter.fromSource(input.sourcePath, input.targetPath, input.limits.maxTargetSize);
    const offsetSize = wideOffsets ? 8 : 4;
    while (patch.remaining > 0) {
      checkAborted(input.signal);
      if ((await patch.want(DIZ_BEGIN.length)) === DIZ_BEGIN.length && patch.peek(DIZ_BEGIN.length).equals(DIZ_BEGIN)) {
        break; // file_id.diz trailer
      }
      await patch.need(offsetSize + 1, 'record header');
      const offset = wideOffsets ? patch.u64le('PPF record offset') : patch.u32le();
      const len = patch.u8();
      await patch.need(len * (undo ? 2 : 1), 'record data');
      await out.write(offset, patch.bytes(len));
      if (undo) patch.skipBuffered(len);
    }
    const outputSize = await out.close();
    out = undefined;
    return { format: 'ppf', formatName: `PPF ${version}.0`, validated, outputSize };
  } finally {
    await out?.abort();
    await src.close();
    await patch.close();
  }
}

async function blockMatches(src: SourceReader, offset: number, expected: Buffer): Promise<boolean> {
  if (src.size < offset + BLOCK_CHECK_SIZE) return false;
  const actual = Buffer.allocUnsafe(BLOCK_CHECK_SIZE);
  await src.read(offset, BLOCK_CHECK_SIZE, actual);
  return actual.equals(expected);
}
