import { startsWith, type HeaderRule } from './types.ts';

/** Handy LNX images (No-Intro's lynx.xml): "LYNX" then bank sizes, name and rotation; 64 bytes in all. */
export const lynxRule: HeaderRule = {
  id: 'No-Intro_LNX',
  detect: (head, size) => (startsWith(head, 0, 'LYNX') && (size === null || size > 64) ? 64 : 0),
};
