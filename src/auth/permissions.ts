import { FULL_SCOPES, type Scope } from './scopes.ts';

/**
 * RomM 5's permission catalogue (spec §2.2): what a grant may name, the legacy role matrices, the projection of
 * grants onto OAuth scopes and the UI action keys of `GET /api/permissions/me`. Pure data and functions.
 */

export const PERM_ENTITIES = ['platforms', 'roms', 'collections', 'playlists', 'firmware', 'assets', 'devices', 'users', 'tasks', 'logs'] as const;
export const PERM_ACTIONS = ['read', 'write', 'delete'] as const;
export type PermEntity = (typeof PERM_ENTITIES)[number];
export type PermAction = (typeof PERM_ACTIONS)[number];

/** Only these two can be hidden; firmware follows its platform. */
export const HIDEABLE_ENTITIES = ['platforms', 'roms'] as const;
export type HideableEntity = (typeof HIDEABLE_ENTITIES)[number];

export interface Grant {
  entity: PermEntity;
  action: PermAction;
  ownOnly: boolean;
}

const g = (entity: PermEntity, action: PermAction, ownOnly = false): Grant => ({ entity, action, ownOnly });

/** What a viewer of romshelf ≤ this release could do (the "Viewer (legacy)" group). */
export const LEGACY_VIEWER_GRANTS: readonly Grant[] = [
  g('roms', 'read'), g('platforms', 'read'), g('firmware', 'read'),
  g('collections', 'read'), g('collections', 'write', true), g('collections', 'delete', true),
  g('playlists', 'read'), g('playlists', 'write', true), g('playlists', 'delete', true),
  g('assets', 'read'), g('assets', 'write', true), g('assets', 'delete', true),
  g('devices', 'read', true), g('devices', 'write', true), g('devices', 'delete', true),
];

/** The "Editor (legacy)" group: a viewer plus library-wide write and delete of ROMs, platforms and firmware. */
export const LEGACY_EDITOR_GRANTS: readonly Grant[] = [
  ...LEGACY_VIEWER_GRANTS,
  g('roms', 'write'), g('roms', 'delete'), g('platforms', 'write'), g('platforms', 'delete'),
  g('firmware', 'write'), g('firmware', 'delete'),
];

export const LEGACY_GROUP_NAMES = { viewer: 'Viewer (legacy)', editor: 'Editor (legacy)' } as const;

/** Self-service scopes every signed-in user holds whatever their group. */
const ALWAYS_ON: readonly Scope[] = ['me.read', 'me.write', 'roms.user.read', 'roms.user.write'];

const GRANT_SCOPES: Partial<Record<`${PermEntity}.${PermAction}`, Scope>> = {
  'roms.read': 'roms.read', 'roms.write': 'roms.write',
  'platforms.read': 'platforms.read', 'platforms.write': 'platforms.write',
  'firmware.read': 'firmware.read', 'firmware.write': 'firmware.write',
  'collections.read': 'collections.read', 'collections.write': 'collections.write',
  'playlists.read': 'playlists.read', 'playlists.write': 'playlists.write',
  'assets.read': 'assets.read', 'assets.write': 'assets.write',
  'devices.read': 'devices.read', 'devices.write': 'devices.write',
  'users.read': 'users.read', 'users.write': 'users.write',
  'tasks.write': 'tasks.run',
  'logs.read': 'logs.read',
};

/** Scopes a grant set projects to, in canonical order; `own_only` does not narrow a scope, deletes project to none. */
export function grantsToScopes(grants: Iterable<Grant>, isAdmin: boolean): Scope[] {
  if (isAdmin) return [...FULL_SCOPES];
  const out = new Set<Scope>(ALWAYS_ON);
  for (const grant of grants) {
    const scope = GRANT_SCOPES[`${grant.entity}.${grant.action}`];
    if (scope) out.add(scope);
  }
  return FULL_SCOPES.filter((s) => out.has(s));
}

/** A caller's effective permissions. Admins hold every grant and see everything. */
export class ResolvedPermissions {
  readonly hiddenPlatformIds: ReadonlySet<number>;
  readonly hiddenRomIds: ReadonlySet<number>;

