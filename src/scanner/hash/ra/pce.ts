import { buffered, WHOLE, type RaCartridgeRule } from './types.ts';

/**
 * rc_hash_pce (PC Engine / TurboGrafx-16 and SuperGrafx HuCards; CD images are a disc system rcheevos handles
 * apart): the header has no mark, so like the libretro core rcheevos drops 512 bytes whenever bit 9 of the size
 * is set (`size & 512`), not only when the size is 512 over a round number.
 */
export const pceRule: RaCartridgeRule = {
  consoles: [8],
  usesSize: true,
  plan: (_head, size) => ((buffered(size) & 512) !== 0 ? { skip: 512, swap: 0 } : WHOLE),
};
