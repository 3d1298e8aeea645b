import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

/** RomM's device shapes (backend/endpoints/device.py, endpoints/responses/device.py), field order kept. */

export const SyncModeSchema = Type.Union([Type.Literal('api'), Type.Literal('file_transfer'), Type.Literal('push_pull')]);
export type SyncMode = Static<typeof SyncModeSchema>;

// Null first: with type coercion on, a string-first union would turn an explicit null into "".
const Text = (max: number) => Type.Union([Type.Null(), Type.String({ maxLength: max })]);
const SyncConfig = Type.Union([Type.Null(), Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 })]);

export const DeviceSchema = Type.Object({
  id: Type.String(),
  user_id: Type.Integer(),
  name: Nullable(Type.String()),
  platform: Nullable(Type.String()),
  client: Nullable(Type.String()),
  client_version: Nullable(Type.String()),
  ip_address: Nullable(Type.String()),
  mac_address: Nullable(Type.String()),
  hostname: Nullable(Type.String()),
  client_device_identifier: Nullable(Type.String()),
  sync_mode: SyncModeSchema,
  sync_enabled: Type.Boolean(),
  sync_config: Nullable(Type.Record(Type.String(), Type.Unknown())),
  last_seen: Nullable(Type.String({ format: 'date-time' })),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}, { $id: 'DeviceSchema' });
export type DeviceSchema = Static<typeof DeviceSchema>;

/** What a client says about its device, in both registration and update. */
const DESCRIPTION = {
  name: Type.Optional(Text(255)),
  platform: Type.Optional(Text(50)),
  client: Type.Optional(Text(50)),
  client_version: Type.Optional(Text(50)),
  ip_address: Type.Optional(Text(45)),
  mac_address: Type.Optional(Text(17)),
  hostname: Type.Optional(Text(255)),
  sync_config: Type.Optional(SyncConfig),
};

export const DeviceCreatePayload = Type.Object({
  ...DESCRIPTION,
  sync_mode: Type.Optional(Nullable(SyncModeSchema)),
  allow_existing: Type.Optional(Type.Boolean()),
  allow_duplicate: Type.Optional(Type.Boolean()),
  reset_syncs: Type.Optional(Type.Boolean()),
});
export type DeviceCreatePayload = Static<typeof DeviceCreatePayload>;

/** Only keys present are written; `sync_mode` and `sync_enabled` may not be null (RomM would fail with a 500). */
export const DeviceUpdatePayload = Type.Object({
  ...DESCRIPTION,
  sync_enabled: Type.Optional(Type.Boolean()),
  sync_mode: Type.Optional(SyncModeSchema),
});
export type DeviceUpdatePayload = Static<typeof DeviceUpdatePayload>;

export const DeviceCreateResponse = Type.Object({
  device_id: Type.String(),
  name: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
});
export type DeviceCreateResponse = Static<typeof DeviceCreateResponse>;
