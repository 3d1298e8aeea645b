import { fail, truncated } from '../errors.ts';

export const NOOP = 0;
export const ADD = 1;
export const RUN = 2;
export const COPY = 3;

/** RFC 3284 §5.6 default instruction code table, one entry per instruction byte. */
export interface CodeTable {
  type1: Uint8Array;
  size1: Uint8Array;
  mode1: Uint8Array;
  type2: Uint8Array;
  size2: Uint8Array;
  mode2: Uint8Array;
}

export const DEFAULT_CODE_TABLE: CodeTable = (() => {
  const t: CodeTable = {
    type1: new Uint8Array(256),
    size1: new Uint8Array(256),
    mode1: new Uint8Array(256),
    type2: new Uint8Array(256),
    size2: new Uint8Array(256),
    mode2: new Uint8Array(256),
  };
  let i = 0;
  const set = (a: [number, number, number], b: [number, number, number] = [NOOP, 0, 0]): void => {
    [t.type1[i], t.size1[i], t.mode1[i]] = a;
    [t.type2[i], t.size2[i], t.mode2[i]] = b;
    i++;
  };
  set([RUN, 0, 0]);
  for (let size = 0; size <= 17; size++) set([ADD, size, 0]);
  for (let mode = 0; mode <= 8; mode++) {
    set([COPY, 0, mode]);
    for (let size = 4; size <= 18; size++) set([COPY, size, mode]);
  }
  for (let mode = 0; mode <= 5; mode++) {
    for (let add = 1; add <= 4; add++) for (let copy = 4; copy <= 6; copy++) set([ADD, add, 0], [COPY, copy, mode]);
  }
  for (let mode = 6; mode <= 8; mode++) for (let add = 1; add <= 4; add++) set([ADD, add, 0], [COPY, 4, mode]);
  for (let mode = 0; mode <= 8; mode++) set([COPY, 4, mode], [ADD, 1, 0]);
  return t;
})();

const NEAR = 4;
const SAME = 3;

/** Reads RFC 3284 integers (big-endian base 128) from an in-memory section. */
export class SectionReader {
  pos = 0;
  constructor(
    readonly data: Uint8Array,
    private readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.data.length;
  }

  byte(): number {
    if (this.pos >= this.data.length) truncated(this.what);
    return this.data[this.pos++]!;
  }

  varint(): number {
    let v = 0;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      v = v * 128 + (b & 0x7f);
      if (!(b & 0x80)) {
        if (!Number.isSafeInteger(v)) break;
        return v;
      }
    }
    return fail(`VCDIFF integer in the ${this.what} is out of range`, 'limit');
  }
}

/** RFC 3284 §5.3 address cache (near 4, same 3), reset at each window. */
export class AddressCache {
  private readonly near = new Array<number>(NEAR).fill(0);
  private readonly same = new Array<number>(SAME * 256).fill(0);
  private nextSlot = 0;

  reset(): void {
    this.near.fill(0);
    this.same.fill(0);
    this.nextSlot = 0;
  }

  decode(here: number, mode: number, addrs: SectionReader): number {
    let addr: number;
    if (mode === 0) addr = addrs.varint();
    else if (mode === 1) addr = here - addrs.varint();
    else if (mode < 2 + NEAR) addr = this.near[mode - 2]! + addrs.varint();
    else if (mode < 2 + NEAR + SAME) addr = this.same[(mode - 2 - NEAR) * 256 + addrs.byte()]!;
    else return fail(`VCDIFF address mode ${mode} is invalid`);
    if (addr < 0 || addr >= here) fail(`VCDIFF copy address ${addr} is outside the window (here ${here})`);
    this.near[this.nextSlot] = addr;
    this.nextSlot = (this.nextSlot + 1) % NEAR;
    this.same[addr % (SAME * 256)] = addr;
    return addr;
  }
}
