import { describe, expect, it } from 'vitest';
import { formatBytes, hueOf, regionBadge } from './format';
import { csrfToken, detailOf, queryString } from './api/client';

describe('formatting', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(null)).toBe('—');
  });

  it('gives a stable hue per name', () => {
    expect(hueOf('Super Metroid')).toBe(hueOf('Super Metroid'));
    expect(hueOf('a')).toBeGreaterThanOrEqual(0);
    expect(hueOf('a')).toBeLessThan(360);
  });

  it('abbreviates regions', () => {
    expect(regionBadge('USA')).toBe('US');
    expect(regionBadge('Europe')).toBe('EU');
    expect(regionBadge('Narnia')).toBe('NA');
  });
});

describe('API helpers', () => {
  it('repeats list keys and skips empty values', () => {
    expect(queryString({ genres: ['RPG', 'Action'], q: '', limit: 5, x: undefined, y: null })).toBe('?genres=RPG&genres=Action&limit=5');
    expect(queryString({})).toBe('');
  });

  it('reads the CSRF cookie', () => {
    expect(csrfToken('a=1; romm_csrftoken=abc.def%3D; b=2')).toBe('abc.def=');
    expect(csrfToken('a=1')).toBe('');
  });

  it('renders the server detail, including 422 lists', () => {
    expect(detailOf({ detail: 'Rom with id \'3\' not found' }, 'x')).toBe("Rom with id '3' not found");
    expect(detailOf({ detail: [{ loc: ['query', 'limit'], msg: 'too big' }] }, 'x')).toBe('query.limit: too big');
    expect(detailOf('oops', 'fallback')).toBe('fallback');
  });
});
