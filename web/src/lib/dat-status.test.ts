import { describe, expect, it } from 'vitest';
import { datBadge, datPlatforms, isDatStatus, renameSummary } from './dat-status';

describe('DAT badge', () => {
  it('labels each verdict and carries the game name', () => {
    expect(datBadge({ dat_status: 'verified', dat_game: 'Super Game (USA)', dat_complete: null }))
      .toEqual({ label: 'Verified', tone: 'good', game: 'Super Game (USA)', incomplete: false });
    expect(datBadge({ dat_status: 'renamed', dat_game: 'X' })?.label).toBe('Renamed');
    expect(datBadge({ dat_status: 'bad_dump', dat_game: 'X' })).toMatchObject({ label: 'Bad dump', tone: 'warn' });
    expect(datBadge({ dat_status: 'unknown', dat_game: null })).toEqual({ label: 'Unknown', tone: 'muted', game: null, incomplete: false });
  });

  it('shows nothing without a verdict or for a value it does not know', () => {
    expect(datBadge({ dat_status: null, dat_game: null })).toBeNull();
    expect(datBadge({})).toBeNull();
    expect(datBadge({ dat_status: 'something_new' })).toBeNull();
    expect(isDatStatus('__proto__')).toBe(false);
  });

  it('marks an incomplete multi-file game only when the server says so', () => {
    expect(datBadge({ dat_status: 'verified', dat_game: 'Disc', dat_complete: false })?.incomplete).toBe(true);
    expect(datBadge({ dat_status: 'verified', dat_game: 'Disc', dat_complete: true })?.incomplete).toBe(false);
  });
});

describe('rename summary', () => {
  const entry = { rom_id: 1, from: 'a.nes', to: 'A (USA).nes' };
  it('describes a dry run and an applied run', () => {
    expect(renameSummary({ dry_run: true, renames: [], failed: [] })).toMatch(/^Nothing to rename/);
    expect(renameSummary({ dry_run: true, renames: [entry, entry], failed: [] })).toBe('2 ROMs would be renamed.');
    expect(renameSummary({ dry_run: false, renames: [entry], failed: [{ ...entry, detail: 'taken' }] })).toBe('1 ROM renamed, 1 failed.');
  });
});

describe('report platforms', () => {
  it('lists each mapped platform once, by name, and skips unmapped DATs', () => {
    expect(datPlatforms([
      { platform_id: 4, platform_name: 'Nintendo Entertainment System', platform_slug: 'nes' },
      { platform_id: null, platform_name: null, platform_slug: null },
      { platform_id: 9, platform_name: null, platform_slug: 'gba' },
      { platform_id: 4, platform_name: 'Nintendo Entertainment System', platform_slug: 'nes' },
      { platform_id: 2, platform_name: 'Atari 2600', platform_slug: 'atari2600' },
    ])).toEqual([{ id: 2, name: 'Atari 2600' }, { id: 9, name: 'gba' }, { id: 4, name: 'Nintendo Entertainment System' }]);
  });
});
