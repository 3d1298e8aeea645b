import { Migrator, type Kysely, type Migration as KyselyMigration } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../helpers/engines.ts';
import { ddlFor } from '../../../src/db/ddl.ts';
import { migrateToLatest } from '../../../src/db/migrator.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { LEGACY_EDITOR_GRANTS, LEGACY_VIEWER_GRANTS } from '../../../src/auth/permissions.ts';
import { PermissionsRepository } from '../../../src/db/repositories/permissions-repository.ts';
import { UsersRepository } from '../../../src/db/repositories/users-repository.ts';
import { PermissionsResolver } from '../../../src/auth/permissions-resolver.ts';
import { EDIT_SCOPES, FULL_SCOPES, WRITE_SCOPES } from '../../../src/auth/scopes.ts';

describeEachEngine('migration 0720: viewer/editor/admin become RomM 5 roles and legacy groups', (ctx) => {
  it('keeps every user\'s rights exactly, through the legacy groups', async () => {
    const { db } = ctx();
    const before = MIGRATIONS.slice(0, MIGRATIONS.findIndex(([name]) => name === '0720-permissions'));
    const provider = {
      getMigrations: async (): Promise<Record<string, KyselyMigration>> => Object.fromEntries(
        before.map(([name, m]) => [name, { up: (k: Kysely<unknown>) => m.up(k, ddlFor(k, db.engine)) }]),
      ),
    };
    // Without its schema, Kysely finds another test schema's lock table and skips creating this one.
    const partial = await new Migrator({ db: db.kysely, provider, ...(db.schema ? { migrationTableSchema: db.schema } : {}) }).migrateToLatest();
    expect(partial.error).toBeUndefined();

    const k = db.kysely as unknown as Kysely<{ users: Record<string, unknown> }>;
    const now = Date.now();
    for (const [username, role] of [['ada', 'admin'], ['ed', 'editor'], ['vi', 'viewer'], ['vo', 'viewer']] as const) {
      await k.insertInto('users').values({ username, role, hashed_password: 'x', enabled: 1, avatar_path: '', created_at: now, updated_at: now }).execute();
    }
    await migrateToLatest(db);

    const kd = db.kysely;
    const users = await kd.selectFrom('users').select(['username', 'role', 'permission_group_id']).orderBy('username').execute();
    const groups = await kd.selectFrom('permission_groups').selectAll().orderBy('id').execute();
    expect(groups.map((g) => [g.name, Number(g.is_default), Number(g.is_system)])).toEqual([
      ['Viewer (legacy)', 1, 1], ['Editor (legacy)', 0, 1],
    ]);
    const [viewers, editors] = groups.map((g) => g.id);
    expect(users).toEqual([
      { username: 'ada', role: 'admin', permission_group_id: null },
      { username: 'ed', role: 'user', permission_group_id: editors },
      { username: 'vi', role: 'user', permission_group_id: viewers },
      { username: 'vo', role: 'user', permission_group_id: viewers },
    ]);

    // The seeded matrices are the catalogue's legacy grants, and they project to the old roles' scopes.
    const repo = new PermissionsRepository(kd);
    const asTuples = (gs: ReadonlyArray<{ entity: string; action: string; ownOnly?: boolean; own_only?: boolean }>) =>
      gs.map((g) => `${g.entity}.${g.action}${(g.ownOnly ?? g.own_only) ? ':own' : ''}`).sort();
    expect(asTuples(await repo.groupGrants(viewers!))).toEqual(asTuples(LEGACY_VIEWER_GRANTS));
    expect(asTuples(await repo.groupGrants(editors!))).toEqual(asTuples(LEGACY_EDITOR_GRANTS));

    const resolver = new PermissionsResolver(repo, new UsersRepository(kd));
    const scopesOf = async (username: string) => {
      const u = await new UsersRepository(kd).findByUsername(username);
      return (await resolver.forUser(u!)).scopes;
    };
    expect(await scopesOf('ada')).toEqual([...FULL_SCOPES]);
    expect(await scopesOf('ed')).toEqual([...EDIT_SCOPES]);
    expect(await scopesOf('vi')).toEqual([...WRITE_SCOPES]);
  });
}, { migrate: false });
