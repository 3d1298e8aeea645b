import type { Kysely, Selectable } from 'kysely';
import type { ClientTokensTable, Database, DeviceCodesTable, DevicesTable } from '../schema.ts';

export type DeviceCodeRow = Selectable<DeviceCodesTable>;
export type NewDeviceCode = Omit<DeviceCodeRow, 'status' | 'client_token_id' | 'last_poll_at'>;

/** What an approval writes: the device (reused when this user already has one with the same identifier) and token. */
export interface DeviceApproval {
  userId: number;
  userCode: string;
  now: number;
  /** A fresh device row, used only when no device of the user has the same `client_device_identifier`. */
  device: Pick<Selectable<DevicesTable>, 'id' | 'client' | 'platform' | 'client_version' | 'sync_mode'> & {
    name: string;
    client_device_identifier: string;
  };
  token: Omit<Selectable<ClientTokensTable>, 'id' | 'user_id' | 'device_id' | 'name'>;
}

/**
 * Device-code authorization requests and the devices they sign in. Every state change is one conditional statement
 * (or one transaction), so two processes, or two racing polls, never both win.
 */
export class DeviceCodeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: NewDeviceCode): Promise<void> {
    await this.db.insertInto('device_codes').values({ ...row, status: 'pending', client_token_id: null, last_poll_at: null }).execute();
  }

  userCodeTaken(userCode: string): Promise<{ user_code: string } | undefined> {
    return this.db.selectFrom('device_codes').select('user_code').where('user_code', '=', userCode).executeTakeFirst();
  }

  /** A live (unexpired) request by its user code. */
  findLiveByUserCode(userCode: string, now: number): Promise<DeviceCodeRow | undefined> {
    return this.db.selectFrom('device_codes').selectAll()
      .where('user_code', '=', userCode).where('expires_at', '>', now).executeTakeFirst();
  }

  findLiveByHash(hash: string, now: number): Promise<DeviceCodeRow | undefined> {
    return this.db.selectFrom('device_codes').selectAll()
      .where('device_code_hash', '=', hash).where('expires_at', '>', now).executeTakeFirst();
  }

  /**
   * Records a pending poll. Returns false when the previous poll was less than `intervalMs` ago (slow down); the
   * time is recorded either way, as RomM does.
   */
  async recordPoll(hash: string, now: number, intervalMs: number): Promise<boolean> {
    const row = await this.db.selectFrom('device_codes').select('last_poll_at')
      .where('device_code_hash', '=', hash).executeTakeFirst();
    await this.db.updateTable('device_codes').set({ last_poll_at: now }).where('device_code_hash', '=', hash).execute();
    const last = row?.last_poll_at == null ? null : Number(row.last_poll_at);
    return last === null || now - last >= intervalMs;
  }

  /** Takes an approved request (one-shot): returns its token id, or null when another poll took it first. */
  async takeApproved(hash: string): Promise<number | null> {
    const row = await this.db.selectFrom('device_codes').select('client_token_id')
      .where('device_code_hash', '=', hash).where('status', '=', 'approved').executeTakeFirst();
    if (!row || row.client_token_id === null) return null;
    const res = await this.db.deleteFrom('device_codes')
      .where('device_code_hash', '=', hash).where('status', '=', 'approved').executeTakeFirst();
    return Number(res.numDeletedRows) === 1 ? Number(row.client_token_id) : null;
  }

  /** Marks a pending request denied for `keepMs` more, so the device learns it. False when it was not pending. */
  async deny(userCode: string, now: number, keepMs: number): Promise<boolean> {
    const res = await this.db.updateTable('device_codes')
      .set({ status: 'denied', expires_at: now + keepMs })
      .where('user_code', '=', userCode).where('status', '=', 'pending').where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /**
   * In one transaction: claims the pending request, finds or creates the device, and creates its client token.
   * Returns the device, or null when the request was no longer pending.
   */
  async approve(a: DeviceApproval): Promise<{ id: string; name: string } | null> {
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx.updateTable('device_codes').set({ status: 'approved' })
        .where('user_code', '=', a.userCode).where('status', '=', 'pending').where('expires_at', '>', a.now)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return null;

      const existing = await trx.selectFrom('devices').select(['id'])
        .where('user_id', '=', a.userId).where('client_device_identifier', '=', a.device.client_device_identifier)
        .orderBy('created_at').executeTakeFirst();
      let device: { id: string; name: string };
      if (existing) {
        await trx.updateTable('devices')
          .set({
            name: a.device.name, last_seen: a.now, updated_at: a.now,
            ...(a.device.client_version !== null ? { client_version: a.device.client_version } : {}),
          })
          .where('id', '=', existing.id).execute();
        device = { id: existing.id, name: a.device.name };
      } else {
        await trx.insertInto('devices')
          .values({ ...a.device, user_id: a.userId, last_seen: a.now, created_at: a.now, updated_at: a.now }).execute();
        device = { id: a.device.id, name: a.device.name };
      }

      await trx.insertInto('client_tokens')
        .values({ ...a.token, user_id: a.userId, name: device.name, device_id: device.id }).execute();
      const token = await trx.selectFrom('client_tokens').select('id')
        .where('hashed_token', '=', a.token.hashed_token).executeTakeFirstOrThrow();
      await trx.updateTable('device_codes').set({ client_token_id: token.id }).where('user_code', '=', a.userCode).execute();
      return device;
    });
  }

  /** Drops requests that have run out. */
  async purgeExpired(now: number): Promise<void> {
    await this.db.deleteFrom('device_codes').where('expires_at', '<=', now).execute();
  }
}
