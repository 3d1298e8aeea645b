import { buffered, WHOLE, type RaCartridgeRule } from './types.ts';

/** rc_hash_snes: a buffer 512 bytes over a multiple of 8 KiB starts with a copier header, which is left out. */
export const snesRule: RaCartridgeRule = {
  consoles: [3],
  usesSize: true,
  plan: (_head, size) => (buffered(size) % 0x2000 === 512 ? { skip: 512, swap: 0 } : WHOLE),
};
