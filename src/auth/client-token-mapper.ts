import type { AuthRepository, ClientTokenRow } from '../db/repositories/auth-repository.ts';
import { isoFromMs, isoOrNull } from '../common/time.ts';

type ClientTokenWithOwner = Awaited<ReturnType<AuthRepository['listAllClientTokens']>>[number];

/** RomM's `ClientTokenSchema`; `device_id` is set for tokens issued by device-code authorization. */
export function toClientTokenJson(row: ClientTokenRow) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(' ').filter(Boolean),
    expires_at: isoOrNull(row.expires_at),
    last_used_at: isoOrNull(row.last_used_at),
    created_at: isoFromMs(row.created_at),
    user_id: row.user_id,
    device_id: row.device_id ?? null,
  };
}

/** A token just minted or rotated: the only time its raw value is shown. */
export function toIssuedClientTokenJson(issued: { row: ClientTokenRow; raw: string }) {
  return { ...toClientTokenJson(issued.row), raw_token: issued.raw };
}

/** The admin listing adds the owner's name and avatar. */
export function toAdminClientTokenJson(row: ClientTokenWithOwner) {
  return {
    ...toClientTokenJson(row),
    username: row.username,
    user_avatar_path: row.user_avatar_path,
    user_updated_at: isoFromMs(row.user_updated_at),
  };
}
