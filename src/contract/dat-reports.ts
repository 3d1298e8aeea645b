import { Type, type Static } from 'typebox';
import { DAT_STATUSES } from './dat-status.ts';
import { MAX_ID } from './query.ts';

/** The wire shapes of the DAT report routes (`/api/dats/report`, `/fixdat`, `/rename`, `/verify`; romshelf extensions). */

export const DatPlatformQuery = Type.Object({
  platform_id: Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'The platform the DATs are mapped to' }),
});

const counts = Object.fromEntries(DAT_STATUSES.map((s) => [s, Type.Integer()]));

/** A streamed file: the CSV report or the fixdat. */
export const DatFileResponse = Type.String({ format: 'binary', description: 'text/csv or Logiqx XML, as an attachment' });

export const DatReportSchema = Type.Object({
  platform_id: Type.Integer(),
  platform_slug: Type.String(),
  platform_name: Type.String(),
  dats: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), version: Type.Union([Type.String(), Type.Null()]) })),
  counts: Type.Object({ ...counts, missing: Type.Integer({ description: 'Games of the DATs no file matched' }) }),
  missing_games: Type.Array(Type.String(), { description: 'Names of the missing games, in DAT order' }),
}, { title: 'DatReportSchema' });

export type DatReportSchema = Static<typeof DatReportSchema>;

export const DatRenameQuery = Type.Object({
  platform_id: Type.Integer({ minimum: 1, maximum: MAX_ID }),
  dry_run: Type.Optional(Type.Boolean({ default: true, description: 'Only list the renames (default)' })),
});

const RenameEntry = { rom_id: Type.Integer(), from: Type.String(), to: Type.String() };

export const DatRenameResultSchema = Type.Object({
  dry_run: Type.Boolean(),
  renames: Type.Array(Type.Object(RenameEntry)),
  failed: Type.Array(Type.Object({ ...RenameEntry, detail: Type.String() })),
}, { title: 'DatRenameResultSchema' });

export const DatVerifyResultSchema = Type.Object({
  platforms: Type.Integer(),
  roms: Type.Integer(),
  files: Type.Integer(),
  changed: Type.Integer({ description: 'Rows whose verdict changed' }),
  counts: Type.Object(counts),
}, { title: 'DatVerifyResultSchema' });
