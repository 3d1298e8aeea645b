import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { MAX_ID } from './query.ts';

/** `GET /api/search/roms` (RomM's `search_rom`): which ROM, what to search for, by name or by a provider's id. */
export const SearchRomQuery = Type.Object({
  rom_id: Type.Integer({ minimum: -MAX_ID, maximum: MAX_ID, description: 'Rom ID' }),
  search_term: Type.Optional(Type.String({ maxLength: 400, description: "Search term; defaults to the ROM's file name without tags" })),
  search_by: Type.Optional(Type.String({ maxLength: 20, default: 'name', description: '`name` or `id` (case-insensitive)' })),
});

export type SearchRomQuery = Static<typeof SearchRomQuery>;

const Url = Type.Optional(Type.String());

/**
 * RomM's `SearchRomSchema`: one candidate, grouped by name across providers, each provider's id and cover under its
 * own key. `ra_id`, `hasheous_id`, `tgdb_id`, `hltb_id` and their covers are romshelf additions (absent in RomM, set
 * only when such a provider answers a search); clients that do not know them ignore them.
 */
export const SearchRomSchema = Type.Object({
  id: Type.Optional(Nullable(Type.Integer())),
  igdb_id: Type.Optional(Nullable(Type.Integer())),
  moby_id: Type.Optional(Nullable(Type.Integer())),
  ss_id: Type.Optional(Nullable(Type.Integer())),
  sgdb_id: Type.Optional(Nullable(Type.Integer())),
  flashpoint_id: Type.Optional(Nullable(Type.String())),
  launchbox_id: Type.Optional(Nullable(Type.Integer())),
  libretro_id: Type.Optional(Nullable(Type.String())),
  ra_id: Type.Optional(Nullable(Type.Integer())),
  hasheous_id: Type.Optional(Nullable(Type.Integer())),
  tgdb_id: Type.Optional(Nullable(Type.Integer())),
  hltb_id: Type.Optional(Nullable(Type.Integer())),
  platform_id: Type.Integer(),
  name: Type.String(),
  slug: Type.Optional(Type.String()),
  summary: Type.Optional(Type.String()),
  igdb_url_cover: Url,
  moby_url_cover: Url,
  ss_url_cover: Url,
  sgdb_url_cover: Url,
  flashpoint_url_cover: Url,
  launchbox_url_cover: Url,
  libretro_url_cover: Url,
  ra_url_cover: Url,
  hasheous_url_cover: Url,
  tgdb_url_cover: Url,
  hltb_url_cover: Url,
  is_unidentified: Type.Boolean(),
  is_identified: Type.Boolean(),
}, { title: 'SearchRomSchema' });

export type SearchRomSchema = Static<typeof SearchRomSchema>;
