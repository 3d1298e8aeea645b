import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, DevicesTable } from '../schema.ts';

export type DeviceRow = Selectable<DevicesTable>;
export type NewDevice = Insertable<DevicesTable>;
export type DeviceChanges = Omit<Updateable<DevicesTable>, 'id' | 'user_id' | 'created_at'>;

/** A user's devices; every query is scoped by the owner, so one user's ids never reach another's rows. */
export class DevicesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(userId: number): Promise<DeviceRow[]> {
    return this.db.selectFrom('devices').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  }

  find(userId: number, id: string): Promise<DeviceRow | undefined> {
    return this.db.selectFrom('devices').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  }

  /** RomM's fingerprint: the same MAC address, else the same hostname on the same platform. */
  async findByFingerprint(userId: number, mac: string | null, hostname: string | null, platform: string | null): Promise<DeviceRow | undefined> {
    if (mac) {
      const byMac = await this.db.selectFrom('devices').selectAll()
        .where('user_id', '=', userId).where('mac_address', '=', mac).orderBy('created_at').executeTakeFirst();
      if (byMac) return byMac;
    }
    if (!hostname || !platform) return undefined;
    return this.db.selectFrom('devices').selectAll()
      .where('user_id', '=', userId).where('hostname', '=', hostname).where('platform', '=', platform)
      .orderBy('created_at').executeTakeFirst();
  }

  async insert(row: NewDevice): Promise<void> {
    await this.db.insertInto('devices').values(row).execute();
  }

  async update(userId: number, id: string, changes: DeviceChanges): Promise<void> {
    await this.db.updateTable('devices').set(changes).where('user_id', '=', userId).where('id', '=', id).execute();
  }

  /** Forgets which saves the device has (RomM's `reset_syncs`). */
  async clearSaveSyncs(userId: number, id: string): Promise<void> {
    const owned = await this.find(userId, id);
    if (owned) await this.db.deleteFrom('device_save_sync').where('device_id', '=', id).execute();
  }

  /**
   * Tokens bound to the device keep working, unbound, as in RomM; its play sessions and the saves it uploaded stay,
   * without a device; its save sync marks go.
   */
  async delete(userId: number, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('client_tokens').set({ device_id: null }).where('device_id', '=', id).where('user_id', '=', userId).execute();
      await trx.updateTable('play_sessions').set({ device_id: null }).where('device_id', '=', id).where('user_id', '=', userId).execute();
      await trx.deleteFrom('devices').where('user_id', '=', userId).where('id', '=', id).execute();
    });
  }
}
