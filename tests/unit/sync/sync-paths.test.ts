import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceFolder, isSafeDeviceId, isSafeFileName, isSafePlatformSlug, parseIncomingPath } from '../../../src/domain/sync/sync-paths.ts';

const root = path.resolve('/data/sync');
const at = (...parts: string[]) => path.join(root, ...parts);
const DEV = '2f1c7a9e-0b6d-4c1e-9f3a-5d8e7b6a4c21';

describe('sync folder paths', () => {
  it('parses <device>/incoming/<platform>/<file>, files below the platform folder by base name', () => {
    expect(parseIncomingPath(root, at(DEV, 'incoming', 'gba', 'Game.srm'))).toEqual({
      deviceId: DEV, platformSlug: 'gba', fileName: 'Game.srm', fullPath: at(DEV, 'incoming', 'gba', 'Game.srm'),
    });
    expect(parseIncomingPath(root, at(DEV, 'incoming', 'gba', 'sub', 'Game (USA) [b].srm'))).toMatchObject({ fileName: 'Game (USA) [b].srm', platformSlug: 'gba' });
  });

  it('refuses other folders, too-short paths and anything outside the root', () => {
    for (const p of [
      at(DEV, 'outgoing', 'gba', 'Game.srm'),
      at(DEV, 'conflicts', 'gba', 'Game.srm'),
      at(DEV, 'incoming', 'Game.srm'),
      at(DEV, 'incoming'),
      root,
      path.resolve(root, '..', 'sync2', DEV, 'incoming', 'gba', 'x.srm'),
      path.resolve('/etc/passwd'),
      `${root}/${DEV}/incoming/gba/../../../../etc/passwd`,
    ]) expect(parseIncomingPath(root, p), p).toBeNull();
  });

  it('refuses unsafe device ids, platform folders and file names', () => {
    expect(parseIncomingPath(root, at('..dev', 'incoming', 'gba', 'a.srm'))).toBeNull();
    expect(parseIncomingPath(root, at('.hidden', 'incoming', 'gba', 'a.srm'))).toBeNull();
    expect(parseIncomingPath(root, at('dev id', 'incoming', 'gba', 'a.srm'))).toBeNull();
    expect(parseIncomingPath(root, at(DEV, 'incoming', '.gba', 'a.srm'))).toBeNull();
    expect(parseIncomingPath(root, at(DEV, 'incoming', 'gba', '.a.srm.part'))).toBeNull();
    expect(parseIncomingPath(root, at(DEV, 'incoming', 'gba', 'a\nb.srm'))).toBeNull();
    expect(parseIncomingPath(root, at(DEV, 'incoming', 'gba', '.tmp', 'a.srm'))).toBeNull();

    expect(isSafeDeviceId(DEV)).toBe(true);
    expect(isSafeDeviceId('a..b')).toBe(false);
    expect(isSafeDeviceId('x'.repeat(256))).toBe(false);
    expect(isSafeDeviceId('a/b')).toBe(false);
    expect(isSafePlatformSlug('sega-cd')).toBe(true);
    expect(isSafePlatformSlug('Game Boy')).toBe(true);
    expect(isSafePlatformSlug('gba ')).toBe(false);
    expect(isSafePlatformSlug('..')).toBe(false);
    expect(isSafePlatformSlug('a\\b')).toBe(false);
    expect(isSafeFileName('Pokémon (Europe).sav')).toBe(true);
    expect(isSafeFileName(`${'é'.repeat(128)}`)).toBe(false);
    expect(isSafeFileName('..')).toBe(false);
    expect(isSafeFileName('a\u0000b')).toBe(false);
    expect(isSafeFileName(' padded')).toBe(false);
  });

  it('builds device folders only from safe names', () => {
    expect(deviceFolder(root, DEV, 'outgoing', 'gba')).toBe(at(DEV, 'outgoing', 'gba'));
    expect(() => deviceFolder(root, '../x', 'outgoing')).toThrow();
    expect(() => deviceFolder(root, DEV, 'conflicts', '../../etc')).toThrow();
  });
});
