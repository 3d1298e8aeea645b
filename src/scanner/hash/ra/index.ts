import { atari7800Rule } from './atari7800.ts';
import { lynxRule } from './lynx.ts';
import { n64Rule } from './n64.ts';
import { nesRule } from './nes.ts';
import { pceRule } from './pce.ts';
import { PSX_CONSOLE } from './psx.ts';
import { snesRule } from './snes.ts';
import type { RaCartridgeRule } from './types.ts';
import { wholeRule } from './whole.ts';

export { RA_MAX_BYTES, type RaPlan, type RaCartridgeRule } from './types.ts';

const RULES: readonly RaCartridgeRule[] = [wholeRule, nesRule, snesRule, pceRule, lynxRule, atari7800Rule, n64Rule];
const BY_CONSOLE = new Map<number, RaCartridgeRule>(RULES.flatMap((r) => r.consoles.map((c) => [c, r] as const)));

/** How a console's ROMs get their RA hash: from the bytes as they are read, from a disc image, or not at all. */
export type RaMethod = { kind: 'stream'; rule: RaCartridgeRule } | { kind: 'disc'; console: number } | null;

/**
 * Consoles not listed (Nintendo DS, arcade, Saturn, Dreamcast, PS2, PSP, Sega CD, …) need rules rcheevos has and
 * romshelf does not implement yet; their ROMs keep no RA hash.
 */
export function raMethod(console: number | null): RaMethod {
  if (console === null) return null;
  if (console === PSX_CONSOLE) return { kind: 'disc', console };
  const rule = BY_CONSOLE.get(console);
  return rule ? { kind: 'stream', rule } : null;
}

/** File names a disc rule reads: raw and cooked images and cue sheets (CHD-compressed discs are not decoded). */
export const DISC_IMAGE_EXTENSIONS = ['.bin', '.img', '.iso', '.cue'];
