import type { Kysely, Selectable } from 'kysely';
import type { ClientTokensTable, Database } from '../schema.ts';

export type ClientTokenRow = Selectable<ClientTokensTable>;

/** Sessions, refresh-token ids and client API tokens: every credential the server issues. */
export class AuthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async createSession(id: string, userId: number, expiresAt: number, now: number, tokenGeneration: number): Promise<void> {
    await this.db.insertInto('sessions')
      .values({ id, user_id: userId, expires_at: expiresAt, created_at: now, token_generation: tokenGeneration })
      .execute();
  }

  findSession(id: string) {
    return this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteExpired(now: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
    await this.db.deleteFrom('refresh_tokens').where('expires_at', '<', now).execute();
  }

  async recordRefreshToken(jti: string, userId: number, expiresAt: number, now: number): Promise<void> {
    await this.db.insertInto('refresh_tokens').values({ jti, user_id: userId, expires_at: expiresAt, created_at: now }).execute();
  }

  /** Deletes the jti; true only for the one caller that deleted it (single use even under races). */
  async consumeRefreshToken(jti: string, now: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('refresh_tokens')
      .where('jti', '=', jti)
      .where('expires_at', '>=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async insertClientToken(values: Omit<ClientTokenRow, 'id'>): Promise<ClientTokenRow> {
    await this.db.insertInto('client_tokens').values(values).execute();
    return this.db
      .selectFrom('client_tokens')
      .selectAll()
      .where('hashed_token', '=', values.hashed_token)
      .executeTakeFirstOrThrow();
  }

  findClientTokenByHash(hash: string) {
    return this.db.selectFrom('client_tokens').selectAll().where('hashed_token', '=', hash).executeTakeFirst();
  }

  findClientToken(id: number) {
    return this.db.selectFrom('client_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listClientTokens(userId: number) {
    return this.db.selectFrom('client_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  }

  listAllClientTokens() {
    return this.db
      .selectFrom('client_tokens')
      .innerJoin('users', 'users.id', 'client_tokens.user_id')
      .selectAll('client_tokens')
      .select(['users.username', 'users.avatar_path as user_avatar_path', 'users.updated_at as user_updated_at'])
      .orderBy('client_tokens.id')
      .execute();
  }

  async countClientTokens(userId: number): Promise<number> {
    const row = await this.db
      .selectFrom('client_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async deleteClientToken(id: number): Promise<void> {
    await this.db.deleteFrom('client_tokens').where('id', '=', id).execute();
  }

  async updateClientTokenHash(id: number, hash: string, now: number): Promise<void> {
    await this.db.updateTable('client_tokens').set({ hashed_token: hash, updated_at: now }).where('id', '=', id).execute();
  }

  async touchClientToken(id: number, now: number): Promise<void> {
    await this.db.updateTable('client_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  /** A device-bound token was used: the device's `last_seen`, at most one write per `minIntervalMs` (RomM: 5 min). */
  async touchDevice(deviceId: string, now: number, minIntervalMs: number): Promise<void> {
    await this.db.updateTable('devices').set({ last_seen: now })
      .where('id', '=', deviceId)
      .where((eb) => eb.or([eb('last_seen', 'is', null), eb('last_seen', '<', now - minIntervalMs)]))
      .execute();
  }
}
