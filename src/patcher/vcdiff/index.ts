import { adler32 } from '../checksum.ts';
import { checkAborted, fail, truncated } from '../errors.ts';
import { PatchReader } from '../io/patch-reader.ts';
import { SourceReader } from '../io/source-reader.ts';
import { TargetWriter } from '../io/target-writer.ts';
import type { PatchFormat, PatchInput, PatchResult } from '../types.ts';
import { AddressCache } from './code-table.ts';
import { createSecondary, decodeSecondarySection, SECONDARY_MIN_INPUT, type SecondaryDecoder } from './secondary.ts';
import { SegmentCache } from './segment.ts';
import { decodeWindow, type Segment } from './window.ts';

const MAGIC = Buffer.from([0xd6, 0xc3, 0xc4, 0x00]);
const HDR_SECONDARY = 0x01;
const HDR_CODETABLE = 0x02;
const HDR_APPHEADER = 0x04;
const WIN_SOURCE = 0x01;
const WIN_TARGET = 0x02;
const WIN_ADLER32 = 0x04;
const DATA_COMP = 0x01;
const INST_COMP = 0x02;
const ADDR_COMP = 0x04;

/**
 * VCDIFF (RFC 3284) with xdelta3's extensions: per-window source segments anywhere in the source (64-bit
 * offsets), an Adler-32 of every target window, and secondary compression of the three sections (DJW,
 * FGK, LZMA). Windows are decoded one at a time into a reusable buffer and appended to the output, so
 * memory is bounded by the window limit whatever the ROM size.
 */
export const vcdiff: PatchFormat = {
  id: 'vcdiff',
  name: 'VCDIFF',
  detect: (head) => head.subarray(0, 4).equals(MAGIC),
  apply: applyVcdiff,
};

