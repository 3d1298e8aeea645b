import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { FirmwareSchema } from './firmware.ts';

const NInt = Nullable(Type.Integer());
const NStr = Nullable(Type.String());

export const PlatformSchema = Type.Object({
  id: Type.Integer(), slug: Type.String(), fs_slug: Type.String(), rom_count: Type.Integer(), name: Type.String(),
  igdb_slug: NStr, moby_slug: NStr, hltb_slug: NStr, libretro_slug: NStr, custom_name: NStr, description: NStr,
  igdb_id: NInt, sgdb_id: NInt, moby_id: NInt, launchbox_id: NInt, ss_id: NInt, ra_id: NInt, hasheous_id: NInt,
  tgdb_id: NInt, flashpoint_id: NInt, category: NStr, generation: NInt, family_name: NStr, family_slug: NStr,
  url: NStr, url_logo: NStr, firmware: Type.Array(FirmwareSchema),
  created_at: Type.String(), updated_at: Type.String(), fs_size_bytes: Type.Integer(),
  is_unidentified: Type.Boolean(), is_identified: Type.Boolean(), missing_from_fs: Type.Boolean(),
  display_name: Type.String(), firmware_count: Type.Integer(),
}, { $id: 'PlatformSchema' });

export type PlatformSchema = Static<typeof PlatformSchema>;
