import type { HiddenSets } from '../db/repositories/hidden.ts';
import type { GrantRow, PermissionsRepository } from '../db/repositories/permissions-repository.ts';
import type { UserRow, UsersRepository } from '../db/repositories/users-repository.ts';
import { ADMIN_PERMISSIONS, isPermAction, isPermEntity, ResolvedPermissions, type Grant } from './permissions.ts';

type Principal = Pick<UserRow, 'id' | 'role' | 'permission_group_id'>;

interface Entry {
  role: string;
  groupId: number | null;
  permissions: ResolvedPermissions;
}

const MAX_ENTRIES = 10_000;
const ANONYMOUS = -1;

/**
 * Effective permissions per user (spec §2.2): admin bypass, then per-user overrides over the group's grants (the
 * user's own group, else the default one), plus the hide lists of the user and that group. Resolved once per user
 * and kept until `permissions_version` moves, so a request costs one tiny version read; any process's permission
 * write bumps it.
 */
export class PermissionsResolver {
  private version = -1;
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly repo: PermissionsRepository, private readonly users: UsersRepository) {}

  /** `null` is an anonymous caller: no grants, and the default group's hide list. */
  async forUser(user: Principal | null): Promise<ResolvedPermissions> {
    if (user?.role === 'admin') return ADMIN_PERMISSIONS;
    await this.sync();
    const key = user?.id ?? ANONYMOUS;
    const groupId = user?.permission_group_id ?? null;
    const hit = this.entries.get(key);
    if (hit && hit.role === (user?.role ?? '') && hit.groupId === groupId) return hit.permissions;
    const permissions = await this.resolve(user);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { role: user?.role ?? '', groupId, permissions });
    return permissions;
  }

  /** For services that know only the caller's id. */
  async forUserId(userId: number | null): Promise<ResolvedPermissions> {
    if (userId === null) return this.forUser(null);
    await this.sync();
    const hit = this.entries.get(userId);
    if (hit) return hit.permissions;
    const user = await this.users.findById(userId);
    return user ? this.forUser(user) : new ResolvedPermissions(false, []);
  }

  async hiddenFor(userId: number | null): Promise<HiddenSets> {
    const perms = await this.forUserId(userId);
    return { platformIds: [...perms.hiddenPlatformIds], romIds: [...perms.hiddenRomIds] };
  }

  private async sync(): Promise<void> {
    const version = await this.repo.version();
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
  }

  private async resolve(user: Principal | null): Promise<ResolvedPermissions> {
    const groupId = user?.permission_group_id ?? (await this.repo.defaultGroup())?.id ?? null;
    const hidden = await this.repo.hiddenFor(user?.id ?? null, groupId);
    if (!user) return new ResolvedPermissions(false, [], hidden.platformIds, hidden.romIds);
    const byKey = new Map<string, Grant>();
    for (const row of groupId === null ? [] : await this.repo.groupGrants(groupId)) addGrant(byKey, row);
    for (const o of await this.repo.userOverrides(user.id)) {
      if (o.granted) addGrant(byKey, o);
      else byKey.delete(`${o.entity}.${o.action}`);
    }
    return new ResolvedPermissions(false, [...byKey.values()], hidden.platformIds, hidden.romIds);
  }
}

/** Rows naming an entity or action this release does not know are ignored rather than trusted. */
function addGrant(byKey: Map<string, Grant>, row: GrantRow): void {
  if (!isPermEntity(row.entity) || !isPermAction(row.action)) return;
  byKey.set(`${row.entity}.${row.action}`, { entity: row.entity, action: row.action, ownOnly: row.own_only });
}
