import type { UserSchema } from '../../contract/user.ts';
import type { UserRow } from '../../db/repositories/users-repository.ts';
import type { Scope } from '../../auth/scopes.ts';
import { isoFromMs, isoOrNull } from '../../common/time.ts';

/** RomM's `UserSchema`. */
export function toUserSchema(user: UserRow, scopes: readonly Scope[]): UserSchema {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    enabled: !!user.enabled,
    role: user.role,
    permission_group_id: user.permission_group_id ?? null,
    oauth_scopes: [...scopes],
    avatar_path: user.avatar_path,
    last_login: isoOrNull(user.last_login),
    last_active: isoOrNull(user.last_active),
    ra_username: user.ra_username,
    ra_progression: null,
    ui_settings: user.ui_settings ? (JSON.parse(user.ui_settings) as Record<string, unknown>) : null,
    current_device_id: null,
    created_at: isoFromMs(user.created_at),
    updated_at: isoFromMs(user.updated_at),
  };
}
