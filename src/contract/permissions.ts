import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

/** RomM 5's `/api/permissions/*` shapes (backend/endpoints/responses/permission.py), field order kept. */

export const PermEntitySchema = Type.Union([
  Type.Literal('platforms'), Type.Literal('roms'), Type.Literal('collections'), Type.Literal('playlists'),
  Type.Literal('firmware'), Type.Literal('assets'), Type.Literal('devices'), Type.Literal('users'),
  Type.Literal('tasks'), Type.Literal('logs'),
], { description: 'Entity a grant or hide names' });
export const PermActionSchema = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('delete')], {
  description: 'Action a grant allows',
});

export const PermissionsResponse = Type.Object({
  is_admin: Type.Boolean(),
  grants: Type.Array(Type.Object({
    action: Type.String({ description: 'UI action key, e.g. rom.edit' }),
    scope: Type.Object({
      kind: Type.Union([Type.Literal('global'), Type.Literal('platform'), Type.Literal('collection'), Type.Literal('rom')]),
      id: Nullable(Type.Integer()),
    }),
  })),
  hidden: Type.Object({ platforms: Type.Array(Type.Integer()), roms: Type.Array(Type.Integer()) }),
}, { $id: 'PermissionsResponse' });

export const PermissionCatalogSchema = Type.Object({
  entities: Type.Array(PermEntitySchema),
  actions: Type.Array(PermActionSchema),
});

export const GrantSchemaIO = Type.Object({
  entity: PermEntitySchema,
  action: PermActionSchema,
  own_only: Type.Optional(Type.Boolean()),
});
export type GrantInput = Static<typeof GrantSchemaIO>;

export const HiddenEntitySchema = Type.Object({ entity: PermEntitySchema, entity_id: Type.Integer() });

export const PermissionGroupSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  is_default: Type.Boolean(),
  is_system: Type.Boolean(),
  color: Nullable(Type.String()),
  grants: Type.Array(Type.Object({ entity: PermEntitySchema, action: PermActionSchema, own_only: Type.Boolean() })),
  member_count: Type.Integer(),
  hidden: Type.Array(HiddenEntitySchema),
}, { $id: 'PermissionGroupSchema' });
export type PermissionGroupSchema = Static<typeof PermissionGroupSchema>;

const GroupName = Type.String({ minLength: 1, maxLength: 255 });
const GroupDescription = Type.String({ maxLength: 1000 });
const GroupColor = Nullable(Type.String({ maxLength: 9 }));

export const PermissionGroupCreate = Type.Object({
  name: GroupName,
  description: Type.Optional(GroupDescription),
  is_default: Type.Optional(Type.Boolean()),
  color: Type.Optional(GroupColor),
  grants: Type.Optional(Type.Array(GrantSchemaIO, { maxItems: 100 })),
});
export type PermissionGroupCreate = Static<typeof PermissionGroupCreate>;

export const PermissionGroupUpdate = Type.Object({
  name: Type.Optional(Nullable(GroupName)),
  description: Type.Optional(Nullable(GroupDescription)),
  is_default: Type.Optional(Nullable(Type.Boolean())),
  color: Type.Optional(GroupColor),
  grants: Type.Optional(Nullable(Type.Array(GrantSchemaIO, { maxItems: 100 }))),
});
export type PermissionGroupUpdate = Static<typeof PermissionGroupUpdate>;

export const OverrideSchemaIO = Type.Object({
  entity: PermEntitySchema,
  action: PermActionSchema,
  granted: Type.Boolean(),
  own_only: Type.Optional(Type.Boolean()),
});

export const UserPermissionsSchema = Type.Object({
  user_id: Type.Integer(),
  permission_group_id: Nullable(Type.Integer()),
  overrides: Type.Array(Type.Object({ entity: PermEntitySchema, action: PermActionSchema, granted: Type.Boolean(), own_only: Type.Boolean() })),
  hidden: Type.Array(HiddenEntitySchema),
}, { $id: 'UserPermissionsSchema' });
export type UserPermissionsSchema = Static<typeof UserPermissionsSchema>;

export const UserPermissionsUpdate = Type.Object({
  /** Tri-state with `set_group`: only applied when `set_group` is true; null returns the user to the default group. */
  permission_group_id: Type.Optional(Nullable(Type.Integer())),
  set_group: Type.Optional(Type.Boolean()),
  overrides: Type.Optional(Nullable(Type.Array(OverrideSchemaIO, { maxItems: 100 }))),
});
export type UserPermissionsUpdate = Static<typeof UserPermissionsUpdate>;

export const HiddenEntityCreate = Type.Object({
  entity: PermEntitySchema,
  entity_id: Type.Integer(),
  user_id: Type.Optional(Nullable(Type.Integer())),
  group_id: Type.Optional(Nullable(Type.Integer())),
});
export type HiddenEntityCreate = Static<typeof HiddenEntityCreate>;
