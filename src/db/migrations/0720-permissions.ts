import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * RomM 5's permission model: roles narrow to `user`/`admin`; what a `user` may do comes from a permission group
 * (plus per-user overrides), and platforms or ROMs can be hidden from a user or a whole group. Two system groups
 * reproduce the old roles exactly, and every viewer and editor is placed in the matching one, so nobody gains or
 * loses a right on upgrade. `permissions_version` is bumped by every permission write so each process can keep
 * resolved permissions in memory and notice changes made by another process.
 */

// Frozen copy of the legacy grant matrix (entity, action, own_only); a unit test keeps it equal to the catalogue.
const VIEWER_GRANTS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['roms', 'read', false],
  ['platforms', 'read', false],
  ['firmware', 'read', false],
  ['collections', 'read', false],
  ['collections', 'write', true],
  ['collections', 'delete', true],
  ['playlists', 'read', false],
  ['playlists', 'write', true],
  ['playlists', 'delete', true],
  ['assets', 'read', false],
  ['assets', 'write', true],
  ['assets', 'delete', true],
  ['devices', 'read', true],
  ['devices', 'write', true],
  ['devices', 'delete', true],
];
const EDITOR_GRANTS: ReadonlyArray<readonly [string, string, boolean]> = [
  ...VIEWER_GRANTS,
  ['roms', 'write', false],
  ['roms', 'delete', false],
  ['platforms', 'write', false],
  ['platforms', 'delete', false],
  ['firmware', 'write', false],
  ['firmware', 'delete', false],
];

export const LEGACY_GROUPS = [
  {
    name: 'Viewer (legacy)',
    description: 'Browse and download the library; manage their own collections, saves and devices.',
    color: '#3b82f6',
    isDefault: true,
    role: 'viewer',
    grants: VIEWER_GRANTS,
  },
  {
    name: 'Editor (legacy)',
    description: 'Everything a viewer can do, plus edit, match and delete ROMs, platforms and firmware.',
    color: '#f59e0b',
    isDefault: false,
    role: 'editor',
    grants: EDITOR_GRANTS,
  },
] as const;

export const migration: Migration = {
  async up(db, d) {
    await d.id(d.createTable('permission_groups'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('description', 'varchar(1000)', (c) => c.notNull().defaultTo(''))
      .addColumn('is_default', 'smallint', d.bool)
      .addColumn('is_system', 'smallint', d.bool)
      .addColumn('color', 'varchar(9)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await d.id(d.createTable('permission_group_grants'))
      .addColumn('group_id', 'integer', (c) => c.notNull().references('permission_groups.id').onDelete('cascade'))
      .addColumn('entity', 'varchar(20)', (c) => c.notNull())
      .addColumn('action', 'varchar(10)', (c) => c.notNull())
      .addColumn('own_only', 'smallint', d.bool)
      .addUniqueConstraint('uq_group_grant', ['group_id', 'entity', 'action'])
      .execute();

    await d.id(d.createTable('user_permission_overrides'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('entity', 'varchar(20)', (c) => c.notNull())
      .addColumn('action', 'varchar(10)', (c) => c.notNull())
      .addColumn('granted', 'smallint', (c) => c.notNull())
      .addColumn('own_only', 'smallint', d.bool)
      .addUniqueConstraint('uq_user_override', ['user_id', 'entity', 'action'])
      .execute();

    // Exactly one of user_id / group_id is set: the service checks it, and each principal has its own index.
    await d.id(d.createTable('hidden_entities'))
      .addColumn('entity', 'varchar(20)', (c) => c.notNull())
      .addColumn('entity_id', 'integer', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('group_id', 'integer', (c) => c.references('permission_groups.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_hidden_user').on('hidden_entities').columns(['user_id', 'entity']).execute();
    await db.schema.createIndex('idx_hidden_group').on('hidden_entities').columns(['group_id', 'entity']).execute();

    await d.createTable('permissions_version')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
    await db.insertInto('permissions_version' as never).values({ id: 1, version: 1 }).execute();

    await db.schema.alterTable('users').addColumn('permission_group_id', 'integer').execute();
    await db.schema.createIndex('idx_users_permission_group').on('users').column('permission_group_id').execute();

    const now = Date.now();
    for (const group of LEGACY_GROUPS) {
      await db.insertInto('permission_groups' as never).values({
        name: group.name, description: group.description, is_default: group.isDefault ? 1 : 0, is_system: 1,
        color: group.color, created_at: now, updated_at: now,
      }).execute();
      const { rows } = await sql<{ id: number }>`select id from permission_groups where name = ${group.name}`.execute(db);
      const groupId = Number(rows[0]?.id);
      for (const [entity, action, ownOnly] of group.grants) {
        await db.insertInto('permission_group_grants' as never)
          .values({ group_id: groupId, entity, action, own_only: ownOnly ? 1 : 0 }).execute();
      }
      // Assign by the old role while it is still stored, then narrow the role itself.
      await sql`update users set permission_group_id = ${groupId}, role = 'user' where role = ${group.role}`.execute(db);
    }
  },
};
