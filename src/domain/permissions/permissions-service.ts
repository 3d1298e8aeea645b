import { actionKeysFor, HIDEABLE_ENTITIES, PERM_ACTIONS, PERM_ENTITIES, type PermAction, type PermEntity, type ResolvedPermissions } from '../../auth/permissions.ts';
import { badRequest, forbidden, notFound } from '../../common/errors.ts';
import { nowMs } from '../../common/time.ts';
import type {
  GrantInput, HiddenEntityCreate, PermissionGroupCreate, PermissionGroupSchema, PermissionGroupUpdate,
  UserPermissionsSchema, UserPermissionsUpdate,
} from '../../contract/permissions.ts';
import type { GrantRow, PermissionGroupRow, PermissionsRepository, Principal } from '../../db/repositories/permissions-repository.ts';
import type { UsersRepository } from '../../db/repositories/users-repository.ts';
import type { PermissionEvents } from './permission-events.ts';

export interface PermissionsMe {
  is_admin: boolean;
  grants: Array<{ action: string; scope: { kind: 'global'; id: null } }>;
  hidden: { platforms: number[]; roms: number[] };
}

const NOT_FOUND = 'Not found';

/** `/api/permissions/*` (RomM 5): the caller's own view, and the admin's management of groups, overrides and hides. */
export class PermissionsService {
  constructor(
    private readonly repo: PermissionsRepository,
    private readonly users: UsersRepository,
    private readonly events: PermissionEvents,
  ) {}

  /** A UX hint for clients; every route still enforces its own rights. */
  me(perms: ResolvedPermissions): PermissionsMe {
    return {
      is_admin: perms.isAdmin,
      grants: actionKeysFor(perms).map((action) => ({ action, scope: { kind: 'global', id: null } })),
      hidden: {
        platforms: [...perms.hiddenPlatformIds].sort((a, b) => a - b),
        roms: [...perms.hiddenRomIds].sort((a, b) => a - b),
      },
    };
  }

  /** The vocabulary an admin UI renders its grant matrix from. */
  catalog(caller: ResolvedPermissions): { entities: PermEntity[]; actions: PermAction[] } {
    assertAdmin(caller);
    return { entities: [...PERM_ENTITIES], actions: [...PERM_ACTIONS] };
  }

  async listGroups(caller: ResolvedPermissions): Promise<PermissionGroupSchema[]> {
    assertAdmin(caller);
    const groups = await this.repo.listGroups();
    return Promise.all(groups.map((g) => this.groupSchema(g)));
  }

  async createGroup(caller: ResolvedPermissions, body: PermissionGroupCreate): Promise<PermissionGroupSchema> {
    assertAdmin(caller);
    const name = body.name.trim();
    if (!name) throw badRequest('Group name cannot be empty');
    if (await this.repo.findGroupByName(name)) throw badRequest('A group with that name already exists');
    const id = await this.repo.createGroup(
      { name, description: body.description ?? '', is_default: body.is_default ?? false, color: body.color ?? null },
      grantRows(body.grants ?? []),
      nowMs(),
    );
    if (body.is_default) this.events.changed(await this.repo.defaultGroupMemberIds(id));
    return this.groupSchema(await this.groupOr404(id));
  }

  async updateGroup(caller: ResolvedPermissions, id: number, body: PermissionGroupUpdate): Promise<PermissionGroupSchema> {
    assertAdmin(caller);
    const group = await this.groupOr404(id);
    const name = body.name?.trim();
    if (name === '') throw badRequest('Group name cannot be empty');
    if (name) {
      const clash = await this.repo.findGroupByName(name);
      if (clash && clash.id !== id) throw badRequest('A group with that name already exists');
    }
    // The system must keep a default group: another one is made default instead.
    if (body.is_default === false && Number(group.is_default)) throw badRequest('Set another group as default first');
    const affectedBefore = await this.affectedMembers(group);
    await this.repo.updateGroup(id, {
      ...(name ? { name } : {}),
      ...(body.description != null ? { description: body.description } : {}),
      ...(body.is_default != null ? { is_default: body.is_default } : {}),
      ...(body.color != null ? { color: body.color } : {}),
    }, body.grants ? grantRows(body.grants) : null, nowMs());
    const updated = await this.groupOr404(id);
    this.events.changed(new Set([...affectedBefore, ...(await this.affectedMembers(updated))]));
    return this.groupSchema(updated);
  }

  async deleteGroup(caller: ResolvedPermissions, id: number): Promise<void> {
    assertAdmin(caller);
    const group = await this.groupOr404(id);
    if (Number(group.is_default)) throw badRequest('Cannot delete the default group; set another default first');
    const members = await this.repo.groupMemberIds(id);
    await this.repo.deleteGroup(id);
    this.events.changed(members);
  }

  async userPermissions(caller: ResolvedPermissions, userId: number): Promise<UserPermissionsSchema> {
    assertAdmin(caller);
    const user = await this.users.findById(userId);
    if (!user) throw notFound(NOT_FOUND);
    return this.userSchema(userId, user.permission_group_id);
  }

