import type { UserRow } from '../db/repositories/users-repository.ts';
import type { ResolvedPermissions } from './permissions.ts';
import type { Scope } from './scopes.ts';

export type AuthMethod = 'session' | 'basic' | 'client-token' | 'jwt';

export interface AuthContext {
  user: UserRow;
  scopes: ReadonlySet<Scope>;
  via: AuthMethod;
  /** Grants and hide lists behind `scopes` (RomM 5 permission groups). */
  permissions: ResolvedPermissions;
  /** Client token id when authenticated with one. */
  tokenId?: number;
  /** The device a client token is bound to (device-code sign-in), RomM's `request.state.device_id`. */
  deviceId?: string;
}

export function hasScopes(auth: AuthContext | null, required: readonly Scope[]): boolean {
  return !!auth && required.every((s) => auth.scopes.has(s));
}
