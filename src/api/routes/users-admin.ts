import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { formParts } from '../plugins/multipart.ts';
import { caller } from '../route-auth.ts';
import { Detail, IdParam } from '../../contract/common.ts';
import { UserSchema } from '../../contract/user.ts';

/** RomM's `UserForm` (form fields, urlencoded or multipart); every field optional. */
const UserForm = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 255 })),
  password: Type.Optional(Type.String({ maxLength: 1000 })),
  email: Type.Optional(Type.String({ maxLength: 255 })),
  role: Type.Optional(Type.String({ maxLength: 20 })),
  enabled: Type.Optional(Type.Boolean()),
  ra_username: Type.Optional(Type.String({ maxLength: 255 })),
  ui_settings: Type.Optional(Type.String({ maxLength: 100_000 })),
});

/** Multipart forms carry no parsed body: gather their text fields so the schema validates them like urlencoded ones. */
async function multipartFields(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const fields: Record<string, string> = {};
  for await (const part of formParts(request)) {
    if (part.type === 'field' && typeof part.value === 'string') fields[part.fieldname] = part.value;
    else if (part.type === 'file') await part.toBuffer(); // avatars are not stored; drain the stream
  }
  request.body = fields;
}

export const userAdminRoutes: RouteModule = (app, { services }) => {
  // me.write like RomM: anyone may edit themselves; the service allows admins to edit others.
  app.put('/api/users/:id', {
    config: { auth: { scopes: ['me.write'] } },
    preValidation: multipartFields,
    schema: {
      tags: ['users'],
      params: IdParam,
      body: UserForm,
      consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
      response: { 200: UserSchema, 400: Detail, 403: Detail, 404: Detail },
    },
  }, async (request) => services.users.schema(await services.usersAdmin.update(request.params.id, request.body ?? {}, caller(request))));

  app.delete('/api/users/:id', {
    config: { auth: { scopes: ['users.write'] } },
    schema: { tags: ['users'], params: IdParam, response: { 200: Type.Null(), 400: Detail, 404: Detail } },
  }, async (request) => {
    await services.usersAdmin.delete(request.params.id, caller(request));
    return null;
  });
};
