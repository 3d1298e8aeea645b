import { badRequest, notFound } from '../../common/errors.ts';
import { isoFromMs, nowMs } from '../../common/time.ts';
import type {
  PlaySessionIngestPayload, PlaySessionIngestResponse, PlaySessionIngestResult, PlaySessionQuery, PlaySessionSchema,
} from '../../contract/play-sessions.ts';
import { parseIsoDateTime, parseQueryDateTime } from '../../contract/query.ts';
import type { DevicesRepository } from '../../db/repositories/devices-repository.ts';
import type { PlaySessionRow, PlaySessionsRepository } from '../../db/repositories/play-sessions-repository.ts';
import type { RomUserRepository } from '../../db/repositories/rom-user-repository.ts';
import type { RomVisibility } from '../roms/visibility.ts';

/** RomM's batch cap. */
export const MAX_BATCH_SIZE = 100;
/** An end time later than now plus this is refused, per entry, as RomM does. */
const MAX_FUTURE_MS = 5 * 60_000;
/** Both times lose their fractions, so the wall time may shrink by up to a second against a client's own count. */
const DURATION_SLACK_MS = 1000;

export interface IngestEntry {
  rom_id: number | null;
  save_slot: string | null;
  /** Epoch ms, whole seconds. */
  start_time: number;
  end_time: number;
  duration_ms: number;
}

/** FastAPI's 422 body for a check the JSON schema cannot express; `loc` after "body". */
export function bodyError(path: (string | number)[], type: string, msg: string, input: unknown): Error {
  return Object.assign(new Error(msg), {
    statusCode: 422,
    validationContext: 'body',
    validation: [{ keyword: type, instancePath: `/${path.join('/')}`, message: msg, params: { input } }],
  });
}

/**
 * Epoch ms of a body datetime, fractions dropped (RomM truncates microseconds); a 422 when it is not one. Like
 * pydantic, a number is a Unix time in seconds, or in milliseconds when it is larger than 2e10.
 */
export function bodyTime(value: string, path: (string | number)[]): number {
  const ms = /^\d{1,15}(\.\d+)?$/.test(value) ? unixMs(Number(value)) : parseIsoDateTime(value);
  if (ms === null) throw bodyError(path, 'datetime_from_date_parsing', 'Input should be a valid datetime', value);
  return Math.floor(ms / 1000) * 1000;
}

function unixMs(n: number): number {
  return n > 2e10 ? n : n * 1000;
}

/**
 * RomM 5's play sessions: devices report finished stretches of play in batches; each one is checked, deduplicated on
 * (user, device, rom, start) and stored, and the newest one per ROM moves the user's `last_played`.
 */
export class PlaySessionsService {
  constructor(
    private readonly repo: PlaySessionsRepository,
    private readonly devices: DevicesRepository,
    private readonly romUsers: RomUserRepository,
    private readonly visibility: RomVisibility,
  ) {}

  /** The route's body: 400 for an empty or oversized batch, 422 for bad datetimes or an end not after its start. */
  async ingestPayload(userId: number, body: PlaySessionIngestPayload, tokenDeviceId: string | undefined): Promise<PlaySessionIngestResponse> {
    if (body.sessions.length === 0) throw badRequest('Payload must contain at least one session');
    if (body.sessions.length > MAX_BATCH_SIZE) throw badRequest(`Batch size exceeds maximum of ${MAX_BATCH_SIZE}`);
    const entries = body.sessions.map((s, i): IngestEntry => {
      const start = bodyTime(s.start_time, ['sessions', i, 'start_time']);
      const end = bodyTime(s.end_time, ['sessions', i, 'end_time']);
      if (end <= start) throw bodyError(['sessions', i], 'value_error', 'Value error, end_time must be after start_time', s);
      return { rom_id: s.rom_id ?? null, save_slot: s.save_slot ?? null, start_time: start, end_time: end, duration_ms: s.duration_ms };
    });
    return this.ingest(userId, entries, body.device_id || tokenDeviceId || null);
  }

