import { createHash } from 'node:crypto';
import { checkAborted, fail } from './errors.ts';
import { readSourceInto } from './io/copy.ts';
import { PatchReader } from './io/patch-reader.ts';
import { RandomWriter } from './io/random-writer.ts';
import { SourceReader } from './io/source-reader.ts';
import type { PatchFormat, PatchInput, PatchResult } from './types.ts';

const MAGIC = Buffer.from('NINJA2');
const RECORDS_START = 0x800;
const CMD_END = 0x00;
const CMD_OPEN_FILE = 0x01;
const CMD_XOR = 0x02;
const MAX_RECORD = 64 << 20;

interface RupFile {
  sourceSize: number;
  targetSize: number;
  sourceMd5: string;
  targetMd5: string;
  overflowMode: 'A' | 'M' | null;
  /** Patch offset and length of the overflow bytes (stored XOR 0xFF). */
  overflow: { pos: number; len: number } | null;
  /** Patch offset of this file's first XOR record. */
  recordsPos: number;
}

/**
 * NINJA 2.0 (RUP): per-file XOR records plus "overflow" bytes for size changes, with MD5 of source and
 * target. A patch may describe several files: the one whose source MD5 matches the ROM is applied; a
 * ROM matching a target MD5 is unpatched (XOR is symmetric). No match: the first file is applied and
 * the result reports validated=false.
 */
export const rup: PatchFormat = {
  id: 'rup',
  name: 'RUP (NINJA 2.0)',
  detect: (head) => head.subarray(0, 6).equals(MAGIC),
  apply: applyRup,
};

async function applyRup(input: PatchInput): Promise<PatchResult> {
  const patch = await PatchReader.open(input.patchPath);
  const src = await SourceReader.open(input.sourcePath);
  let out: RandomWriter | undefined;
  try {
    const files = await readDirectory(patch);
    if (files.length === 0) fail('RUP patch describes no file');
    const md5 = await md5Of(src);
    let file = files.find((f) => f.sourceMd5 === md5);
    const undoFile = file ? undefined : files.find((f) => f.targetMd5 === md5);
    const undo = undoFile !== undefined;
    file ??= undoFile;
    const validated = file !== undefined;
    file ??= files[0]!;
    const outputSize = undo ? file.sourceSize : file.targetSize;
    if (outputSize > input.limits.maxTargetSize) {
      fail(`Patched output would exceed the size limit of ${input.limits.maxTargetSize} bytes`, 'limit');
    }

    out = await RandomWriter.fromSource(input.sourcePath, input.targetPath, input.limits.maxTargetSize);
    await out.truncate(outputSize);
    const reader = await PatchReader.open(input.patchPath);
    try {
      await reader.skip(file.recordsPos);
      const buf = Buffer.allocUnsafe(1 << 16);
      for (;;) {
        checkAborted(input.signal);
        await reader.need(1, 'RUP command');
        if (reader.peek(1)[0] !== CMD_XOR) break;
        reader.u8();
        const offset = await readVlv(reader);
        let len = await readVlv(reader);
        if (len > MAX_RECORD || offset + len > outputSize) fail(`RUP record at ${offset} writes beyond the output size`);
        for (let pos = offset; len > 0; ) {
          const n = Math.min(len, buf.length);
          await reader.need(n, 'RUP record data');
          const xor = reader.bytes(n);
          await readSourceInto(src, pos, n, buf, true);
          for (let i = 0; i < n; i++) buf[i]! ^= xor[i]!;
          await out.write(pos, buf.subarray(0, n));
          pos += n;
          len -= n;
        }
      }
      const appendAt = undo ? file.targetSize : file.sourceSize;
      if (file.overflow && ((file.overflowMode === 'A' && !undo) || (file.overflowMode === 'M' && undo))) {
        if (appendAt + file.overflow.len > outputSize) fail('RUP overflow data does not fit the output size');
        const o = await PatchReader.open(input.patchPath);
        try {
          await o.skip(file.overflow.pos);
          let at = appendAt;
          await o.stream(file.overflow.len, async (chunk) => {
            const inverted = Buffer.from(chunk);
            for (let i = 0; i < inverted.length; i++) inverted[i] = inverted[i]! ^ 0xff;
            await out!.write(at, inverted);
            at += inverted.length;
          });
        } finally {
          await o.close();
        }
      }
    } finally {
      await reader.close();
    }
    const size = await out.close();
    out = undefined;
    if (validated) {
      const resultMd5 = await md5Of(await SourceReader.open(input.targetPath), true);
      if (resultMd5 !== (undo ? file.sourceMd5 : file.targetMd5)) {
        fail('RUP target MD5 mismatch: the source matched but the result does not (corrupt patch)', 'checksum');
      }
    }
    return { format: 'rup', formatName: undo ? 'RUP (NINJA 2.0, undo)' : 'RUP (NINJA 2.0)', validated, outputSize: size };
  } finally {
    await out?.abort();
    await src.close();
    await patch.close();
  }
}

