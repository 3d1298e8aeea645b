import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AssetStore, assetFileName, assetNameFields, emulatorSegment, splitExt, userFolder, withDatetimeTag,
} from '../../../src/domain/saves/asset-files.ts';
import { deviceSyncs, pairedScreenshot } from '../../../src/domain/saves/mapper.ts';
import type { SaveRow } from '../../../src/db/repositories/saves-repository.ts';
import type { ScreenshotRow } from '../../../src/db/repositories/screenshots-repository.ts';

describe('asset file names (RomM §0.2, §0.5)', () => {
  it('derives extension, name without it and without tags', () => {
    expect(assetNameFields('Game.srm.png')).toEqual({ file_extension: 'srm.png', file_name_no_ext: 'Game', file_name_no_tags: 'Game' });
    expect(assetNameFields('Game.SRM')).toEqual({ file_extension: 'SRM', file_name_no_ext: 'Game', file_name_no_tags: 'Game' });
    expect(assetNameFields('Zelda (USA) [!] [2026-01-01_10-00-00].srm')).toMatchObject({
      file_extension: 'srm', file_name_no_ext: 'Zelda (USA) [!] [2026-01-01_10-00-00]', file_name_no_tags: 'Zelda',
    });
    expect(assetNameFields('noext')).toEqual({ file_extension: '', file_name_no_ext: 'noext', file_name_no_tags: 'noext' });
  });

  it('splits like os.path.splitext and tags slot names with the UTC time, replacing an old tag', () => {
    expect(splitExt('a.b.srm')).toEqual(['a.b', '.srm']);
    expect(splitExt('.hidden')).toEqual(['.hidden', '']);
    const now = Date.UTC(2026, 7, 1, 10, 11, 12);
    expect(withDatetimeTag('Game.srm', now)).toBe('Game [2026-08-01_10-11-12].srm');
    expect(withDatetimeTag('Game [2020-01-01_00-00-00].srm', now)).toBe('Game [2026-08-01_10-11-12].srm');
    expect(withDatetimeTag('Game', now)).toBe('Game [2026-08-01_10-11-12]');
  });

  it('sanitizes upload names and refuses what cannot be a plain name', () => {
    expect(assetFileName('dir/sub/Game.srm', 'save')).toBe('Game.srm');
    expect(assetFileName('a\\b:c|d.srm', 'save')).toBe('a-b-c-d.srm');
    expect(assetFileName(' "x*?<>+.srm" ', 'save')).toBe('x.srm');
    expect(() => assetFileName('..', 'save')).toThrow('Invalid save filename: Filename cannot be empty after sanitization');
    expect(() => assetFileName('a\u0001b', 'state')).toThrow('Invalid state filename');
    expect(() => assetFileName('x'.repeat(451), 'save')).toThrow('longer than 450');
    expect(() => assetFileName('é'.repeat(200), 'save')).toThrow('longer than 255 bytes');
    expect(assetFileName('x'.repeat(255), 'save')).toHaveLength(255);
  });

  it('accepts only plain emulator folder names', () => {
    expect(emulatorSegment(undefined)).toBeNull();
    expect(emulatorSegment('  ')).toBeNull();
    expect(emulatorSegment('mgba')).toBe('mgba');
    for (const bad of ['..', '.', 'a/b', 'a\\b', 'x'.repeat(51), 'a\u0000']) expect(() => emulatorSegment(bad)).toThrow('Invalid emulator');
  });

  it('names user folders as RomM does', () => {
    expect(userFolder(1)).toBe('557365723a31');
  });
});

