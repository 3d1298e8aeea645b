import { describe, expect, it } from 'vitest';
import {
  buildLaunchboxMetadata, dedupeWords, launchboxRegionCode, parseList, parseReleaseDate, parseVideoUrl, romRegionCodes, selectRemoteCover,
} from '../../../../src/metadata/launchbox/blob.ts';

describe('LaunchBox field parsing', () => {
  it('parses release dates to epoch seconds', () => {
    expect(parseReleaseDate('2000-08-11T00:00:00-07:00')).toBe(Date.UTC(2000, 7, 11, 7) / 1000);
    expect(parseReleaseDate('2000-08-11')).toBe(Date.UTC(2000, 7, 11) / 1000);
    expect(parseReleaseDate('2000-08-11T10:00:00Z')).toBe(Date.UTC(2000, 7, 11, 10) / 1000);
    expect(parseReleaseDate('2001-02-30')).toBeNull();
    expect(parseReleaseDate('Aug 11 2000')).toBeNull();
    expect(parseReleaseDate('')).toBeNull();
    expect(parseReleaseDate(null)).toBeNull();
  });

  it('splits lists and dedupes company names', () => {
    expect(parseList(' Action; Adventure,Role-Playing ;')).toEqual(['Action', 'Adventure', 'Role-Playing']);
    expect(dedupeWords(['nintendo', 'Nintendo', 'HAL', null, ' '])).toEqual(['Nintendo', 'HAL']);
    expect(dedupeWords(['Nintendo', 'nintendo'])).toEqual(['Nintendo']);
  });

  it('reads YouTube ids', () => {
    expect(parseVideoUrl('http://www.youtube.com/watch?v=WoGJd0k_FR8&t=2')).toBe('WoGJd0k_FR8');
    expect(parseVideoUrl('https://youtu.be/Zj4wK5_dwL8?t=3')).toBe('Zj4wK5_dwL8');
    expect(parseVideoUrl('https://vimeo.com/1')).toBe('');
  });

  it('maps LaunchBox regions to provider codes and orders a ROM\'s regions first', () => {
    expect(launchboxRegionCode('North America')).toBe('us');
    expect(launchboxRegionCode('europe')).toBe('eu');
    expect(launchboxRegionCode('Atlantis')).toBeNull();
    expect(romRegionCodes(['Japan', 'USA'], ['us', 'wor', 'eu', 'jp'])).toEqual(['us', 'jp', 'wor', 'eu']);
    expect(romRegionCodes([], ['us'])).toEqual([]);
  });

  it('picks the cover by type first, region second, file order last', () => {
    const rows = [
      { file_name: 'a.jpg', type: 'Box - 3D', region: 'North America' },
      { file_name: 'b.jpg', type: 'Box - Front', region: 'Europe' },
      { file_name: 'c.jpg', type: 'Box - Front', region: 'North America' },
    ];
    expect(selectRemoteCover(rows, ['us'])?.file_name).toBe('c.jpg');
    expect(selectRemoteCover(rows, ['eu', 'us'])?.file_name).toBe('b.jpg');
    expect(selectRemoteCover(rows, [])?.file_name).toBe('b.jpg');
    expect(selectRemoteCover([rows[0]!], ['jp'])?.file_name).toBe('a.jpg');
    expect(selectRemoteCover([{ file_name: 'x', type: 'Banner', region: null }], [])).toBeNull();
  });
});

describe('buildLaunchboxMetadata', () => {
  const remote = {
    Name: 'Paper Mario', ReleaseDate: '2000-08-11T00:00:00-07:00', MaxPlayers: '1', ReleaseType: 'Released', Cooperative: 'false',
    VideoURL: 'http://www.youtube.com/watch?v=WoGJd0k_FR8', CommunityRating: '4.44', CommunityRatingCount: '403',
    WikipediaURL: 'https://en.wikipedia.org/wiki/Paper_Mario', ESRB: 'E - Everyone', Genres: ' Role-Playing',
    Developer: 'Intelligent Systems', Publisher: 'Nintendo',
  };

  it('builds RomM\'s blob from a database entry', () => {
    expect(buildLaunchboxMetadata(null, remote, [])).toEqual({
      first_release_date: 965_977_200,
      max_players: 1,
      release_type: 'Released',
      cooperative: false,
      youtube_video_id: 'WoGJd0k_FR8',
      community_rating: 4.44,
      community_rating_count: 403,
      wikipedia_url: 'https://en.wikipedia.org/wiki/Paper_Mario',
      esrb: 'E',
      genres: ['Role-Playing'],
      companies: ['Nintendo', 'Intelligent Systems'],
      images: [],
    });
  });

  it('lets local fields win and reads PlayMode for cooperative', () => {
    const m = buildLaunchboxMetadata({ Genre: 'Platform; Action', PlayMode: 'Cooperative', Rating: 'T - Teen', MaxPlayers: 'x' }, remote, []);
    expect(m.genres).toEqual(['Platform', 'Action']);
    expect(m.cooperative).toBe(true);
    expect(m.esrb).toBe('T');
    // The local value wins even when it is not a number (RomM: 0).
    expect(m.max_players).toBe(0);
    expect(buildLaunchboxMetadata({ MaxPlayers: 'many' }, null, []).max_players).toBe(0);
    expect(buildLaunchboxMetadata(null, { Cooperative: 'True' }, []).cooperative).toBe(true);
  });
});
