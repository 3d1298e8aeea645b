import { describe, expect, it } from 'vitest';
import { deriveMetadata, derivedFacetRows } from '../../../src/metadata/derivation.ts';

describe('deriveMetadata (spec §8.3)', () => {
  it('takes the first non-empty source, never merging', () => {
    const d = deriveMetadata({
      manual: { genres: [] },
      igdb: { genres: ['Platform', 'Adventure'], franchises: ['Mario'], companies: ['Nintendo'], game_modes: ['Single player'], collections: ['Mario Kart'] },
      moby: { genres: ['Action'] },
      ss: { franchises: ['Other'] },
    });
    expect(d.genres).toEqual(['Platform', 'Adventure']);
    expect(d.franchises).toEqual(['Mario']);
    expect(d.companies).toEqual(['Nintendo']);
    expect(d.game_modes).toEqual(['Single player']);
    expect(d.collections).toEqual(['Mario Kart']);
  });

  it('lets manual metadata win', () => {
    const d = deriveMetadata({ manual: { genres: ['RPG'], companies: ['Me'] }, igdb: { genres: ['Platform'], companies: ['Nintendo'] } });
    expect(d.genres).toEqual(['RPG']);
    expect(d.companies).toEqual(['Me']);
  });

  it('follows each field\'s source order', () => {
    expect(deriveMetadata({ gamelist: { genres: ['G'] }, flashpoint: { genres: ['F'] } }).genres).toEqual(['F']);
    expect(deriveMetadata({ moby: { franchises: ['M'] } }).franchises).toEqual([]);
    expect(deriveMetadata({ ra: { companies: ['R'] }, launchbox: { companies: ['L'] } }).companies).toEqual(['R']);
    expect(deriveMetadata({ moby: { collections: ['x'] } }).collections).toEqual([]);
  });

  it('derives age ratings', () => {
    expect(deriveMetadata({ igdb: { age_ratings: [{ rating: 'E' }, { rating: 'PEGI 3' }] } }).age_ratings).toEqual(['E', 'PEGI 3']);
    expect(deriveMetadata({ ss: { age_ratings: [{ rating: 'T' }] } }).age_ratings).toEqual(['T']);
    expect(deriveMetadata({ launchbox: { esrb: 'M' } }).age_ratings).toEqual(['M']);
    expect(deriveMetadata({ manual: { age_ratings: ['Custom'] }, igdb: { age_ratings: [{ rating: 'E' }] } }).age_ratings).toEqual(['Custom']);
    expect(deriveMetadata({ manual: { age_ratings: 'Solo' } }).age_ratings).toEqual(['Solo']);
  });

  it('derives first_release_date in milliseconds', () => {
    expect(deriveMetadata({ manual: { first_release_date: 1700000000000 } }).first_release_date).toBe(1700000000000);
    expect(deriveMetadata({ igdb: { first_release_date: 1000 } }).first_release_date).toBe(1_000_000);
    expect(deriveMetadata({ igdb: { first_release_date: '1000' } }).first_release_date).toBe(1_000_000);
    expect(deriveMetadata({ igdb: { first_release_date: 0 }, ss: { first_release_date: 5 } }).first_release_date).toBe(5000);
    expect(deriveMetadata({ igdb: { first_release_date: '12.5' } }).first_release_date).toBeNull();
    expect(deriveMetadata({ gamelist: { first_release_date: '19960623T000000' } }).first_release_date).toBe(Date.UTC(1996, 5, 23));
    expect(deriveMetadata({ gamelist: { first_release_date: '20200230T000000' } }).first_release_date).toBeNull();
    expect(deriveMetadata({}).first_release_date).toBeNull();
  });

  it('averages present ratings on a 0-100 scale', () => {
    const d = deriveMetadata({ igdb: { total_rating: 80 }, moby: { moby_score: 7 }, launchbox: { community_rating: 4.5 }, gamelist: { rating: 0.9 }, ss: { ss_score: 0 } });
    expect(d.average_rating).toBeCloseTo((80 + 70 + 90 + 90) / 4);
    expect(deriveMetadata({ igdb: { total_rating: 'n/a' } }).average_rating).toBeNull();
  });

  it('derives player_count as the first value other than "1"', () => {
    expect(deriveMetadata({}).player_count).toBe('1');
    expect(deriveMetadata({ manual: { player_count: '1' }, ss: { player_count: '1-4' } }).player_count).toBe('1-4');
    expect(deriveMetadata({ igdb: { player_count: 2 } }).player_count).toBe('2');
  });

  it('ignores non-object blobs and non-string values', () => {
    const d = deriveMetadata({ igdb: [1, 2], manual: 'x', moby: { genres: [null, { a: 1 }, ' Action ', 'Action', 3] } });
    expect(d.genres).toEqual(['Action', '3']);
  });

  it('produces facet rows per kind', () => {
    const rows = derivedFacetRows(7, deriveMetadata({ manual: { genres: ['A', 'B'], franchises: ['F'], age_ratings: ['E'] } }));
    expect(rows).toEqual([
      { rom_id: 7, kind: 'genre', value: 'A' }, { rom_id: 7, kind: 'genre', value: 'B' },
      { rom_id: 7, kind: 'franchise', value: 'F' }, { rom_id: 7, kind: 'age_rating', value: 'E' },
    ]);
  });
});