  async updateUserPermissions(caller: ResolvedPermissions, userId: number, body: UserPermissionsUpdate): Promise<UserPermissionsSchema> {
    assertAdmin(caller);
    const user = await this.users.findById(userId);
    if (!user) throw notFound(NOT_FOUND);
    let groupId = user.permission_group_id;
    if (body.set_group) {
      groupId = body.permission_group_id ?? null;
      if (groupId !== null && !(await this.repo.findGroup(groupId))) throw notFound(`Permission group with id ${groupId} not found`);
      await this.repo.setUserGroup(userId, groupId);
    }
    if (body.overrides) {
      const byKey = new Map(body.overrides.map((o) => [`${o.entity}.${o.action}`, {
        entity: o.entity, action: o.action, granted: o.granted, own_only: o.own_only ?? false,
      }]));
      await this.repo.replaceUserOverrides(userId, [...byKey.values()]);
    }
    this.events.changed([userId]);
    return this.userSchema(userId, groupId);
  }

  async hide(caller: ResolvedPermissions, body: HiddenEntityCreate): Promise<{ entity: PermEntity; entity_id: number }> {
    assertAdmin(caller);
    const principal = await this.principal(body.user_id ?? null, body.group_id ?? null);
    if (!(HIDEABLE_ENTITIES as readonly string[]).includes(body.entity)) throw badRequest('Only platforms and roms can be hidden');
    // A denylist entry: an id that does not exist (yet) hides nothing and is not an error, as in RomM.
    await this.repo.addHidden(body.entity, body.entity_id, principal, nowMs());
    await this.notifyPrincipal(principal);
    return { entity: body.entity, entity_id: body.entity_id };
  }

  async unhide(caller: ResolvedPermissions, body: HiddenEntityCreate): Promise<void> {
    assertAdmin(caller);
    const principal = await this.principal(body.user_id ?? null, body.group_id ?? null);
    await this.repo.removeHidden(body.entity, body.entity_id, principal);
    await this.notifyPrincipal(principal);
  }

  private async principal(userId: number | null, groupId: number | null): Promise<Principal> {
    if ((userId === null) === (groupId === null)) throw badRequest('Exactly one of user_id or group_id must be set');
    if (userId !== null) {
      if (!(await this.users.findById(userId))) throw notFound(`User with id ${userId} not found`);
      return { userId };
    }
    if (!(await this.repo.findGroup(groupId!))) throw notFound(`Permission group with id ${groupId} not found`);
    return { groupId: groupId! };
  }

  private async notifyPrincipal(principal: Principal): Promise<void> {
    if (principal.userId !== undefined) this.events.changed([principal.userId]);
    else this.events.changed(await this.affectedMembers(await this.groupOr404(principal.groupId)));
  }

  /** Users whose rights follow the group: its members, and for the default group everyone without a group. */
  private affectedMembers(group: PermissionGroupRow): Promise<number[]> {
    return Number(group.is_default) ? this.repo.defaultGroupMemberIds(group.id) : this.repo.groupMemberIds(group.id);
  }

  private async groupOr404(id: number): Promise<PermissionGroupRow> {
    const group = await this.repo.findGroup(id);
    if (!group) throw notFound(NOT_FOUND);
    return group;
  }

  private async groupSchema(group: PermissionGroupRow): Promise<PermissionGroupSchema> {
    const [grants, members, hidden] = await Promise.all([
      this.repo.groupGrants(group.id), this.repo.groupMemberIds(group.id), this.repo.hiddenOf({ groupId: group.id }),
    ]);
    return {
      id: group.id,
      name: group.name,
      description: group.description,
      is_default: !!Number(group.is_default),
      is_system: !!Number(group.is_system),
      color: group.color,
      grants: grants as PermissionGroupSchema['grants'],
      member_count: members.length,
      hidden: hidden as PermissionGroupSchema['hidden'],
    };
  }

  private async userSchema(userId: number, groupId: number | null): Promise<UserPermissionsSchema> {
    const [overrides, hidden] = await Promise.all([this.repo.userOverrides(userId), this.repo.hiddenOf({ userId })]);
    return {
      user_id: userId,
      permission_group_id: groupId,
      overrides: overrides as UserPermissionsSchema['overrides'],
      hidden: hidden as UserPermissionsSchema['hidden'],
    };
  }
}

function assertAdmin(perms: ResolvedPermissions): void {
  if (!perms.isAdmin) throw forbidden('Administrator privileges required');
}

/** One row per (entity, action): a repeated pair keeps its last own_only, instead of failing on the unique key. */
function grantRows(grants: readonly GrantInput[]): GrantRow[] {
  const byKey = new Map<string, GrantRow>();
  for (const g of grants) byKey.set(`${g.entity}.${g.action}`, { entity: g.entity, action: g.action, own_only: g.own_only ?? false });
  return [...byKey.values()];
}
