import { startsWith, type HeaderRule } from './types.ts';

/** A78 images (No-Intro's a7800.xml): a version byte, "ATARI7800" at offset 1, 128 bytes in all. */
export const atari7800Rule: HeaderRule = {
  id: 'No-Intro_A7800',
  detect: (head, size) => (startsWith(head, 1, 'ATARI7800') && (size === null || size > 128) ? 128 : 0),
};
