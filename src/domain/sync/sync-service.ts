import { badRequest, notFound } from '../../common/errors.ts';
import { isoFromMs, nowMs } from '../../common/time.ts';
import { parseIsoDateTime } from '../../contract/query.ts';
import type {
  ClientSaveState, SyncAction, SyncCompletePayload, SyncCompleteResponse, SyncNegotiatePayload, SyncNegotiateResponse,
  SyncOperationSchema, SyncSessionSchema, SyncSessionsQuery,
} from '../../contract/sync.ts';
import type { DevicesRepository } from '../../db/repositories/devices-repository.ts';
import type { SlottedSave, SyncSessionRow, SyncSessionsRepository } from '../../db/repositories/sync-sessions-repository.ts';
import { bodyError, bodyTime, type IngestEntry, type PlaySessionsService } from '../play-sessions/play-sessions-service.ts';
import type { RomVisibility } from '../roms/visibility.ts';
import { compareSaveState } from './comparison.ts';
import type { PushPullSync } from './push-pull.ts';

export { compareSaveState, type Comparison } from './comparison.ts';

/** A client save's `updated_at` in epoch ms, sub-millisecond digits dropped; pydantic's datetime inputs, else 422. */
function clientTime(value: string, index: number): number {
  const unix = /^-?\d{1,15}(\.\d+)?$/.test(value.trim()) ? Number(value) : null;
  const ms = unix !== null ? (Math.abs(unix) > 2e10 ? unix : unix * 1000) : parseIsoDateTime(value);
  if (ms === null || !Number.isFinite(ms)) {
    throw bodyError(['saves', index, 'updated_at'], 'datetime_from_date_parsing', 'Input should be a valid datetime', value);
  }
  return Math.floor(ms);
}

export function toSyncSessionSchema(r: SyncSessionRow): SyncSessionSchema {
  return {
    id: r.id, device_id: r.device_id, user_id: r.user_id, status: r.status, initiated_at: isoFromMs(r.initiated_at),
    completed_at: r.completed_at === null ? null : isoFromMs(r.completed_at), operations_planned: r.operations_planned,
    operations_completed: r.operations_completed, operations_failed: r.operations_failed, error_message: r.error_message,
    created_at: isoFromMs(r.created_at), updated_at: isoFromMs(r.updated_at),
  };
}

const deviceNotFound = (id: string) => notFound(`Device with ID ${id} not found`);
const sessionNotFound = (id: number) => notFound(`Sync session with ID ${id} not found`);

function serverOp(action: SyncAction, reason: string, save: SlottedSave): SyncOperationSchema {
  return {
    action, rom_id: save.rom_id, save_id: save.id, file_name: save.file_name, slot: save.slot, emulator: save.emulator, reason,
    server_updated_at: isoFromMs(save.updated_at), server_content_hash: save.content_hash,
  };
}

/**
 * RomM 5's save sync (`/api/sync/*`): a device sends what it has, the server answers what to upload, download or
 * resolve per (rom, slot), and the session records the outcome. Negotiation only reads saves and sync marks; the
 * transfers go through the saves routes (or, for file-transfer and push-pull devices, through the transports), which keep every replaced content as a version and refuse (409) an upload
 * from a device over a save it has not seen.
 */
export class SyncService {
  constructor(
    private readonly repo: SyncSessionsRepository,
    private readonly devices: DevicesRepository,
    private readonly playSessions: Pick<PlaySessionsService, 'ingest'>,
    private readonly visibility: Pick<RomVisibility, 'dropHidden'>,
    private readonly pushPullRunner: Pick<PushPullSync, 'start'>,
    private readonly now: () => number = nowMs,
  ) {}

