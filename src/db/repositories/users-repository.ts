import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from '../schema.ts';

export type UserRow = Selectable<UsersTable>;

export interface NewUser {
  username: string;
  email: string | null;
  hashed_password: string;
  role: UserRow['role'];
  permission_group_id: number | null;
}

export class UsersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countAdmins(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('id').execute();
  }

  async insert(user: NewUser, now: number): Promise<UserRow> {
    const result = await this.db
      .insertInto('users')
      .values({ ...user, enabled: 1, avatar_path: '', created_at: now, updated_at: now })
      .executeTakeFirstOrThrow();
    const id = Number(result.insertId ?? 0) || (await this.findByUsername(user.username))?.id;
    const row = id ? await this.findById(id) : undefined;
    if (!row) throw new Error('inserted user not found');
    return row;
  }

  async touchLogin(id: number, now: number): Promise<void> {
    await this.db.updateTable('users').set({ last_login: now, last_active: now }).where('id', '=', id).execute();
  }

  async touchActive(id: number, now: number): Promise<void> {
    await this.db.updateTable('users').set({ last_active: now }).where('id', '=', id).execute();
  }
}
