import type { Kysely, Updateable } from 'kysely';
import type { Database, UsersTable } from '../schema.ts';

/** Writes on existing users (edit, disable, delete); creation lives in UsersRepository. */
export class UsersAdminRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async update(id: number, changes: Updateable<UsersTable>): Promise<void> {
    await this.db.updateTable('users').set(changes).where('id', '=', id).execute();
  }

  /** Sessions, tokens, props, notes and collections go with the user (ON DELETE CASCADE). */
  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  /** Ends every web session of a user, e.g. after a password change or when disabled. */
  async endSessions(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }
}
