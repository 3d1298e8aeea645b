import { fail, truncated } from '../errors.ts';
import type { SourceReader } from '../io/source-reader.ts';
import { ADD, COPY, DEFAULT_CODE_TABLE, NOOP, RUN, SectionReader, type AddressCache } from './code-table.ts';

export interface WindowSections {
  data: Uint8Array;
  inst: Uint8Array;
  addr: Uint8Array;
}

/** Where COPY addresses below the segment length come from. */
export type Segment =
  | { kind: 'none' }
  | { kind: 'buffer'; bytes: Buffer } // source or earlier target bytes held in memory
  | { kind: 'source'; src: SourceReader; pos: number; len: number }; // very large source segment

/**
 * Runs one window's instructions into `target[0, tgtLen)`. The address space is the segment followed
 * by the target window; copies may overlap their own output (a run of a repeated pattern).
 */
export async function decodeWindow(
  sections: WindowSections,
  segment: Segment,
  target: Buffer,
  tgtLen: number,
  cache: AddressCache,
): Promise<void> {
  const table = DEFAULT_CODE_TABLE;
  const inst = new SectionReader(sections.inst, 'instructions section');
  const addrs = new SectionReader(sections.addr, 'addresses section');
  const data = sections.data;
  const segLen = segment.kind === 'none' ? 0 : segment.kind === 'buffer' ? segment.bytes.length : segment.len;
  let dataPos = 0;
  let t = 0;
  cache.reset();
  while (!inst.done) {
    const code = inst.byte();
    for (let half = 0; half < 2; half++) {
      const type = half === 0 ? table.type1[code]! : table.type2[code]!;
      if (type === NOOP) continue;
      let size = half === 0 ? table.size1[code]! : table.size2[code]!;
      if (size === 0) size = inst.varint();
      if (t + size > tgtLen) fail('VCDIFF instructions overflow the target window');
      if (type === ADD) {
        if (dataPos + size > data.length) truncated('VCDIFF data section');
        if (size < 16) for (let i = 0; i < size; i++) target[t + i] = data[dataPos + i]!;
        else target.set(data.subarray(dataPos, dataPos + size), t);
        dataPos += size;
      } else if (type === RUN) {
        if (dataPos >= data.length) truncated('VCDIFF data section');
        target.fill(data[dataPos++]!, t, t + size);
      } else if (type === COPY) {
        const mode = half === 0 ? table.mode1[code]! : table.mode2[code]!;
        const addr = cache.decode(segLen + t, mode, addrs);
        let done = 0;
        if (addr < segLen) {
          done = Math.min(size, segLen - addr);
          if (segment.kind === 'buffer') {
            const bytes = segment.bytes;
            if (done < 16) for (let i = 0; i < done; i++) target[t + i] = bytes[addr + i]!;
            else bytes.copy(target, t, addr, addr + done);
          } else if (segment.kind === 'source') {
            await segment.src.read(segment.pos + addr, done, target, t);
          }
        }
        if (done < size) copyWithinTarget(target, addr + done - segLen, t + done, size - done);
      } else {
        fail('VCDIFF instruction type is invalid');
      }
      t += size;
    }
  }
  if (t !== tgtLen) fail(`VCDIFF window produced ${t} bytes, expected ${tgtLen}`);
  if (dataPos !== data.length) fail('VCDIFF data section has unused bytes');
  if (addrs.pos !== sections.addr.length) fail('VCDIFF addresses section has unused bytes');
}

/** target[to, to+n) = target[from, from+n), repeating when the ranges overlap (from < to). */
function copyWithinTarget(target: Buffer, from: number, to: number, n: number): void {
  const distance = to - from;
  if (distance >= n) {
    if (n < 16) for (let i = 0; i < n; i++) target[to + i] = target[from + i]!;
    else target.copy(target, to, from, from + n);
    return;
  }
  let done = 0;
  while (done < n) {
    const periods = Math.floor((to + done - from) / distance) * distance;
    const k = Math.min(n - done, periods);
    target.copy(target, to + done, to + done - periods, to + done - periods + k);
    done += k;
  }
}
