import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { PlaySessionEntry, PlaySessionIngestResponse } from './play-sessions.ts';

/**
 * RomM 5's save sync shapes (backend/endpoints/sync.py, endpoints/responses/sync.py), field order kept. Datetimes
 * always carry a UTC offset.
 */

const DateTime = Type.String({ format: 'date-time' });
/** Any id a 32-bit INTEGER column can hold; larger ones cannot match and must not reach PostgreSQL. */
const Id = Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647 });
const Count = Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647 });
// Null first: with type coercion on, a string-first union would turn an explicit null into "".
const Text = (max: number) => Type.Union([Type.Null(), Type.String({ maxLength: max })]);

export const ClientSaveState = Type.Object({
  rom_id: Id,
  file_name: Type.String({ maxLength: 450 }),
  slot: Type.Optional(Text(255)),
  emulator: Type.Optional(Text(255)),
  content_hash: Type.Optional(Text(255)),
  /** ISO 8601 (an offset-less value is UTC) or a Unix time (seconds, or milliseconds above 2e10). */
  updated_at: Type.String({ maxLength: 64 }),
  file_size_bytes: Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
});
export type ClientSaveState = Static<typeof ClientSaveState>;

export const SyncNegotiatePayload = Type.Object({
  device_id: Type.Optional(Text(255)),
  saves: Type.Array(ClientSaveState, { maxItems: 100_000 }),
});
export type SyncNegotiatePayload = Static<typeof SyncNegotiatePayload>;

export const SyncAction = Type.Union([Type.Literal('upload'), Type.Literal('download'), Type.Literal('conflict'), Type.Literal('no_op')]);
export type SyncAction = Static<typeof SyncAction>;

export const SyncOperationSchema = Type.Object({
  action: SyncAction,
  rom_id: Type.Integer(),
  save_id: Nullable(Type.Integer()),
  file_name: Type.String(),
  slot: Nullable(Type.String()),
  emulator: Nullable(Type.String()),
  reason: Type.String(),
  server_updated_at: Nullable(DateTime),
  server_content_hash: Nullable(Type.String()),
}, { $id: 'SyncOperationSchema' });
export type SyncOperationSchema = Static<typeof SyncOperationSchema>;

export const SyncNegotiateResponse = Type.Object({
  session_id: Type.Integer(),
  operations: Type.Array(SyncOperationSchema),
  total_upload: Type.Integer(),
  total_download: Type.Integer(),
  total_conflict: Type.Integer(),
  total_no_op: Type.Integer(),
}, { $id: 'SyncNegotiateResponse' });
export type SyncNegotiateResponse = Static<typeof SyncNegotiateResponse>;

export const SyncSessionStatus = Type.Union([
  Type.Literal('PENDING'), Type.Literal('IN_PROGRESS'), Type.Literal('COMPLETED'), Type.Literal('FAILED'), Type.Literal('CANCELLED'),
]);

export const SyncSessionSchema = Type.Object({
  id: Type.Integer(),
  device_id: Type.String(),
  user_id: Type.Integer(),
  status: SyncSessionStatus,
  initiated_at: DateTime,
  completed_at: Nullable(DateTime),
  operations_planned: Type.Integer(),
  operations_completed: Type.Integer(),
  operations_failed: Type.Integer(),
  error_message: Nullable(Type.String()),
  created_at: DateTime,
  updated_at: DateTime,
}, { $id: 'SyncSessionSchema' });
export type SyncSessionSchema = Static<typeof SyncSessionSchema>;

export const SyncCompletePayload = Type.Object({
  operations_completed: Type.Optional(Count),
  operations_failed: Type.Optional(Count),
  play_sessions: Type.Optional(Nullable(Type.Array(PlaySessionEntry, { maxItems: 10_000 }))),
});
export type SyncCompletePayload = Static<typeof SyncCompletePayload>;

export const SyncCompleteResponse = Type.Object({
  session: SyncSessionSchema,
  play_session_ingest: Nullable(PlaySessionIngestResponse),
}, { $id: 'SyncCompleteResponse' });
export type SyncCompleteResponse = Static<typeof SyncCompleteResponse>;

export const SyncSessionsQuery = Type.Object({
  device_id: Type.Optional(Type.String({ maxLength: 255 })),
  limit: Type.Integer({ default: 50, minimum: 0, maximum: 10_000 }),
});
export type SyncSessionsQuery = Static<typeof SyncSessionsQuery>;