  /**
   * RomM's `ingest_play_sessions`, also for sync: an unknown (or another user's) device becomes null, an unknown or
   * hidden ROM id becomes null; results are grouped errors, duplicates, then created, as RomM lists them.
   */
  async ingest(userId: number, entries: IngestEntry[], deviceId: string | null, syncSessionId: number | null = null): Promise<PlaySessionIngestResponse> {
    const now = nowMs();
    const device = deviceId === null ? undefined : await this.devices.find(userId, deviceId);
    const resolvedDevice = device ? device.id : null;

    const candidates = [...new Set(entries.map((e) => e.rom_id).filter((id): id is number => id !== null))];
    const existing = await this.repo.existingRomIds(candidates);
    const visible = new Set(await this.visibility.dropHidden([...existing], userId));

    const errors: PlaySessionIngestResult[] = [];
    const duplicates: PlaySessionIngestResult[] = [];
    const created: PlaySessionIngestResult[] = [];
    const valid: { index: number; romId: number | null; entry: IngestEntry }[] = [];
    entries.forEach((entry, index) => {
      if (entry.end_time > now + MAX_FUTURE_MS) {
        errors.push({ index, status: 'error', id: null, detail: 'end_time is too far in the future' });
      } else if (entry.duration_ms > entry.end_time - entry.start_time + DURATION_SLACK_MS) {
        errors.push({ index, status: 'error', id: null, detail: 'duration_ms exceeds the time between start_time and end_time' });
      } else {
        valid.push({ index, romId: entry.rom_id !== null && visible.has(entry.rom_id) ? entry.rom_id : null, entry });
      }
    });

    // Existing rows, per ROM, for the batch's start times.
    const known = new Map<number | null, Set<number>>();
    for (const romId of new Set(valid.map((v) => v.romId))) {
      const starts = valid.filter((v) => v.romId === romId).map((v) => v.entry.start_time);
      known.set(romId, await this.repo.existingStarts(userId, resolvedDevice, romId, starts));
    }

    const latestEnd = new Map<number, number>();
    for (const { index, romId, entry } of valid) {
      const seen = known.get(romId) ?? new Set<number>();
      known.set(romId, seen);
      if (seen.has(entry.start_time)) {
        duplicates.push({ index, status: 'duplicate', id: null, detail: null });
        continue;
      }
      seen.add(entry.start_time);
      const id = await this.repo.insert({
        user_id: userId, device_id: resolvedDevice, rom_id: romId, sync_session_id: syncSessionId, save_slot: entry.save_slot,
        start_time: entry.start_time, end_time: entry.end_time, duration_ms: entry.duration_ms, created_at: now, updated_at: now,
      });
      if (id === null) {
        duplicates.push({ index, status: 'duplicate', id: null, detail: null });
        continue;
      }
      created.push({ index, status: 'created', id, detail: null });
      if (romId !== null && entry.end_time > (latestEnd.get(romId) ?? -Infinity)) latestEnd.set(romId, entry.end_time);
    }

    for (const [romId, end] of latestEnd) await this.applyPlay(userId, romId, end, now);
    if (resolvedDevice !== null) await this.devices.update(userId, resolvedDevice, { last_seen: now });

    return { results: [...errors, ...duplicates, ...created], created_count: created.length, skipped_count: entries.length - created.length };
  }

  /** Only a play newer than `last_played` moves it; an empty or "finished" status becomes "incomplete". */
  private async applyPlay(userId: number, romId: number, end: number, now: number): Promise<void> {
    const row = await this.romUsers.findOrCreate(romId, userId, now);
    if (row.last_played !== null && end <= Number(row.last_played)) return;
    const rewind = row.status === null || row.status === 'finished';
    await this.romUsers.update(romId, userId, { last_played: end, now_playing: 1, updated_at: now, ...(rewind ? { status: 'incomplete' } : {}) });
  }

  /** The caller's sessions, newest start first; the limit is ignored when a time filter is given, as in RomM. */
  async list(userId: number, q: PlaySessionQuery, tokenDeviceId: string | undefined): Promise<PlaySessionSchema[]> {
    const startAfter = parseQueryDateTime('start_after', q.start_after);
    const endBefore = parseQueryDateTime('end_before', q.end_before);
    const rows = await this.repo.list(userId, {
      romId: q.rom_id, deviceId: q.device_id || tokenDeviceId, startAfter, endBefore,
      limit: startAfter === undefined && endBefore === undefined ? q.limit : null, offset: q.offset,
    });
    return rows.map(toPlaySessionSchema);
  }

  async delete(userId: number, id: number): Promise<void> {
    if (!(await this.repo.delete(userId, id))) throw notFound(`Play session ${id} not found`);
  }

  /** Total `duration_ms` of the user's sessions of one ROM. */
  totalPlayTime(userId: number, romId: number): Promise<number> {
    return this.repo.totalPlayTime(userId, romId);
  }
}

export function toPlaySessionSchema(row: PlaySessionRow): PlaySessionSchema {
  return {
    id: Number(row.id),
    user_id: Number(row.user_id),
    device_id: row.device_id,
    rom_id: row.rom_id === null ? null : Number(row.rom_id),
    sync_session_id: row.sync_session_id === null ? null : Number(row.sync_session_id),
    save_slot: row.save_slot,
    start_time: isoFromMs(Number(row.start_time)),
    end_time: isoFromMs(Number(row.end_time)),
    duration_ms: Number(row.duration_ms),
    created_at: isoFromMs(Number(row.created_at)),
    updated_at: isoFromMs(Number(row.updated_at)),
  };
}
