import { describe, expect, it } from 'vitest';
import {
  formatRating, formatReleaseDate, galleryFilterHref, resourceUrl, sameOriginUrl, screenshotUrls, sourceLabel, sourceSettingHint,
} from './rom-metadata';
import { viewFromQuery } from './view-state';

const ORIGIN = 'https://shelf.example:8443';

describe('source labels', () => {
  it('names the local sources and a hand edit', () => {
    expect(sourceLabel('gamelist')).toBe('from gamelist.xml');
    expect(sourceLabel('launchbox')).toBe('from LaunchBox');
    expect(sourceLabel('libretro')).toBe('from libretro thumbnails');
    expect(sourceLabel('manual')).toBe('edited by hand');
  });

  it('shows an unknown slug as it is and nothing when no source is recorded', () => {
    expect(sourceLabel('newsource')).toBe('from newsource');
    expect(sourceLabel(undefined)).toBe('');
    expect(sourceLabel('  ')).toBe('');
  });

  it('points a disabled source at the setting that enables it', () => {
    expect(sourceSettingHint('gamelist')).toContain('ESDE_MEDIA_PATH');
    expect(sourceSettingHint('launchbox')).toContain('LAUNCHBOX_PATH or LAUNCHBOX_METADATA_PATH');
    expect(sourceSettingHint('libretro')).toContain('LIBRETRO_THUMBNAILS_PATH');
    expect(sourceSettingHint('other')).toBe('Not configured on the server');
  });
});

describe('gallery links for a metadata value', () => {
  it('builds a link the gallery reads back as that filter', () => {
    const href = galleryFilterHref('genres', 'Shoot \'em up & Co');
    expect(href.startsWith('/roms?')).toBe(true);
    const view = viewFromQuery(href.slice('/roms'.length));
    expect(view.filters.genres).toEqual({ values: ['Shoot \'em up & Co'], logic: 'any' });
    expect(Object.keys(view.filters)).toEqual(['genres']);
  });

  it('works for age ratings and companies', () => {
    expect(galleryFilterHref('age_ratings', 'PEGI 12')).toBe('/roms?age_ratings=PEGI+12');
    expect(galleryFilterHref('companies', 'Nintendo')).toBe('/roms?companies=Nintendo');
  });
});

describe('media URLs', () => {
  it('keeps same-origin paths and drops other origins and schemes', () => {
    expect(sameOriginUrl('/assets/romm/resources/roms/1/2/cover/big.png?ts=5', ORIGIN)).toBe('/assets/romm/resources/roms/1/2/cover/big.png?ts=5');
    expect(sameOriginUrl(`${ORIGIN}/assets/x.png`, ORIGIN)).toBe('/assets/x.png');
    expect(sameOriginUrl('https://evil.example/x.png', ORIGIN)).toBeNull();
    expect(sameOriginUrl('//evil.example/x.png', ORIGIN)).toBeNull();
    expect(sameOriginUrl('javascript:alert(1)', ORIGIN)).toBeNull();
    expect(sameOriginUrl('data:image/svg+xml,<svg/>', ORIGIN)).toBeNull();
    expect(sameOriginUrl('', ORIGIN)).toBeNull();
    expect(sameOriginUrl(null, ORIGIN)).toBeNull();
  });

  it('lists each safe screenshot once, in order', () => {
    expect(screenshotUrls(['/a.png', 'javascript:x', '/b.png', '/a.png', 42, null], ORIGIN)).toEqual(['/a.png', '/b.png']);
    expect(screenshotUrls(undefined, ORIGIN)).toEqual([]);
  });

  it('maps resources-relative paths under /assets/romm/resources and refuses escapes', () => {
    expect(resourceUrl('roms/3/17/manual/17.pdf')).toBe('/assets/romm/resources/roms/3/17/manual/17.pdf');
    expect(resourceUrl('/roms/3/17/manual/Name #1?.pdf')).toBe('/assets/romm/resources/roms/3/17/manual/Name%20%231%3F.pdf');
    expect(resourceUrl('roms/../../etc/passwd')).toBeNull();
    expect(resourceUrl('..\\secret.pdf')).toBeNull();
    expect(resourceUrl('javascript:alert(1)')).toBeNull();
    expect(resourceUrl('')).toBeNull();
    expect(resourceUrl(null)).toBeNull();
  });
});

describe('dates and ratings', () => {
  it('formats a release date in UTC', () => {
    expect(formatReleaseDate(Date.UTC(1994, 2, 19))).toBe('1994-03-19');
    expect(formatReleaseDate(null)).toBe('');
    expect(formatReleaseDate(Number.NaN)).toBe('');
  });

  it('formats a 0-100 rating and drops nonsense', () => {
    expect(formatRating(84.6)).toBe('85 / 100');
    expect(formatRating(0)).toBe('0 / 100');
    expect(formatRating(null)).toBe('');
    expect(formatRating(140)).toBe('');
  });
});
