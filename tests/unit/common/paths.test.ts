import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, isInsideOrAt, resolveInside } from '../../../src/common/paths.ts';

describe('isInside', () => {
  it('accepts paths strictly below the root', () => {
    expect(isInside('/lib', '/lib/roms')).toBe(true);
    expect(isInside('/lib', '/lib/roms/gba/x.gba')).toBe(true);
    expect(isInside('/lib/', '/lib/roms/')).toBe(true);
    expect(isInside('/lib', '/lib/a/../b')).toBe(true);
    expect(isInside('/lib', '/lib/..foo')).toBe(true);
    expect(isInside('/lib', '/lib/...')).toBe(true);
  });

  it('refuses the root itself, its parents and siblings', () => {
    expect(isInside('/lib', '/lib')).toBe(false);
    expect(isInside('/lib', '/lib/.')).toBe(false);
    expect(isInside('/lib', '/lib/roms/..')).toBe(false);
    expect(isInside('/lib', '/')).toBe(false);
    expect(isInside('/lib', '/lib/../etc/passwd')).toBe(false);
    expect(isInside('/lib/roms', '/lib')).toBe(false);
  });

  it('compares whole segments, not string prefixes', () => {
    expect(isInside('/lib', '/library2')).toBe(false);
    expect(isInside('/lib', '/library2/x')).toBe(false);
    expect(isInside('/lib', '/lib2')).toBe(false);
    expect(isInside('/lib/roms', '/lib/roms-old/x')).toBe(false);
  });

  it('resolves relative arguments against the working directory', () => {
    expect(isInside('data', path.join(process.cwd(), 'data', 'x'))).toBe(true);
    expect(isInside('data', 'data/x')).toBe(true);
    expect(isInside('data', 'data2/x')).toBe(false);
  });

  it('isInsideOrAt also accepts the root', () => {
    expect(isInsideOrAt('/lib', '/lib')).toBe(true);
    expect(isInsideOrAt('/lib', '/lib/')).toBe(true);
    expect(isInsideOrAt('/lib', '/lib/x')).toBe(true);
    expect(isInsideOrAt('/lib', '/library2')).toBe(false);
    expect(isInsideOrAt('/lib', '/')).toBe(false);
  });
});

describe('resolveInside', () => {
  it('gives the absolute path of a relative path below the root', () => {
    expect(resolveInside('/data/resources', 'roms/1/2/cover')).toBe('/data/resources/roms/1/2/cover');
    expect(resolveInside('/data/resources', 'roms/./1/../2')).toBe('/data/resources/roms/2');
    expect(resolveInside('/lib', '..foo')).toBe('/lib/..foo');
  });

  it('refuses escapes with ..', () => {
    for (const rel of ['..', '../x', 'a/../..', 'a/../../x', 'roms/../../library2', '../lib2/x']) {
      expect(resolveInside('/lib', rel), rel).toBeNull();
    }
  });

  it('refuses the root itself', () => {
    for (const rel of ['', '.', './', 'a/..']) expect(resolveInside('/lib', rel), rel).toBeNull();
  });

  it('refuses absolute paths, drive prefixes and NUL, even when they point inside', () => {
    for (const rel of ['/lib/x', '/etc/passwd', 'C:/x', 'c:x', 'C:\\x', 'a\0b']) expect(resolveInside('/lib', rel), rel).toBeNull();
  });

  it('does not take a sibling with the same prefix for the root', () => {
    expect(resolveInside('/lib', '../library2/x')).toBeNull();
    expect(resolveInside('/lib', '../lib/x')).toBe('/lib/x');
  });
});
