/** RomM's OAuth scopes in canonical order (spec §2.1). */
export const READ_SCOPES = [
  'me.read', 'roms.read', 'platforms.read', 'assets.read', 'devices.read', 'firmware.read',
  'roms.user.read', 'collections.read', 'playlists.read',
] as const;
const WRITE_ONLY = ['me.write', 'assets.write', 'devices.write', 'roms.user.write', 'collections.write', 'playlists.write'] as const;
const EDIT_ONLY = ['roms.write', 'platforms.write', 'firmware.write'] as const;
const FULL_ONLY = ['users.read', 'users.write', 'tasks.run', 'logs.read'] as const;

export const WRITE_SCOPES = [...READ_SCOPES, ...WRITE_ONLY] as const;
export const EDIT_SCOPES = [...WRITE_SCOPES, ...EDIT_ONLY] as const;
export const FULL_SCOPES = [...EDIT_SCOPES, ...FULL_ONLY] as const;

export type Scope = (typeof FULL_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'me.read': 'View your profile',
  'roms.read': 'View ROMs',
  'platforms.read': 'View platforms',
  'assets.read': 'View assets',
  'devices.read': 'View devices',
  'firmware.read': 'View firmware',
  'roms.user.read': 'View user-rom properties',
  'collections.read': 'View collections',
  'playlists.read': 'View music playlists',
  'me.write': 'Modify your profile',
  'assets.write': 'Modify assets',
  'devices.write': 'Modify devices',
  'roms.user.write': 'Modify user-rom properties',
  'collections.write': 'Modify collections',
  'playlists.write': 'Modify music playlists',
  'roms.write': 'Modify ROMs',
  'platforms.write': 'Modify platforms',
  'firmware.write': 'Modify firmware',
  'users.read': 'View users',
  'users.write': 'Modify users',
  'tasks.run': 'Run tasks',
  'logs.read': 'View backend logs',
};

/** RomM 5's roles: admins bypass every check; a `user`'s rights come from permission groups (permissions.ts). */
export type Role = 'admin' | 'user';

/** Intersection in canonical order. */
export function intersectScopes(requested: Iterable<string>, allowed: readonly Scope[]): Scope[] {
  const want = new Set(requested);
  return allowed.filter((s) => want.has(s));
}

export function parseScopeString(value: string): string[] {
  return value.split(/\s+/).filter(Boolean);
}
