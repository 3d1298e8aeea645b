import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { MAX_ID, QueryBool } from './query.ts';

/** Request and response schemas of the ROM write routes (spec §6.4-6.6). */

export const RomEditQuery = Type.Object({
  remove_cover: Type.Optional(QueryBool('Whether to remove the cover image for this rom.')),
  unmatch_metadata: Type.Optional(QueryBool('Whether to remove the metadata matches for this game.')),
});

const Score = (max: number, description: string) => Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: max, description })));
const Flag = (description: string) => Type.Optional(Nullable(Type.Boolean({ description })));

/** RomM 5.x `RomUserData`: the body is the props object itself; only keys present are written. */
export const RomPropsBody = Type.Object({
  is_main_sibling: Flag('Whether this rom is the main sibling.'),
  backlogged: Flag('Whether this rom is in the backlog.'),
  now_playing: Flag('Whether this rom is currently being played.'),
  hidden: Flag('Whether this rom is hidden.'),
  rating: Score(10, 'User rating for this rom (0-10).'),
  difficulty: Score(10, 'User difficulty rating for this rom (0-10).'),
  completion: Score(100, 'User completion percentage for this rom (0-100).'),
  status: Type.Optional(Nullable(Type.Union([
    Type.Literal('incomplete'), Type.Literal('finished'), Type.Literal('completed_100'), Type.Literal('retired'),
    Type.Literal('never_playing'),
  ], { description: 'Play status.' }))),
}, { title: 'RomUserData' });

export type RomPropsBody = Static<typeof RomPropsBody>;

export const RomPropsQuery = Type.Object({
  update_last_played: Type.Optional(QueryBool('Set last played timestamp to now.')),
  remove_last_played: Type.Optional(QueryBool('Clear the last played timestamp.')),
});

const RomIdList = Type.Array(Type.Integer({ minimum: -MAX_ID, maximum: MAX_ID }), { maxItems: 100_000 });

export const RomDeleteBody = Type.Object({
  roms: RomIdList,
  delete_from_fs: Type.Optional(RomIdList),
});

export const BulkOperationResponse = Type.Object({
  successful_items: Type.Integer(),
  failed_ids: Type.Array(Type.Integer()),
  errors: Type.Array(Type.String()),
}, { title: 'BulkOperationResponse' });

export type BulkOperationResponse = Static<typeof BulkOperationResponse>;

const formText = (description: string) => Type.String({ description });
const idFields = ['igdb_id', 'sgdb_id', 'moby_id', 'ss_id', 'ra_id', 'launchbox_id', 'hasheous_id', 'tgdb_id', 'hltb_id', 'flashpoint_id', 'libretro_id'];
const rawFields = ['igdb', 'moby', 'ss', 'launchbox', 'hasheous', 'flashpoint', 'hltb', 'manual'];

/**
 * The multipart form of PUT /api/roms/{id}, mainly for the OpenAPI document: the multipart body is not parsed
 * before validation (it reaches the schema as null), the fields are read and checked in the route and service.
 */
export const RomEditFormDoc = {
  type: 'object',
  nullable: true,
  description: 'Every field optional; a field sent empty clears the value, an absent one keeps it.',
  properties: {
    ...Object.fromEntries(idFields.map((f) => [f, formText(`${f} (empty clears)`)])),
    ...Object.fromEntries(rawFields.map((p) => [`raw_${p}_metadata`, formText(`JSON object replacing ${p}_metadata`)])),
    name: formText('Display name'),
    name_sort_key: formText('Sort key override (empty reverts to the name)'),
    summary: formText('Summary'),
    fs_name: formText('New file or folder name (renamed on disk)'),
    url_cover: formText('Cover URL, fetched server-side'),
    url_manual: formText('Manual (PDF) URL, fetched server-side'),
    artwork: Type.String({ format: 'binary', description: 'Cover image upload (PNG, JPEG, WebP or GIF)' }),
  },
};
