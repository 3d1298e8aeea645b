import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

/** RomM's `UserSchema`, the body of every user route. */
export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  email: Nullable(Type.String()),
  enabled: Type.Boolean(),
  role: Type.String(),
  permission_group_id: Nullable(Type.Integer()),
  oauth_scopes: Type.Array(Type.String()),
  avatar_path: Type.String(),
  last_login: Nullable(Type.String()),
  last_active: Nullable(Type.String()),
  ra_username: Nullable(Type.String()),
  ra_progression: Nullable(Type.Object({}, { additionalProperties: true })),
  ui_settings: Nullable(Type.Object({}, { additionalProperties: true })),
  current_device_id: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export type UserSchema = Static<typeof UserSchema>;