describe('save schema helpers', () => {
  const shot = (id: number, fileName: string, noExt: string) => ({ id, file_name: fileName, file_name_no_ext: noExt }) as ScreenshotRow;

  it('pairs the screenshot named after the full save name first, else the newest', () => {
    const save = { file_name: 'Pokemon.srm' };
    expect(pairedScreenshot(save, [shot(3, 'Pokemon.png', 'Pokemon'), shot(2, 'Pokemon.srm.png', 'Pokemon.srm')])?.id).toBe(2);
    expect(pairedScreenshot(save, [shot(3, 'Pokemon.png', 'Pokemon'), shot(5, 'Pokemon.jpg', 'Pokemon')])?.id).toBe(5);
    expect(pairedScreenshot(save, [])).toBeNull();
  });

  it('puts the caller device first and adds a placeholder when it never synced', () => {
    const save = { updated_at: 1000 } as SaveRow;
    const rows = [
      { device_id: 'b', device_name: 'B', last_synced_at: 2000, is_untracked: 0 },
      { device_id: 'a', device_name: 'A', last_synced_at: 500, is_untracked: 1 },
    ];
    expect(deviceSyncs(save, rows, null)).toEqual([]);
    const withA = deviceSyncs(save, rows, { id: 'a', name: 'A' });
    expect(withA.map((e) => [e.device_id, e.is_current, e.is_untracked])).toEqual([['a', false, true], ['b', true, false]]);
    const withC = deviceSyncs(save, rows, { id: 'c', name: 'C' });
    expect(withC[0]).toMatchObject({ device_id: 'c', device_name: 'C', is_current: false, is_untracked: false });
    expect(withC).toHaveLength(3);
  });
});

describe('start-up sweep of upload temporary files', () => {
  it('removes only old `.romm_tmp_*` regular files under the root, never following symlinks', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'romshelf-sweep-'));
    try {
      const root = path.join(dir, 'assets');
      const outside = path.join(dir, 'outside');
      const now = Date.now();
      const hourAgo = (now - 3600_000) / 1000;
      const file = (rel: string, old: boolean) => {
        const full = path.join(root, rel);
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, 'x');
        if (old) utimesSync(full, hourAgo, hourAgo);
        return full;
      };
      const u = 'users/abc';
      file(`${u}/saves/gba/1/mgba/.romm_tmp_a`, true);
      file(`${u}/states/gba/1/.romm_tmp_b`, true);
      file(`${u}/screenshots/gba/1/.romm_tmp_c`, true);
      file(`${u}/saves/gba/1/mgba/.romm_tmp_fresh`, false);
      file(`${u}/saves/gba/1/mgba/Game.srm`, true);
      file(`${u}/saves/gba/1/mgba/romm_tmp_no_dot`, true);
      file(`${u}/saves/gba/1/mgba/Game.romm_tmp_x`, true);
      mkdirSync(path.join(root, u, 'saves', '.romm_tmp_dir'));
      mkdirSync(outside);
      writeFileSync(path.join(outside, '.romm_tmp_outside'), 'x');
      utimesSync(path.join(outside, '.romm_tmp_outside'), hourAgo, hourAgo);
      symlinkSync(outside, path.join(root, u, 'saves', 'link'));
      symlinkSync(path.join(outside, '.romm_tmp_outside'), path.join(root, u, 'saves', '.romm_tmp_link'));

      expect(await new AssetStore(root).sweepTemps(5 * 60_000, now)).toBe(3);
      expect(readdirSync(path.join(root, u, 'saves/gba/1/mgba')).sort()).toEqual(['.romm_tmp_fresh', 'Game.romm_tmp_x', 'Game.srm', 'romm_tmp_no_dot']);
      expect(readdirSync(path.join(root, u, 'states/gba/1'))).toEqual([]);
      expect(readdirSync(path.join(root, u, 'screenshots/gba/1'))).toEqual([]);
      expect(readdirSync(path.join(root, u, 'saves')).sort()).toEqual(['.romm_tmp_dir', '.romm_tmp_link', 'gba', 'link']);
      expect(readdirSync(outside)).toEqual(['.romm_tmp_outside']);
      // A missing root (no uploads yet) sweeps nothing.
      expect(await new AssetStore(path.join(dir, 'none')).sweepTemps(0, now)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
