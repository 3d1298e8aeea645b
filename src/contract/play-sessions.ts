import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

/**
 * RomM 5's play sessions and "now playing" activity (backend/endpoints/play_sessions.py, activity.py and their
 * response schemas), field order kept. Datetimes always carry a UTC offset, also where RomM on MariaDB omits it.
 */

const DateTime = Type.String({ format: 'date-time' });
/** Any id a 32-bit INTEGER column can hold; larger ones cannot match and must not reach PostgreSQL. */
const Id = Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647 });

export const PlaySessionEntry = Type.Object({
  rom_id: Type.Optional(Nullable(Id)),
  save_slot: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  /** ISO 8601 (an offset-less value is UTC) or a Unix time (seconds, or milliseconds above 2e10). */
  start_time: Type.String({ maxLength: 64 }),
  end_time: Type.String({ maxLength: 64 }),
  duration_ms: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
});
export type PlaySessionEntry = Static<typeof PlaySessionEntry>;

export const PlaySessionIngestPayload = Type.Object({
  device_id: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  sessions: Type.Array(PlaySessionEntry),
});
export type PlaySessionIngestPayload = Static<typeof PlaySessionIngestPayload>;

export const PlaySessionIngestResult = Type.Object({
  index: Type.Integer(),
  status: Type.Union([Type.Literal('created'), Type.Literal('duplicate'), Type.Literal('error')]),
  id: Nullable(Type.Integer()),
  detail: Nullable(Type.String()),
});
export type PlaySessionIngestResult = Static<typeof PlaySessionIngestResult>;

export const PlaySessionIngestResponse = Type.Object({
  results: Type.Array(PlaySessionIngestResult),
  created_count: Type.Integer(),
  skipped_count: Type.Integer(),
}, { $id: 'PlaySessionIngestResponse' });
export type PlaySessionIngestResponse = Static<typeof PlaySessionIngestResponse>;

export const PlaySessionSchema = Type.Object({
  id: Type.Integer(),
  user_id: Type.Integer(),
  device_id: Nullable(Type.String()),
  rom_id: Nullable(Type.Integer()),
  sync_session_id: Nullable(Type.Integer()),
  save_slot: Nullable(Type.String()),
  start_time: DateTime,
  end_time: DateTime,
  duration_ms: Type.Integer(),
  created_at: DateTime,
  updated_at: DateTime,
}, { $id: 'PlaySessionSchema' });
export type PlaySessionSchema = Static<typeof PlaySessionSchema>;

export const PlaySessionQuery = Type.Object({
  rom_id: Type.Optional(Id),
  device_id: Type.Optional(Type.String({ maxLength: 255 })),
  start_after: Type.Optional(Type.String({ maxLength: 64 })),
  end_before: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Integer({ default: 50, minimum: 0, maximum: 10_000 }),
  offset: Type.Integer({ default: 0, minimum: 0 }),
});
export type PlaySessionQuery = Static<typeof PlaySessionQuery>;

export const ActivityEntrySchema = Type.Object({
  user_id: Type.Integer(),
  username: Type.String(),
  avatar_path: Type.String(),
  rom_id: Type.Integer(),
  rom_name: Type.String(),
  rom_cover_path: Type.String(),
  screenshot_path: Type.String(),
  platform_slug: Type.String(),
  platform_name: Type.String(),
  device_id: Type.String(),
  device_type: Type.String(),
  started_at: Type.String(),
}, { $id: 'ActivityEntrySchema' });
export type ActivityEntrySchema = Static<typeof ActivityEntrySchema>;

export const ActivityClearSchema = Type.Object({
  user_id: Type.Integer(),
  device_id: Type.String(),
  rom_id: Type.Integer(),
});
export type ActivityClearSchema = Static<typeof ActivityClearSchema>;

export const DeviceHeartbeatPayload = Type.Object({
  rom_id: Type.Integer({ minimum: 1 }),
  device_id: Type.String({ minLength: 1, maxLength: 255 }),
});
export type DeviceHeartbeatPayload = Static<typeof DeviceHeartbeatPayload>;
