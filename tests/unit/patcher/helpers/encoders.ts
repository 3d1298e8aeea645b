// Small patch encoders used only by tests: they produce the formats that have no Debian tool, so the
// decoders can be checked by round trips. Written from the format descriptions, kept simple.
import { createHash } from 'node:crypto';
import { crc16, crc32 } from '../../../../src/patcher/checksum.ts';

/** Runs of differing bytes: [start, end) pairs over the target, comparing to the source (0 past its end). */
export function diffRuns(src: Uint8Array, tgt: Uint8Array, maxRun = Infinity): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let i = 0;
  while (i < tgt.length) {
    if (i < src.length && src[i] === tgt[i]) {
      i++;
      continue;
    }
    const start = i;
    while (i < tgt.length && !(i < src.length && src[i] === tgt[i]) && i - start < maxRun) i++;
    runs.push([start, i]);
  }
  return runs;
}

export function encodeIps(src: Uint8Array, tgt: Uint8Array, opts: { ips32?: boolean } = {}): Buffer {
  const wide = opts.ips32 === true;
  const parts: Buffer[] = [Buffer.from(wide ? 'IPS32' : 'PATCH')];
  const offset = (n: number): Buffer => {
    const b = Buffer.alloc(wide ? 4 : 3);
    b.writeUIntBE(n, 0, wide ? 4 : 3);
    return b;
  };
  for (const [start, end] of diffRuns(src, tgt, 0xffff)) {
    let s = start;
    if (!wide && s === 0x454f46) s--; // "EOF" cannot be an offset: start one byte earlier
    const data = tgt.subarray(s, end);
    if (data.length >= 8 && data.every((b) => b === data[0])) {
      const rec = Buffer.alloc(5);
      rec.writeUInt16BE(0, 0);
      rec.writeUInt16BE(data.length, 2);
      rec[4] = data[0]!;
      parts.push(offset(s), rec);
    } else {
      const size = Buffer.alloc(2);
      size.writeUInt16BE(data.length);
      parts.push(offset(s), size, Buffer.from(data));
    }
  }
  parts.push(Buffer.from(wide ? 'EEOF' : 'EOF'));
  if (tgt.length < src.length) parts.push(offset(tgt.length));
  return Buffer.concat(parts);
}

export function beatVarint(n: number): Buffer {
  const out: number[] = [];
  for (;;) {
    const x = n % 128;
    n = Math.floor(n / 128);
    if (n === 0) {
      out.push(0x80 | x);
      break;
    }
    out.push(x);
    n--;
  }
  return Buffer.from(out);
}

function beatFooter(body: Buffer, src: Uint8Array, tgt: Uint8Array): Buffer {
  const f = Buffer.alloc(8);
  f.writeUInt32LE(crc32(src), 0);
  f.writeUInt32LE(crc32(tgt), 4);
  const withCrcs = Buffer.concat([body, f]);
  const p = Buffer.alloc(4);
  p.writeUInt32LE(crc32(withCrcs));
  return Buffer.concat([withCrcs, p]);
}

export function encodeUps(src: Uint8Array, tgt: Uint8Array): Buffer {
  const parts: Buffer[] = [Buffer.from('UPS1'), beatVarint(src.length), beatVarint(tgt.length)];
  let pos = 0;
  const len = Math.max(src.length, tgt.length);
  const a = (i: number): number => (i < src.length ? src[i]! : 0);
  const b = (i: number): number => (i < tgt.length ? tgt[i]! : 0);
  let i = 0;
  while (i < len) {
    if (a(i) === b(i)) {
      i++;
      continue;
    }
    parts.push(beatVarint(i - pos));
    const xor: number[] = [];
    while (i < len && a(i) !== b(i)) xor.push(a(i++) ^ b(i - 1));
    xor.push(0);
    parts.push(Buffer.from(xor));
    i++;
    pos = i;
  }
  return beatFooter(Buffer.concat(parts), src, tgt);
}

/** BPS with SourceRead for matching runs, TargetCopy for byte runs, TargetRead otherwise. */
export function encodeBps(src: Uint8Array, tgt: Uint8Array): Buffer {
  const parts: Buffer[] = [Buffer.from('BPS1'), beatVarint(src.length), beatVarint(tgt.length), beatVarint(0)];
  const action = (kind: number, len: number): Buffer => beatVarint((len - 1) * 4 + kind);
  let targetRel = 0;
  let i = 0;
  while (i < tgt.length) {
    let n = 0;
    while (i + n < tgt.length && i + n < src.length && src[i + n] === tgt[i + n]) n++;
    if (n >= 4 || (n > 0 && i + n === tgt.length)) {
      parts.push(action(0, n));
      i += n;
      continue;
    }
    let r = 0;
    while (i > 0 && i + r < tgt.length && tgt[i + r] === tgt[i - 1]) r++;
    if (r >= 8) {
      const delta = i - 1 - targetRel;
      parts.push(action(3, r), beatVarint(Math.abs(delta) * 2 + (delta < 0 ? 1 : 0)));
      targetRel = i - 1 + r;
      i += r;
      continue;
    }
    let m = 1;
    while (i + m < tgt.length && !(i + m < src.length && src[i + m] === tgt[i + m]) && m < 4096) m++;
    parts.push(action(1, m), Buffer.from(tgt.subarray(i, i + m)));
    i += m;
  }
  return beatFooter(Buffer.concat(parts), src, tgt);
}