async function applyVcdiff(input: PatchInput): Promise<PatchResult> {
  const { maxWindowSize } = input.limits;
  const patch = await PatchReader.open(input.patchPath);
  const src = await SourceReader.open(input.sourcePath);
  let out: TargetWriter | undefined;
  try {
    await patch.need(5, 'header');
    patch.skipBuffered(4);
    const hdr = patch.u8();
    if (hdr & ~0x07) fail('VCDIFF header indicator has unknown bits set');
    let secondary: { data: SecondaryDecoder; inst: SecondaryDecoder; addr: SecondaryDecoder } | undefined;
    let secondaryName = '';
    if (hdr & HDR_SECONDARY) {
      await patch.need(1, 'header');
      const id = patch.u8();
      secondary = {
        data: createSecondary(id, maxWindowSize),
        inst: createSecondary(id, maxWindowSize),
        addr: createSecondary(id, maxWindowSize),
      };
      secondaryName = secondary.data.name;
    }
    if (hdr & HDR_CODETABLE) fail('VCDIFF application-defined code tables are not supported', 'unsupported');
    if (hdr & HDR_APPHEADER) await patch.skip(await readVarint(patch, 'application header length'), 'application header');

    out = await TargetWriter.create(input.targetPath, input.limits.maxTargetSize);
    const cache = new AddressCache();
    const segments = new SegmentCache(src);
    // Two target buffers: window k is written to the file while window k+1 is decoded.
    const targets = [Buffer.alloc(0), Buffer.alloc(0)];
    let pendingWrite: Promise<void> = Promise.resolve();
    let written = 0; // output bytes of all windows so far, including the one being written
    let windowIndex = 0;
    while (patch.remaining > 0) {
      checkAborted(input.signal);
      await patch.need(1, 'window header');
      const win = patch.u8();
      if (win & ~0x07 || (win & WIN_SOURCE && win & WIN_TARGET)) fail('VCDIFF window indicator is invalid');
      let segLen = 0;
      let segPos = 0;
      if (win & (WIN_SOURCE | WIN_TARGET)) {
        segLen = await readVarint(patch, 'segment length');
        segPos = await readVarint(patch, 'segment position');
      }
      const encLen = await readVarint(patch, 'delta encoding length');
      const tgtLen = await readVarint(patch, 'target window length');
      if (tgtLen > maxWindowSize) fail(`VCDIFF target window of ${tgtLen} bytes exceeds the limit of ${maxWindowSize}`, 'limit');
      await patch.need(1, 'delta indicator');
      const del = patch.u8();
      if (del & ~0x07) fail('VCDIFF delta indicator is invalid');
      if (del !== 0 && !secondary) fail('VCDIFF window is compressed but the patch names no secondary compressor');
      const dataLen = await readVarint(patch, 'data section length');
      const instLen = await readVarint(patch, 'instructions section length');
      const addrLen = await readVarint(patch, 'addresses section length');
      let checksum: number | undefined;
      if (win & WIN_ADLER32) {
        await patch.need(4, 'window checksum');
        checksum = patch.u32be();
      }
      const sectionBytes = dataLen + instLen + addrLen;
      if (sectionBytes > maxWindowSize) fail(`VCDIFF window sections exceed the limit of ${maxWindowSize} bytes`, 'limit');
      if (encLen < sectionBytes) fail('VCDIFF delta encoding length is inconsistent');
      if (written + tgtLen > input.limits.maxTargetSize) {
        fail(`Patched output would exceed the size limit of ${input.limits.maxTargetSize} bytes`, 'limit');
      }
      await patch.need(sectionBytes, 'window sections');
      let data: Uint8Array = patch.bytes(dataLen);
      let inst: Uint8Array = patch.bytes(instLen);
      let addr: Uint8Array = patch.bytes(addrLen);
      if (secondary) {
        data = secondarySection(secondary.data, data, (del & DATA_COMP) !== 0, maxWindowSize);
        inst = secondarySection(secondary.inst, inst, (del & INST_COMP) !== 0, maxWindowSize);
        addr = secondarySection(secondary.addr, addr, (del & ADDR_COMP) !== 0, maxWindowSize);
      }

      let segment: Segment = { kind: 'none' };
      if (win & WIN_SOURCE) {
        if (segPos + segLen > src.size) {
          fail(`Patch reads beyond the end of the source ROM (offset ${segPos + segLen}, ROM is ${src.size} bytes)`, 'source');
        }
        segment =
          segLen <= maxWindowSize
            ? { kind: 'buffer', bytes: await segments.load(segPos, segLen) }
            : { kind: 'source', src, pos: segPos, len: segLen };
      } else if (win & WIN_TARGET) {
        if (segLen > maxWindowSize) fail('VCDIFF target segment exceeds the window limit', 'limit');
        if (segPos + segLen > written) fail('VCDIFF window copies from output that was not written yet');
        await pendingWrite;
        const bytes = Buffer.allocUnsafe(segLen);
        await out.readBack(segPos, segLen, bytes);
        segment = { kind: 'buffer', bytes };
      }

      const slot = windowIndex++ % 2;
      if (targets[slot]!.length < tgtLen) targets[slot] = Buffer.allocUnsafe(tgtLen);
      const target = targets[slot]!;
      await decodeWindow({ data, inst, addr }, segment, target, tgtLen, cache);
      const window = target.subarray(0, tgtLen);
      if (checksum !== undefined && adler32(window) !== checksum) {
        fail(
          `VCDIFF window at output offset ${written} fails its Adler-32 check: the ROM is not the patch's source or the patch is corrupt`,
          'checksum',
        );
      }
      await pendingWrite;
      pendingWrite = out.write(window);
      pendingWrite.catch(() => undefined); // surfaced by the next await
      written += tgtLen;
    }
    await pendingWrite;
    const outputSize = await out.close();
    out = undefined;
    const formatName = secondaryName ? `VCDIFF (xdelta3, ${secondaryName})` : 'VCDIFF';
    return { format: 'vcdiff', formatName, validated: true, outputSize };
  } finally {
    await out?.abort();
    await src.close();
    await patch.close();
  }
}

function secondarySection(dec: SecondaryDecoder, section: Uint8Array, compressed: boolean, max: number): Uint8Array {
  if (compressed) return decodeSecondarySection(dec, section, max);
  if (section.length >= SECONDARY_MIN_INPUT) dec.observe?.(section);
  return section;
}

async function readVarint(patch: PatchReader, what: string): Promise<number> {
  const avail = await patch.want(10);
  let v = 0;
  for (let i = 0; i < avail; i++) {
    const b = patch.u8();
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (!Number.isSafeInteger(v)) break;
      return v;
    }
    if (i === 9) break;
  }
  if (avail < 10 && v >= 0) truncated(`VCDIFF ${what}`);
  return fail(`VCDIFF ${what} is out of range`, 'limit');
}
