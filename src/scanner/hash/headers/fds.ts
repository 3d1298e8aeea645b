import { startsWith, type HeaderRule } from './types.ts';

/** fwNES disk images (No-Intro's fds.xml): "FDS\x1a", the side count, 11 zero bytes; 16 in all. */
export const fdsRule: HeaderRule = {
  id: 'No-Intro_FDS',
  detect: (head, size) => (startsWith(head, 0, 'FDS\x1a') && (size === null || size > 16) ? 16 : 0),
};