export function encodePpf(
  src: Uint8Array,
  tgt: Uint8Array,
  version: 1 | 2 | 3,
  opts: { blockCheck?: boolean; undo?: boolean; diz?: string } = {},
): Buffer {
  const head = Buffer.alloc(56, 0x20);
  head.write(`PPF${version}0`, 0, 'latin1');
  head[5] = version - 1;
  head.write('romshelf test patch', 6, 'latin1');
  const parts: Buffer[] = [head];
  const block = Buffer.alloc(1024);
  Buffer.from(src.subarray(0x9320, 0x9320 + 1024)).copy(block);
  if (version === 2) {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(src.length);
    parts.push(size, block);
  } else if (version === 3) {
    parts.push(Buffer.from([0, opts.blockCheck ? 1 : 0, opts.undo ? 1 : 0, 0]));
    if (opts.blockCheck) parts.push(block);
  }
  for (const [start, end] of diffRuns(src, tgt, 255)) {
    const off = Buffer.alloc(version === 3 ? 8 : 4);
    if (version === 3) off.writeBigUInt64LE(BigInt(start));
    else off.writeUInt32LE(start);
    parts.push(off, Buffer.from([end - start]), Buffer.from(tgt.subarray(start, end)));
    if (opts.undo) parts.push(Buffer.from(src.subarray(start, end)));
  }
  if (opts.diz !== undefined) {
    const text = Buffer.from(opts.diz, 'latin1');
    const len = Buffer.alloc(version === 2 ? 4 : 2);
    if (version === 2) len.writeUInt32LE(text.length);
    else len.writeUInt16LE(text.length);
    parts.push(Buffer.from('@BEGIN_FILE_ID.DIZ'), text, Buffer.from('@END_FILE_ID.DIZ'), len);
  }
  return Buffer.concat(parts);
}

export function encodeApsN64(src: Uint8Array, tgt: Uint8Array): Buffer {
  const head = Buffer.alloc(78);
  head.write('APS10', 0, 'latin1');
  head[5] = 1; // N64 header
  head[6] = 0;
  head.write('romshelf', 7, 'latin1');
  head[57] = 1;
  Buffer.from(src.subarray(0x3c, 0x3f)).copy(head, 58);
  Buffer.from(src.subarray(0x10, 0x18)).copy(head, 61);
  head.writeUInt32LE(tgt.length, 74);
  const parts: Buffer[] = [head];
  for (const [start, end] of diffRuns(src, tgt, 255)) {
    const data = tgt.subarray(start, end);
    const off = Buffer.alloc(4);
    off.writeUInt32LE(start);
    if (data.length > 2 && data.every((b) => b === data[0])) parts.push(off, Buffer.from([0, data[0]!, data.length]));
    else parts.push(off, Buffer.from([data.length]), Buffer.from(data));
  }
  return Buffer.concat(parts);
}

export function encodeApsGba(src: Uint8Array, tgt: Uint8Array): Buffer {
  const BLOCK = 0x10000;
  const head = Buffer.alloc(12);
  head.write('APS1', 0, 'latin1');
  head.writeUInt32LE(src.length, 4);
  head.writeUInt32LE(tgt.length, 8);
  const parts: Buffer[] = [head];
  for (let off = 0; off < Math.max(src.length, tgt.length); off += BLOCK) {
    const a = Buffer.alloc(BLOCK);
    const b = Buffer.alloc(BLOCK);
    Buffer.from(src.subarray(off, off + BLOCK)).copy(a);
    Buffer.from(tgt.subarray(off, off + BLOCK)).copy(b);
    if (a.equals(b)) continue;
    const rec = Buffer.alloc(8);
    rec.writeUInt32LE(off, 0);
    rec.writeUInt16LE(crc16(a), 4);
    rec.writeUInt16LE(crc16(b), 6);
    const xor = Buffer.alloc(BLOCK);
    for (let i = 0; i < BLOCK; i++) xor[i] = a[i]! ^ b[i]!;
    parts.push(rec, xor);
  }
  return Buffer.concat(parts);
}

function rupVlv(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0) {
    bytes.push(n % 256);
    n = Math.floor(n / 256);
  }
  return Buffer.from([bytes.length, ...bytes]);
}

export function encodeRup(src: Uint8Array, tgt: Uint8Array, name = 'game.bin'): Buffer {
  const head = Buffer.alloc(0x800);
  head.write('NINJA2', 0, 'latin1');
  head[6] = 0;
  head.write('romshelf', 7, 'latin1');
  const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest();
  const parts: Buffer[] = [head, Buffer.from([1]), rupVlv(name.length), Buffer.from(name, 'latin1'), Buffer.from([0])];
  parts.push(rupVlv(src.length), rupVlv(tgt.length), md5(src), md5(tgt));
  let common = src.length;
  if (src.length !== tgt.length) {
    const grow = src.length < tgt.length;
    const extra = grow ? tgt.subarray(src.length) : src.subarray(tgt.length);
    parts.push(Buffer.from(grow ? 'A' : 'M'), rupVlv(extra.length), Buffer.from(extra.map((b) => b ^ 0xff)));
    common = Math.min(src.length, tgt.length);
  }
  const a = src.subarray(0, common);
  const b = tgt.subarray(0, common);
  for (const [start, end] of diffRuns(a, b)) {
    const xor = Buffer.alloc(end - start);
    for (let i = start; i < end; i++) xor[i - start] = a[i]! ^ b[i]!;
    parts.push(Buffer.from([2]), rupVlv(start), rupVlv(xor.length), xor);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}
