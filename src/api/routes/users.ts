import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';
import { Detail, IdParam, Nullable } from '../../contract/common.ts';
import { UserSchema } from '../../contract/user.ts';

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
  }, async (request) => services.users.schema(await services.users.create(request.body, request.auth)));

  app.get('/api/users', {
    config: { auth: { scopes: ['users.read'] } },
    schema: { tags: ['users'], response: { 200: Type.Array(UserSchema) } },
  }, async () => Promise.all((await services.users.list()).map((u) => services.users.schema(u))));

  app.get('/api/users/me', {
    config: { auth: { scopes: ['me.read'] } },
    schema: { tags: ['users'], response: { 200: UserSchema } },
  }, async (request) => services.users.schema(caller(request).user));

  app.get('/api/users/:id', {
    config: { auth: { scopes: ['users.read'] } },
    schema: { tags: ['users'], params: IdParam, response: { 200: UserSchema, 404: Detail } },
  }, async (request) => services.users.schema(await services.users.get(request.params.id)));
};