/** Walks the command stream once, recording where each file's records and overflow data live. */
async function readDirectory(patch: PatchReader): Promise<RupFile[]> {
  await patch.need(RECORDS_START, 'header');
  patch.skipBuffered(RECORDS_START);
  const files: RupFile[] = [];
  for (;;) {
    if (patch.remaining === 0) return files; // some encoders omit the end command
    await patch.need(1, 'RUP command');
    const cmd = patch.u8();
    if (cmd === CMD_END) return files;
    if (cmd === CMD_OPEN_FILE) {
      const nameLen = await readVlv(patch);
      await patch.skip(nameLen, 'RUP file name');
      await patch.need(1, 'RUP file entry');
      patch.u8(); // ROM type
      const sourceSize = await readVlv(patch);
      const targetSize = await readVlv(patch);
      await patch.need(32, 'RUP MD5');
      const sourceMd5 = patch.bytes(16).toString('hex');
      const targetMd5 = patch.bytes(16).toString('hex');
      let overflowMode: RupFile['overflowMode'] = null;
      let overflow: RupFile['overflow'] = null;
      if (sourceSize !== targetSize) {
        await patch.need(1, 'RUP overflow mode');
        const mode = String.fromCharCode(patch.u8());
        if (mode !== 'A' && mode !== 'M') fail(`RUP overflow mode '${mode}' is invalid`);
        overflowMode = mode;
        const len = await readVlv(patch);
        overflow = { pos: patch.pos, len };
        await patch.skip(len, 'RUP overflow data');
      }
      files.push({ sourceSize, targetSize, sourceMd5, targetMd5, overflowMode, overflow, recordsPos: patch.pos });
    } else if (cmd === CMD_XOR) {
      if (files.length === 0) fail('RUP record before any file');
      await readVlv(patch);
      const len = await readVlv(patch);
      await patch.skip(len, 'RUP record data');
    } else {
      fail(`RUP command 0x${cmd.toString(16)} is invalid`);
    }
  }
}

/** NINJA's variable-length value: a byte count, then that many little-endian bytes. */
async function readVlv(patch: PatchReader): Promise<number> {
  await patch.need(1, 'RUP value');
  const n = patch.u8();
  if (n > 8) fail(`RUP value of ${n} bytes is out of range`, 'limit');
  await patch.need(n, 'RUP value');
  let value = 0;
  const bytes = patch.bytes(n);
  for (let i = n - 1; i >= 0; i--) value = value * 256 + bytes[i]!;
  if (!Number.isSafeInteger(value)) fail('RUP value is out of range', 'limit');
  return value;
}

async function md5Of(src: SourceReader, close = false): Promise<string> {
  const hash = createHash('md5');
  try {
    await src.scan(0, src.size, (chunk) => hash.update(chunk));
  } finally {
    if (close) await src.close();
  }
  return hash.digest('hex');
}

