import { describe, expect, it } from 'vitest';
import { parseHashMatch, positiveId } from '../../../../src/metadata/hasheous/hash-match.ts';
import { igdbImageUrl, parseIgdbGame } from '../../../../src/metadata/hasheous/igdb-game.ts';
import { hashBody } from '../../../../src/metadata/hasheous/lookup.ts';
import { hasheousPlatformId } from '../../../../src/metadata/hasheous/platforms.ts';

describe('Hasheous answers', () => {
  it('sends lower-case hashes, pads a short CRC and drops malformed ones', () => {
    expect(hashBody({ md5: ' A722F8161FF489943191330BF8416496 ', sha1: null, crc: 'ABC' })).toEqual({ mD5: 'a722f8161ff489943191330bf8416496', crc: '00000abc' });
    expect(hashBody({ md5: 'a722', sha1: 'x'.repeat(40), crc: '123456789' })).toBeNull();
  });

  it('takes only a game with a positive id, whatever else the answer holds', () => {
    for (const body of [null, [], 'text', 42, { id: 0 }, { id: 'abc' }, { id: -3 }, { id: 1.5 }, { name: 'No id' }]) expect(parseHashMatch(body)).toBeNull();
    const m = parseHashMatch({ id: '77', signatures: ['NoIntros'], metadata: { source: 'IGDB' }, attributes: [{ attributeName: 'Logo', link: '//evil.example/x.png' }] });
    expect(m).toMatchObject({ hasheousId: 77, name: null, igdbId: null, logoPath: null, metadata: { nointro_match: false } });
    expect(positiveId('0012')).toBe(12);
  });

  it('reads proxy relations given as arrays and skips unexpanded ids', () => {
    const g = parseIgdbGame({ genres: [{ name: 'Puzzle' }, 9, null, { name: '  ' }], total_rating: 'high', first_release_date: 'not a date', videos: [] }, 99);
    expect(g).toMatchObject({ igdbId: 99, coverUrl: null, screenshotUrls: [], metadata: { genres: ['Puzzle'], total_rating: '0.0', first_release_date: null, youtube_video_id: null } });
    expect(parseIgdbGame([], 1)).toBeNull();
    expect(igdbImageUrl('ftp://images.igdb.com/t_thumb/a.jpg', 't_720p')).toBeNull();
  });

  it('knows RomM\'s Hasheous platforms by slug', () => {
    expect(hasheousPlatformId('snes')).toBe(74);
    expect(hasheousPlatformId('psx')).toBe(100);
    expect(hasheousPlatformId('constructor')).toBeNull();
  });
});
