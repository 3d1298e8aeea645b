import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError, notFound } from '../../common/errors.ts';
import { isoFromMs, isoOrNull, nowMs } from '../../common/time.ts';
import type { DeviceCreatePayload, DeviceCreateResponse, DeviceSchema, DeviceUpdatePayload, SyncMode } from '../../contract/devices.ts';
import type { DeviceChanges, DeviceRow, DevicesRepository } from '../../db/repositories/devices-repository.ts';

/** Secrets a sync configuration may hold; they never leave the server. */
const MASKED_KEYS = new Set(['ssh_password', 'ssh_key_path']);
const MASK = '********';

export interface DevicesOptions {
  /** `<DATA_PATH>/sync`: file-transfer devices get `<id>/incoming` and `<id>/outgoing` here. */
  syncRoot: string;
}

/** RomM's `/api/devices`: a user's registered devices, deduplicated by network fingerprint. */
export class DevicesService {
  constructor(private readonly repo: DevicesRepository, private readonly options: DevicesOptions) {}

  async list(userId: number): Promise<DeviceSchema[]> {
    return (await this.repo.list(userId)).map(toDeviceSchema);
  }

  async get(userId: number, id: string): Promise<DeviceSchema> {
    return toDeviceSchema(await this.rowOr404(userId, id));
  }

  /** 201 and a new device, or 200 and the existing one with the same fingerprint (unchanged, as in RomM). */
  async register(userId: number, body: DeviceCreatePayload): Promise<{ created: boolean; device: DeviceCreateResponse }> {
    const allowDuplicate = body.allow_duplicate ?? false;
    const allowExisting = allowDuplicate ? false : (body.allow_existing ?? true);
    if (!allowDuplicate) {
      const existing = await this.repo.findByFingerprint(userId, body.mac_address ?? null, body.hostname ?? null, body.platform ?? null);
      if (existing) {
        if (!allowExisting) {
          throw new AppError(409, 'A device with this fingerprint already exists', {}, {
            error: 'device_exists', message: 'A device with this fingerprint already exists', device_id: existing.id,
          });
        }
        if (body.reset_syncs) await this.repo.clearSaveSyncs(userId, existing.id);
        await this.repo.update(userId, existing.id, { last_seen: nowMs() });
        return { created: false, device: { device_id: existing.id, name: existing.name, created_at: isoFromMs(Number(existing.created_at)) } };
      }
    }
    const now = nowMs();
    const id = randomUUID();
    const syncMode: SyncMode = body.sync_mode ?? 'api';
    await this.repo.insert({
      id, user_id: userId, name: body.name ?? null, platform: body.platform ?? null, client: body.client ?? null,
      client_version: body.client_version ?? null, ip_address: body.ip_address ?? null, mac_address: body.mac_address ?? null,
      hostname: body.hostname ?? null, client_device_identifier: null, sync_mode: syncMode,
      sync_config: body.sync_config ? JSON.stringify(body.sync_config) : null, last_seen: now, created_at: now, updated_at: now,
    });
    if (syncMode === 'file_transfer') await this.ensureSyncFolders(id);
    return { created: true, device: { device_id: id, name: body.name ?? null, created_at: isoFromMs(now) } };
  }

  /** Only the keys present in the body are written; an explicit null clears a text field. */
  async update(userId: number, id: string, body: DeviceUpdatePayload): Promise<DeviceSchema> {
    const row = await this.rowOr404(userId, id);
    const changes: DeviceChanges = {};
    for (const key of ['name', 'platform', 'client', 'client_version', 'ip_address', 'mac_address', 'hostname'] as const) {
      if (key in body) changes[key] = body[key] ?? null;
    }
    if (body.sync_enabled !== undefined) changes.sync_enabled = body.sync_enabled ? 1 : 0;
    if (body.sync_mode !== undefined) changes.sync_mode = body.sync_mode;
    if ('sync_config' in body) changes.sync_config = body.sync_config ? JSON.stringify(body.sync_config) : null;
    if (Object.keys(changes).length > 0) {
      await this.repo.update(userId, id, { ...changes, updated_at: nowMs() });
      if (body.sync_mode === 'file_transfer' && row.sync_mode !== 'file_transfer') await this.ensureSyncFolders(id);
    }
    return toDeviceSchema(await this.rowOr404(userId, id));
  }

  async delete(userId: number, id: string): Promise<void> {
    await this.rowOr404(userId, id);
    await this.repo.delete(userId, id);
  }

  private async rowOr404(userId: number, id: string): Promise<DeviceRow> {
    const row = await this.repo.find(userId, id);
    if (!row) throw notFound(`Device with ID ${id} not found`);
    return row;
  }

  private async ensureSyncFolders(id: string): Promise<void> {
    for (const sub of ['incoming', 'outgoing']) await mkdir(path.join(this.options.syncRoot, id, sub), { recursive: true });
  }
}

export function toDeviceSchema(row: DeviceRow): DeviceSchema {
  return {
    id: row.id,
    user_id: Number(row.user_id),
    name: row.name,
    platform: row.platform,
    client: row.client,
    client_version: row.client_version,
    ip_address: row.ip_address,
    mac_address: row.mac_address,
    hostname: row.hostname,
    client_device_identifier: row.client_device_identifier,
    sync_mode: row.sync_mode as SyncMode,
    sync_enabled: !!Number(row.sync_enabled),
    sync_config: maskConfig(row.sync_config),
    last_seen: isoOrNull(row.last_seen === null ? null : Number(row.last_seen)),
    created_at: isoFromMs(Number(row.created_at)),
    updated_at: isoFromMs(Number(row.updated_at)),
  };
}

function maskConfig(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, MASKED_KEYS.has(k) && v ? MASK : v]));
}
