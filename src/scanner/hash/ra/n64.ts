import type { RaCartridgeRule } from './types.ts';

/**
 * rc_hash_n64: the first byte gives the byte order. 0x80 is big-endian .z64 (hashed as is), 0x37 is .v64 (16-bit
 * swapped), 0x40 is little-endian .n64 (32-bit swapped); 0xE8 and 0x22 are 64DD images (as is). Anything else is
 * not an N64 ROM and gets no hash. Hashed in z64 order, first 64 MiB.
 */
export const n64Rule: RaCartridgeRule = {
  consoles: [2],
  plan: (head) => {
    switch (head[0]) {
      case 0x80: case 0xe8: case 0x22: return { skip: 0, swap: 0 };
      case 0x37: return { skip: 0, swap: 2 };
      case 0x40: return { skip: 0, swap: 4 };
      default: return null;
    }
  },
};
