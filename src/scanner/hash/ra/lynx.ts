import { startsWith } from '../headers/types.ts';
import { WHOLE, type RaCartridgeRule } from './types.ts';

/** rc_hash_lynx: "LYNX\0" (five bytes, the terminating NUL included) marks a 64-byte header, left out. */
export const lynxRule: RaCartridgeRule = {
  consoles: [13],
  plan: (head) => (startsWith(head, 0, 'LYNX\0') ? { skip: 64, swap: 0 } : WHOLE),
};
