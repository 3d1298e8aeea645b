import { startsWith } from '../headers/types.ts';
import { WHOLE, type RaCartridgeRule } from './types.ts';

/** rc_hash_7800: "ATARI7800" at offset 1 marks a 128-byte A78 header, left out. */
export const atari7800Rule: RaCartridgeRule = {
  consoles: [51],
  plan: (head) => (startsWith(head, 1, 'ATARI7800') ? { skip: 128, swap: 0 } : WHOLE),
};
