import { describe, expect, it } from 'vitest';
import { dispositionName, isPatchFile } from './patch-upload';

describe('patch helpers', () => {
  it('recognises RomM\'s patch extensions, case-insensitively', () => {
    expect(isPatchFile('Fix.IPS')).toBe(true);
    expect(isPatchFile('hack.xdelta')).toBe(true);
    expect(isPatchFile('Game (USA).sfc')).toBe(false);
    expect(isPatchFile('noext')).toBe(false);
  });

  it('reads the file name from Content-Disposition, preferring filename*', () => {
    expect(dispositionName(`attachment; filename*=UTF-8''Game%20%28patched%29.sfc; filename="Game%20%28patched%29.sfc"`, 'x')).toBe('Game (patched).sfc');
    expect(dispositionName('attachment; filename="plain.bin"', 'x')).toBe('plain.bin');
    expect(dispositionName(null, 'fallback.bin')).toBe('fallback.bin');
  });
});
