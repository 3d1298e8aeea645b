import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/common/errors.ts';
import { childPath, libraryDir, refusePathAsName, sanitizeFsName } from '../../../src/domain/roms/edit-paths.ts';
import { renamedFileRows } from '../../../src/domain/roms/edit-rename.ts';
import { parseRomEditForm, safeIntOrNull } from '../../../src/domain/roms/edit-form.ts';

describe('sanitizeFsName', () => {
  it.each([
    ['Game (USA).zip', 'Game (USA).zip'],
    ['../../etc/passwd', 'passwd'],
    ['/etc/passwd', 'passwd'],
    ['..\\..\\win.ini', '..-..-win.ini'],
    ['a:b|c', 'a-b-c'],
    ['what?*"<>+.bin', 'what.bin'],
    ['  spaced  ', 'spaced'],
    ['nul\0byte.bin', 'nulbyte.bin'],
    ['ctl\u0007\u001b.bin', 'ctl.bin'],
    ['evil\u202Egnp.exe', 'evilgnp.exe'],
    ['zero\u200Bwidth', 'zerowidth'],
    ['e\u0301cole', 'école'],
    ['\uFF0E\uFF0E', '\uFF0E\uFF0E'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFsName(input)).toBe(expected);
  });

  it.each(['', '   ', '.', '..', 'foo/..', '/', '\0', '???', 'a/'])('refuses %j', (input) => {
    expect(() => sanitizeFsName(input)).toThrow(AppError);
  });

  it('refuses names over 255 bytes', () => {
    expect(() => sanitizeFsName('a'.repeat(256))).toThrow(/too long/);
    expect(() => sanitizeFsName('é'.repeat(128))).toThrow(/too long/);
    expect(sanitizeFsName('a'.repeat(255))).toHaveLength(255);
  });
});

describe('library paths', () => {
  it('keeps directories strictly inside the library', () => {
    expect(libraryDir('/lib', 'roms/gba')).toBe('/lib/roms/gba');
    for (const bad of ['', '.', '..', '../x', 'roms/../../x', '/etc', 'a\0b']) expect(() => libraryDir('/lib', bad), bad).toThrow(AppError);
  });

  it('allows exactly one segment below a directory', () => {
    expect(childPath('/lib/roms/gba', 'x.gba')).toBe('/lib/roms/gba/x.gba');
    for (const bad of ['', '.', '..', 'a/b', '../x', 'a\0']) expect(() => childPath('/lib/roms/gba', bad), bad).toThrow(AppError);
  });
});

describe('renamedFileRows', () => {
  it('renames a single-file ROM', () => {
    expect(renamedFileRows([{ id: 1, file_name: 'A.gba', file_path: 'roms/gba' }], 'roms/gba', 'A.gba', 'B.gba'))
      .toEqual([{ id: 1, file_name: 'B.gba', file_path: 'roms/gba' }]);
  });

  it('moves folder files by path prefix only', () => {
    const files = [
      { id: 1, file_name: 'Disc 1.cue', file_path: 'roms/psx/Game' },
      { id: 2, file_name: 'Game.sav', file_path: 'roms/psx/Game/Game' },
      { id: 3, file_name: 'x', file_path: 'roms/psx/Gamer' },
    ];
    expect(renamedFileRows(files, 'roms/psx', 'Game', 'New')).toEqual([
      { id: 1, file_name: 'Disc 1.cue', file_path: 'roms/psx/New' },
      { id: 2, file_name: 'Game.sav', file_path: 'roms/psx/New/Game' },
    ]);
  });
});

describe('edit form', () => {
  it('parses ids like safe_int_or_none', () => {
    expect(safeIntOrNull('12')).toBe(12);
    expect(safeIntOrNull(' 7 ')).toBe(7);
    expect(safeIntOrNull('')).toBeNull();
    expect(safeIntOrNull('abc')).toBeNull();
    expect(safeIntOrNull('1.5')).toBeNull();
    expect(safeIntOrNull('99999999999')).toBeNull();
  });

  it('keeps presence: empty clears, absent keeps', () => {
    const f = parseRomEditForm(new Map([['igdb_id', ''], ['flashpoint_id', ''], ['name', ''], ['raw_igdb_metadata', '{bad'], ['raw_manual_metadata', '{"genres":["A"]}']]));
    expect(f.ids).toEqual({ igdb_id: null, flashpoint_id: null });
    expect(f.text).toEqual({ name: '' });
    expect(f.raw).toEqual({ raw_manual_metadata: { genres: ['A'] } });
  });

  it('refuses values longer than their columns', () => {
    expect(() => parseRomEditForm(new Map([['name', 'x'.repeat(351)]]))).toThrow(/too long/);
    expect(() => parseRomEditForm(new Map([['libretro_id', 'x'.repeat(65)]]))).toThrow(/too long/);
    expect(() => parseRomEditForm(new Map([['summary', 'a\0b']]))).toThrow(/NUL/);
  });
});

describe('refusePathAsName', () => {
  it.each(['../../x.sfc', '/etc/x', 'a/b', 'a\\b', '..\\x', 'nul\0.sfc', '..', '.', ' .. '])('refuses %j', (input) => {
    expect(() => refusePathAsName('fs_name', input)).toThrow(AppError);
  });

  it.each(['Game (USA).sfc', 'Wait... What.sfc', '..hidden', 'a..b'])('accepts %j', (input) => {
    expect(() => refusePathAsName('fs_name', input)).not.toThrow();
  });
});