  async negotiate(userId: number, body: SyncNegotiatePayload, tokenDeviceId: string | undefined): Promise<SyncNegotiateResponse> {
    const deviceId = body.device_id || tokenDeviceId;
    if (!deviceId) {
      throw badRequest('device_id is required (either in the request payload or implicit via a device-bound client token)');
    }
    // Validate every entry before anything is written.
    const clientTimes = body.saves.map((s, i) => clientTime(s.updated_at, i));
    const device = await this.devices.find(userId, deviceId);
    if (!device) throw deviceNotFound(deviceId);
    if (!Number(device.sync_enabled)) throw badRequest('Sync is disabled for this device');

    const now = this.now();
    await this.repo.cancelActive(userId, device.id, now);
    const session = await this.repo.create(userId, device.id, now);

    // Newest row per (rom, slot); older rows of a slot are its history and never offered. Ties keep the first row.
    // Saves of ROMs hidden from the user are left out, as the saves routes leave them out (their content is a 404).
    const slotted = await this.repo.slottedSaves(userId);
    const visible = new Set(await this.visibility.dropHidden([...new Set(slotted.map((s) => s.rom_id))], userId));
    const newest = new Map<string, SlottedSave>();
    for (const save of slotted.filter((s) => visible.has(s.rom_id))) {
      const key = JSON.stringify([save.rom_id, save.slot]);
      const current = newest.get(key);
      if (!current || save.updated_at > current.updated_at) newest.set(key, save);
    }
    const marks = await this.repo.syncMarks(userId, device.id);
    const matched = new Set<number>();
    const operations: SyncOperationSchema[] = [];

    body.saves.forEach((client: ClientSaveState, i) => {
      const slot = client.slot ?? null;
      const server = slot === null ? undefined : newest.get(JSON.stringify([client.rom_id, slot]));
      if (!server) {
        operations.push({
          action: 'upload', rom_id: client.rom_id, save_id: null, file_name: client.file_name, slot, emulator: client.emulator ?? null,
          reason: 'Save exists on client but not on server', server_updated_at: null, server_content_hash: null,
        });
        return;
      }
      matched.add(server.id);
      const mark = marks.get(server.id);
      if (mark?.is_untracked) {
        operations.push({ ...serverOp('no_op', 'Save is untracked on this device', server), server_updated_at: null, server_content_hash: null });
        return;
      }
      const result = compareSaveState(client.content_hash ?? null, clientTimes[i]!, server.content_hash, server.updated_at, mark?.last_synced_at ?? null);
      operations.push(serverOp(result.action, result.reason, server));
    });

    for (const save of newest.values()) {
      if (matched.has(save.id)) continue;
      const mark = marks.get(save.id);
      if (mark?.is_untracked) continue;
      if (mark) {
        // Synced before and unchanged since: the client deleted it on purpose.
        if (save.updated_at <= mark.last_synced_at) continue;
        operations.push(serverOp('download', 'Server save updated since last sync, not present on client', save));
      } else {
        operations.push(serverOp('download', 'Save exists on server but not on client', save));
      }
    }

    const count = (a: SyncAction) => operations.filter((o) => o.action === a).length;
    const totals = { total_upload: count('upload'), total_download: count('download'), total_conflict: count('conflict'), total_no_op: count('no_op') };
    await this.repo.start(userId, session.id, totals.total_upload + totals.total_download + totals.total_conflict, now);
    await this.devices.update(userId, device.id, { last_seen: now });
    return { session_id: session.id, operations, ...totals };
  }

  async complete(userId: number, sessionId: number, body: SyncCompletePayload): Promise<SyncCompleteResponse> {
    const entries = (body.play_sessions ?? []).map((s, i): IngestEntry => {
      const start = bodyTime(s.start_time, ['play_sessions', i, 'start_time']);
      const end = bodyTime(s.end_time, ['play_sessions', i, 'end_time']);
      if (end <= start) throw bodyError(['play_sessions', i], 'value_error', 'Value error, end_time must be after start_time', s);
      return { rom_id: s.rom_id ?? null, save_slot: s.save_slot ?? null, start_time: start, end_time: end, duration_ms: s.duration_ms };
    });
    const session = await this.repo.find(userId, sessionId);
    if (!session) throw sessionNotFound(sessionId);
    if (session.status !== 'PENDING' && session.status !== 'IN_PROGRESS') throw badRequest(`Session is already ${session.status}`);
    const done = await this.repo.complete(userId, sessionId, body.operations_completed ?? 0, body.operations_failed ?? 0, this.now());
    const after = await this.repo.find(userId, sessionId);
    if (!after) throw sessionNotFound(sessionId);
    // Another negotiate or complete for the device got there first.
    if (!done) throw badRequest(`Session is already ${after.status}`);
    const ingest = entries.length > 0 ? await this.playSessions.ingest(userId, entries, after.device_id, after.id) : null;
    return { session: toSyncSessionSchema(after), play_session_ingest: ingest };
  }

  async list(userId: number, q: SyncSessionsQuery): Promise<SyncSessionSchema[]> {
    return (await this.repo.list(userId, q.device_id, q.limit)).map(toSyncSessionSchema);
  }

  async get(userId: number, sessionId: number): Promise<SyncSessionSchema> {
    const session = await this.repo.find(userId, sessionId);
    if (!session) throw sessionNotFound(sessionId);
    return toSyncSessionSchema(session);
  }

  /**
   * RomM's manual push-pull trigger: after RomM's checks, a new (pending) session is returned at once and the sync
   * runs in the background, reporting through the session and the `sync:*` socket events.
   */
  async pushPull(userId: number, deviceId: string): Promise<SyncSessionSchema> {
    const device = await this.devices.find(userId, deviceId);
    if (!device) throw deviceNotFound(deviceId);
    if (device.sync_mode !== 'push_pull') throw badRequest('Device is not in push_pull sync mode');
    if (!Number(device.sync_enabled)) throw badRequest('Sync is disabled for this device');
    const transport = await this.repo.transportDevice(device.id);
    if (!transport) throw deviceNotFound(deviceId);
    const session = await this.repo.create(userId, device.id, this.now());
    this.pushPullRunner.start(transport, session.id);
    return toSyncSessionSchema(session);
  }
}
