import { atari7800Rule } from './atari7800.ts';
import { fdsRule } from './fds.ts';
import { inesRule } from './ines.ts';
import { lynxRule } from './lynx.ts';
import { snesCopierRule } from './snes-copier.ts';
import type { HeaderRule } from './types.ts';

export { PROBE_BYTES, type HeaderRule } from './types.ts';

export const HEADER_RULES: readonly HeaderRule[] = [inesRule, fdsRule, atari7800Rule, lynxRule, snesCopierRule];

/** The first rule that matches the file's first bytes, with the header length; null when none does. */
export function detectHeader(head: Uint8Array, size: number | null, platform: string | null): { rule: HeaderRule; skip: number } | null {
  for (const rule of HEADER_RULES) {
    if (rule.platforms && (platform === null || !rule.platforms.includes(platform))) continue;
    const skip = rule.detect(head, size);
    if (skip > 0) return { rule, skip };
  }
  return null;
}
