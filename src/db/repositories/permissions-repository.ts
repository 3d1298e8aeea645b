import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PermissionGroupsTable } from '../schema.ts';
import type { HiddenSets } from './hidden.ts';

export type PermissionGroupRow = Selectable<PermissionGroupsTable>;

export interface GrantRow {
  entity: string;
  action: string;
  own_only: boolean;
}

export interface OverrideRow extends GrantRow {
  granted: boolean;
}

export interface HiddenRow {
  entity: string;
  entity_id: number;
}

/** Exactly one of the two is set. */
export type Principal = { userId: number; groupId?: undefined } | { groupId: number; userId?: undefined };

export interface GroupFields {
  name: string;
  description: string;
  is_default: boolean;
  color: string | null;
}

/**
 * Permission groups, their grants, per-user overrides and hide lists. Every write bumps `permissions_version` in
 * the same transaction, which is how each process learns that its resolved permissions are stale.
 */
export class PermissionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async version(): Promise<number> {
    const row = await this.db.selectFrom('permissions_version').select('version').where('id', '=', 1).executeTakeFirst();
    return Number(row?.version ?? 0);
  }

  private async bump(trx: Transaction<Database>): Promise<void> {
    await trx.updateTable('permissions_version').set({ version: sql`version + 1` }).where('id', '=', 1).execute();
  }

  /** Role and group changes made elsewhere (user edits) call this so resolved permissions are recomputed. */
  async bumpVersion(): Promise<void> {
    await this.db.transaction().execute((trx) => this.bump(trx));
  }

  listGroups(): Promise<PermissionGroupRow[]> {
    return this.db.selectFrom('permission_groups').selectAll().orderBy('id').execute();
  }

  findGroup(id: number): Promise<PermissionGroupRow | undefined> {
    return this.db.selectFrom('permission_groups').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findGroupByName(name: string): Promise<PermissionGroupRow | undefined> {
    return this.db.selectFrom('permission_groups').selectAll().where('name', '=', name).executeTakeFirst();
  }

  defaultGroup(): Promise<PermissionGroupRow | undefined> {
    return this.db.selectFrom('permission_groups').selectAll().where('is_default', '=', 1).orderBy('id').executeTakeFirst();
  }

  async groupGrants(groupId: number): Promise<GrantRow[]> {
    const rows = await this.db.selectFrom('permission_group_grants').select(['entity', 'action', 'own_only'])
      .where('group_id', '=', groupId).orderBy('id').execute();
    return rows.map((r) => ({ entity: r.entity, action: r.action, own_only: !!Number(r.own_only) }));
  }

  /** Members listed by their own group id; users without one follow the default group but are not counted here. */
  async groupMemberIds(groupId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('users').select('id').where('permission_group_id', '=', groupId).orderBy('id').execute();
    return rows.map((r) => Number(r.id));
  }

  /** Users whose effective group is the default one (their own id or none). */
  async defaultGroupMemberIds(groupId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('users').select('id')
      .where((eb) => eb.or([eb('permission_group_id', '=', groupId), eb('permission_group_id', 'is', null)]))
      .where('role', '!=', 'admin').orderBy('id').execute();
    return rows.map((r) => Number(r.id));
  }

  async createGroup(fields: GroupFields, grants: readonly GrantRow[], now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      if (fields.is_default) await trx.updateTable('permission_groups').set({ is_default: 0 }).execute();
      await trx.insertInto('permission_groups').values({
        name: fields.name, description: fields.description, is_default: fields.is_default ? 1 : 0, is_system: 0,
        color: fields.color, created_at: now, updated_at: now,
      }).execute();
      const row = await trx.selectFrom('permission_groups').select('id').where('name', '=', fields.name).executeTakeFirstOrThrow();
      const id = Number(row.id);
      await this.writeGrants(trx, id, grants);
      await this.bump(trx);
      return id;
    });
  }

  async updateGroup(id: number, fields: Partial<GroupFields>, grants: readonly GrantRow[] | null, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (fields.is_default === true) await trx.updateTable('permission_groups').set({ is_default: 0 }).where('id', '!=', id).execute();
      const set: Record<string, unknown> = { updated_at: now };
      if (fields.name !== undefined) set.name = fields.name;
      if (fields.description !== undefined) set.description = fields.description;
      if (fields.is_default !== undefined) set.is_default = fields.is_default ? 1 : 0;
      if (fields.color !== undefined) set.color = fields.color;
      await trx.updateTable('permission_groups').set(set).where('id', '=', id).execute();
      if (grants) {
        await trx.deleteFrom('permission_group_grants').where('group_id', '=', id).execute();
        await this.writeGrants(trx, id, grants);
      }
      await this.bump(trx);
    });
  }

  /** Members fall back to the default group. The foreign keys are not relied on: MariaDB ignores inline ones. */
  async deleteGroup(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ permission_group_id: null }).where('permission_group_id', '=', id).execute();
      await trx.deleteFrom('hidden_entities').where('group_id', '=', id).execute();
      await trx.deleteFrom('permission_group_grants').where('group_id', '=', id).execute();
      await trx.deleteFrom('permission_groups').where('id', '=', id).execute();
      await this.bump(trx);
    });
  }

  private async writeGrants(trx: Transaction<Database>, groupId: number, grants: readonly GrantRow[]): Promise<void> {
    if (grants.length === 0) return;
    await trx.insertInto('permission_group_grants')
      .values(grants.map((gr) => ({ group_id: groupId, entity: gr.entity, action: gr.action, own_only: gr.own_only ? 1 : 0 })))
      .execute();
  }

  async userOverrides(userId: number): Promise<OverrideRow[]> {
    const rows = await this.db.selectFrom('user_permission_overrides').select(['entity', 'action', 'granted', 'own_only'])
      .where('user_id', '=', userId).orderBy('id').execute();
    return rows.map((r) => ({ entity: r.entity, action: r.action, granted: !!Number(r.granted), own_only: !!Number(r.own_only) }));
  }

  async setUserGroup(userId: number, groupId: number | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ permission_group_id: groupId }).where('id', '=', userId).execute();
      await this.bump(trx);
    });
  }

  async replaceUserOverrides(userId: number, overrides: readonly OverrideRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('user_permission_overrides').where('user_id', '=', userId).execute();
      if (overrides.length) {
        await trx.insertInto('user_permission_overrides').values(overrides.map((o) => ({
          user_id: userId, entity: o.entity, action: o.action, granted: o.granted ? 1 : 0, own_only: o.own_only ? 1 : 0,
        }))).execute();
      }
      await this.bump(trx);
    });
  }

  async hiddenOf(principal: Principal): Promise<HiddenRow[]> {
    let q = this.db.selectFrom('hidden_entities').select(['entity', 'entity_id']);
    q = principal.userId !== undefined ? q.where('user_id', '=', principal.userId) : q.where('group_id', '=', principal.groupId);
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => ({ entity: r.entity, entity_id: Number(r.entity_id) }));
  }

  /** The union of a user's own hide list and their effective group's. */
  async hiddenFor(userId: number | null, groupId: number | null): Promise<HiddenSets> {
    if (userId === null && groupId === null) return { platformIds: [], romIds: [] };
    const rows = await this.db.selectFrom('hidden_entities').select(['entity', 'entity_id'])
      .where((eb) => {
        const ors = [];
        if (userId !== null) ors.push(eb('user_id', '=', userId));
        if (groupId !== null) ors.push(eb('group_id', '=', groupId));
        return eb.or(ors);
      })
      .execute();
    const platformIds = new Set<number>();
    const romIds = new Set<number>();
    for (const r of rows) (r.entity === 'platforms' ? platformIds : romIds).add(Number(r.entity_id));
    return { platformIds: [...platformIds].sort((a, b) => a - b), romIds: [...romIds].sort((a, b) => a - b) };
  }

  /** Idempotent: hiding something twice keeps one row. */
  async addHidden(entity: string, entityId: number, principal: Principal, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('hidden_entities').select('id')
        .where('entity', '=', entity).where('entity_id', '=', entityId)
        .where(principal.userId !== undefined ? 'user_id' : 'group_id', '=', principal.userId ?? principal.groupId)
        .executeTakeFirst();
      if (!existing) {
        await trx.insertInto('hidden_entities').values({
          entity, entity_id: entityId, user_id: principal.userId ?? null, group_id: principal.groupId ?? null, created_at: now,
        }).execute();
      }
      await this.bump(trx);
    });
  }

  async removeHidden(entity: string, entityId: number, principal: Principal): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('hidden_entities')
        .where('entity', '=', entity).where('entity_id', '=', entityId)
        .where(principal.userId !== undefined ? 'user_id' : 'group_id', '=', principal.userId ?? principal.groupId)
        .execute();
      await this.bump(trx);
    });
  }
}
