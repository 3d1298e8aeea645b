import { sql, type Kysely, type Updateable } from 'kysely';
import type { Database, UsersTable } from '../schema.ts';

/** Writes on existing users (edit, disable, delete); creation lives in UsersRepository. */
export class UsersAdminRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** A role or group change also bumps `permissions_version`, so every process re-resolves the user's rights. */
  async update(id: number, changes: Updateable<UsersTable>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set(changes).where('id', '=', id).execute();
      if (changes.role !== undefined || changes.permission_group_id !== undefined) {
        await trx.updateTable('permissions_version').set({ version: sql`version + 1` }).where('id', '=', 1).execute();
      }
    });
  }

  /**
   * Applies the changes and, in the same transaction, ends every credential the server issued to the user: the
   * token generation moves on (access and refresh tokens carrying the old one are refused), sessions and refresh
   * token ids are deleted. Client API tokens are device credentials and stay until revoked.
   */
  async updateAndRevoke(id: number, changes: Updateable<UsersTable>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users')
        .set({ ...changes, token_generation: sql<number>`token_generation + 1` })
        .where('id', '=', id)
        .execute();
      if (changes.role !== undefined || changes.permission_group_id !== undefined) {
        await trx.updateTable('permissions_version').set({ version: sql`version + 1` }).where('id', '=', 1).execute();
      }
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await trx.deleteFrom('refresh_tokens').where('user_id', '=', id).execute();
    });
  }

  /** Sessions, tokens, props, notes and collections go with the user (ON DELETE CASCADE). */
  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }
}
