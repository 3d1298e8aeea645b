import { startsWith } from '../headers/types.ts';
import { WHOLE, type RaCartridgeRule } from './types.ts';

/** rc_hash_nes: an iNES ("NES\x1a") or fwNES ("FDS\x1a") header of 16 bytes is left out. NES/Famicom and FDS. */
export const nesRule: RaCartridgeRule = {
  consoles: [7, 81],
  plan: (head) => (startsWith(head, 0, 'NES\x1a') || startsWith(head, 0, 'FDS\x1a') ? { skip: 16, swap: 0 } : WHOLE),
};
