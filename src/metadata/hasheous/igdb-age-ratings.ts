/**
 * IGDB's age-rating categories (`rating_category`) as RomM records them in `igdb_metadata.age_ratings`: the rating,
 * its board, and the board's icon on igdb.com.
 */
export interface IgdbAgeRating {
  rating: string;
  category: string;
  rating_cover_url: string;
}

const ICONS = 'https://www.igdb.com/icons/rating_icons/';

/** [rating_category, rating, board, icon path under ICONS]. */
const RATINGS: readonly (readonly [number, string, string, string])[] = [
  [1, 'RP', 'ESRB', 'esrb/esrb_rp.png'],
  [2, 'EC', 'ESRB', 'esrb/esrb_ec.png'],
  [3, 'E', 'ESRB', 'esrb/esrb_e.png'],
  [4, 'E10+', 'ESRB', 'esrb/esrb_e10.png'],
  [5, 'T', 'ESRB', 'esrb/esrb_t.png'],
  [6, 'M', 'ESRB', 'esrb/esrb_m.png'],
  [7, 'AO', 'ESRB', 'esrb/esrb_ao.png'],
  [8, '3', 'PEGI', 'pegi/pegi_3.png'],
  [9, '7', 'PEGI', 'pegi/pegi_7.png'],
  [10, '12', 'PEGI', 'pegi/pegi_12.png'],
  [11, '16', 'PEGI', 'pegi/pegi_16.png'],
  [12, '18', 'PEGI', 'pegi/pegi_18.png'],
  [13, 'A', 'CERO', 'cero/cero_a.png'],
  [14, 'B', 'CERO', 'cero/cero_b.png'],
  [15, 'C', 'CERO', 'cero/cero_c.png'],
  [16, 'D', 'CERO', 'cero/cero_d.png'],
  [17, 'Z', 'CERO', 'cero/cero_z.png'],
  [18, '0', 'USK', 'usk/usk_0.png'],
  [19, '6', 'USK', 'usk/usk_6.png'],
  [20, '12', 'USK', 'usk/usk_12.png'],
  [21, '16', 'USK', 'usk/usk_16.png'],
  [22, '18', 'USK', 'usk/usk_18.png'],
  [23, 'ALL', 'GRAC', 'grac/grac_all.png'],
  [24, '12+', 'GRAC', 'grac/grac_12.png'],
  [25, '15+', 'GRAC', 'grac/grac_15.png'],
  [26, '19+', 'GRAC', 'grac/grac_19.png'],
  [27, 'TESTING', 'GRAC', 'grac/grac_testing.png'],
  [28, 'L', 'CLASS_IND', 'class_ind/class_ind_l.png'],
  [29, '10', 'CLASS_IND', 'class_ind/class_ind_10.png'],
  [30, '12', 'CLASS_IND', 'class_ind/class_ind_12.png'],
  [31, '14', 'CLASS_IND', 'class_ind/class_ind_14.png'],
  [32, '16', 'CLASS_IND', 'class_ind/class_ind_16.png'],
  [33, '18', 'CLASS_IND', 'class_ind/class_ind_18.png'],
  [34, 'G', 'ACB', 'acb/acb_g.png'],
  [35, 'PG', 'ACB', 'acb/acb_pg.png'],
  [36, 'M', 'ACB', 'acb/acb_m.png'],
  [37, 'MA 15+', 'ACB', 'acb/acb_ma15.png'],
  [38, 'R 18+', 'ACB', 'acb/acb_r18.png'],
  [39, 'RC', 'ACB', 'acb/acb_rc.png'],
];

const BY_CATEGORY = new Map(RATINGS.map(([id, rating, category, icon]) => [id, { rating, category, rating_cover_url: ICONS + icon }]));

export function igdbAgeRating(ratingCategory: number): IgdbAgeRating | null {
  const r = BY_CATEGORY.get(ratingCategory);
  return r ? { ...r } : null;
}
