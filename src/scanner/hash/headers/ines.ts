import { startsWith, type HeaderRule } from './types.ts';

/** iNES and NES 2.0 (No-Intro's nes.xml): "NES\x1a" then 12 bytes of mapper and size fields, 16 in all. */
export const inesRule: HeaderRule = {
  id: 'No-Intro_NES',
  detect: (head, size) => (startsWith(head, 0, 'NES\x1a') && (size === null || size > 16) ? 16 : 0),
};
