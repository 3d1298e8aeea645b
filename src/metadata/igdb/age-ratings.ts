/** IGDB's `age_ratings.rating_category` values as RomM stores them: rating, organisation and IGDB's icon. */

export interface IgdbAgeRating {
  rating: string;
  category: string;
  rating_cover_url: string;
}

const ICONS = 'https://www.igdb.com/icons/rating_icons';

const ORGS: [category: string, dir: string, first: number, ratings: [rating: string, icon: string][]][] = [
  ['ESRB', 'esrb', 1, [['RP', 'rp'], ['EC', 'ec'], ['E', 'e'], ['E10+', 'e10'], ['T', 't'], ['M', 'm'], ['AO', 'ao']]],
  ['PEGI', 'pegi', 8, [['3', '3'], ['7', '7'], ['12', '12'], ['16', '16'], ['18', '18']]],
  ['CERO', 'cero', 13, [['A', 'a'], ['B', 'b'], ['C', 'c'], ['D', 'd'], ['Z', 'z']]],
  ['USK', 'usk', 18, [['0', '0'], ['6', '6'], ['12', '12'], ['16', '16'], ['18', '18']]],
  ['GRAC', 'grac', 23, [['ALL', 'all'], ['12+', '12'], ['15+', '15'], ['19+', '19'], ['TESTING', 'testing']]],
  ['CLASS_IND', 'class_ind', 28, [['L', 'l'], ['10', '10'], ['12', '12'], ['14', '14'], ['16', '16'], ['18', '18']]],
  ['ACB', 'acb', 34, [['G', 'g'], ['PG', 'pg'], ['M', 'm'], ['MA 15+', 'ma15'], ['R 18+', 'r18'], ['RC', 'rc']]],
];

/** rating_category 1…39 → RomM's entry. */
export const IGDB_AGE_RATINGS: ReadonlyMap<number, IgdbAgeRating> = new Map(
  ORGS.flatMap(([category, dir, first, ratings]) =>
    ratings.map(([rating, icon], i): [number, IgdbAgeRating] => [
      first + i, { rating, category, rating_cover_url: `${ICONS}/${dir}/${dir}_${icon}.png` },
    ])),
);
