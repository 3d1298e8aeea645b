import { Type } from 'typebox';
import { toUserSchema } from '../../domain/users/mapper.ts';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';
import { Detail, IdParam, Nullable } from '../../contract/common.ts';

export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  email: Nullable(Type.String()),
  enabled: Type.Boolean(),
  role: Type.String(),
  permission_group_id: Nullable(Type.Integer()),
  oauth_scopes: Type.Array(Type.String()),
  avatar_path: Type.String(),
  last_login: Nullable(Type.String()),
  last_active: Nullable(Type.String()),
  ra_username: Nullable(Type.String()),
  ra_progression: Nullable(Type.Object({}, { additionalProperties: true })),
  ui_settings: Nullable(Type.Object({}, { additionalProperties: true })),
  current_device_id: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});

const CreateUser = Type.Object({
  username: Type.String({ maxLength: 255 }),
  password: Type.String({ maxLength: 1000 }),
  email: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  role: Type.String({ maxLength: 20 }),
});

export const userRoutes: RouteModule = (app, { services }) => {
  // Open while no admin exists (first-run setup); afterwards the service demands users.write.
  app.post('/api/users', {
    config: { auth: 'public' },
    schema: { tags: ['users'], body: CreateUser, response: { 200: UserSchema, 400: Detail, 403: Detail } },
  }, async (request) => toUserSchema(await services.users.create(request.body, request.auth)));

  app.get('/api/users', {
    config: { auth: { scopes: ['users.read'] } },
    schema: { tags: ['users'], response: { 200: Type.Array(UserSchema) } },
  }, async () => (await services.users.list()).map(toUserSchema));

  app.get('/api/users/me', {
    config: { auth: { scopes: ['me.read'] } },
    schema: { tags: ['users'], response: { 200: UserSchema } },
  }, async (request) => toUserSchema(caller(request).user));

  app.get('/api/users/:id', {
    config: { auth: { scopes: ['users.read'] } },
    schema: { tags: ['users'], params: IdParam, response: { 200: UserSchema, 404: Detail } },
  }, async (request) => toUserSchema(await services.users.get(request.params.id)));
};
