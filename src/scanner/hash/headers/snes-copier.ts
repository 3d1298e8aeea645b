import type { HeaderRule } from './types.ts';

/**
 * SMC/SWC/FIG copier headers: 512 bytes in front of a ROM whose size is a multiple of 1 KiB, so the file size
 * modulo 1024 gives them away. No magic to check, so the rule is limited to SNES folders and needs the size.
 */
export const snesCopierRule: HeaderRule = {
  id: 'SNES_copier',
  platforms: ['snes', 'sfam', 'satellaview', 'sufami-turbo'],
  detect: (_head, size) => (size !== null && size > 512 && size % 1024 === 512 ? 512 : 0),
};