  constructor(
    readonly isAdmin: boolean,
    readonly grants: readonly Grant[],
    hiddenPlatformIds: Iterable<number> = [],
    hiddenRomIds: Iterable<number> = [],
  ) {
    this.hiddenPlatformIds = new Set(isAdmin ? [] : hiddenPlatformIds);
    this.hiddenRomIds = new Set(isAdmin ? [] : hiddenRomIds);
  }

  /** `owned`: the resource belongs to the caller, so own-only grants count. */
  allows(entity: PermEntity, action: PermAction, owned = false): boolean {
    if (this.isAdmin) return true;
    return this.grants.some((gr) => gr.entity === entity && gr.action === action && (!gr.ownOnly || owned));
  }

  get scopes(): Scope[] {
    return grantsToScopes(this.grants, this.isAdmin);
  }

  canSeePlatform(platformId: number): boolean {
    return !this.hiddenPlatformIds.has(platformId);
  }

  canSeeRom(romId: number, platformId: number): boolean {
    return !this.hiddenRomIds.has(romId) && !this.hiddenPlatformIds.has(platformId);
  }
}

export const ADMIN_PERMISSIONS = new ResolvedPermissions(true, []);

/** The UI action vocabulary of `GET /api/permissions/me`, in RomM's order. */
export const ACTION_KEYS = [
  'rom.view', 'rom.play', 'rom.download', 'rom.upload', 'rom.edit', 'rom.delete', 'rom.match', 'rom.refresh', 'rom.favorite',
  'platform.view', 'platform.create', 'platform.edit', 'platform.delete',
  'collection.view', 'collection.create', 'collection.edit', 'collection.delete',
  'library.scan',
  'user.view', 'user.create', 'user.edit', 'user.delete',
  'app.admin',
] as const;
export type ActionKey = (typeof ACTION_KEYS)[number];

/** Which UI actions one held grant unlocks. */
const GRANT_ACTION_KEYS: ReadonlyArray<readonly [PermEntity, PermAction, readonly ActionKey[]]> = [
  ['roms', 'read', ['rom.view', 'rom.play', 'rom.download', 'rom.favorite']],
  ['roms', 'write', ['rom.upload', 'rom.edit', 'rom.match', 'rom.refresh']],
  ['roms', 'delete', ['rom.delete']],
  ['platforms', 'read', ['platform.view']],
  ['platforms', 'write', ['platform.create', 'platform.edit', 'library.scan']],
  ['platforms', 'delete', ['platform.delete']],
  ['collections', 'read', ['collection.view']],
  ['collections', 'write', ['collection.create', 'collection.edit']],
  ['collections', 'delete', ['collection.delete']],
  ['users', 'read', ['user.view']],
  ['users', 'write', ['user.create', 'user.edit', 'user.delete']],
];

/** Own-only grants count here: "may manage own collections" still shows the collection actions. */
export function actionKeysFor(perms: ResolvedPermissions): ActionKey[] {
  if (perms.isAdmin) return [...ACTION_KEYS];
  const keys = new Set<ActionKey>();
  for (const [entity, action, unlocked] of GRANT_ACTION_KEYS) {
    if (perms.allows(entity, action, true)) for (const k of unlocked) keys.add(k);
  }
  return ACTION_KEYS.filter((k) => keys.has(k));
}

export function isPermEntity(value: string): value is PermEntity {
  return (PERM_ENTITIES as readonly string[]).includes(value);
}

export function isPermAction(value: string): value is PermAction {
  return (PERM_ACTIONS as readonly string[]).includes(value);
}

/**
 * A role as callers may write it: RomM 5's `admin` and `user`, and the older `editor` and `viewer`, which become a
 * `user` in the matching legacy group so older clients and scripts keep creating the same kind of account.
 */
export interface RoleInput {
  role: 'admin' | 'user';
  legacyGroup: keyof typeof LEGACY_GROUP_NAMES | null;
}

export function parseRoleInput(value: string): RoleInput | null {
  switch (value.trim().toLowerCase()) {
    case 'admin': return { role: 'admin', legacyGroup: null };
    case 'user': return { role: 'user', legacyGroup: null };
    case 'editor': return { role: 'user', legacyGroup: 'editor' };
    case 'viewer': return { role: 'user', legacyGroup: 'viewer' };
    default: return null;
  }
}
