import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';
import { Detail, errorResponses, IdParam } from '../../contract/common.ts';
import { PlatformSchema } from '../../contract/platform.ts';

/** RomM's `models/platform.py` limits. */
const CUSTOM_NAME_MAX_LENGTH = 400;
const DESCRIPTION_MAX_LENGTH = 65535;

const PlatformCreate = Type.Object({ fs_slug: Type.String({ description: 'Platform slug.' }) });
// `type: ['string', 'null']` rather than a union: with coerceTypes a union's string branch turns `null` into `""`,
// and RomM keeps a field on `null` but clears it on `""`.
const NullableText = (maxLength: number, description: string) =>
  Type.Optional(Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength, description }));
const PlatformUpdate = Type.Object({
  custom_name: NullableText(CUSTOM_NAME_MAX_LENGTH, 'Custom platform name.'),
  description: NullableText(DESCRIPTION_MAX_LENGTH, 'Custom platform description.'),
});

// Static paths (`/supported`, `/filesystem`, `/identifiers`) are their own routes: the router prefers them over
// `/:id`, so none of them falls into the id route's 422.
export const platformRoutes: RouteModule = (app, { services }) => {
  app.get('/api/platforms', {
    config: { auth: { scopes: ['platforms.read'] } },
    schema: {
      tags: ['platforms'],
      querystring: Type.Object({ updated_after: Type.Optional(Type.String()) }),
      // A datetime that does not parse is a 422 with a plain detail message.
      response: { 200: Type.Array(PlatformSchema), ...errorResponses, 422: Type.Union([errorResponses[422], Detail]) },
    },
  }, async (request) => services.platforms.listFor(caller(request).user.id, request.query.updated_after));

  app.get('/api/platforms/identifiers', {
    config: { auth: { scopes: ['platforms.read'] } },
    schema: { tags: ['platforms'], response: { 200: Type.Array(Type.Integer()), ...errorResponses } },
  }, async (request) => services.platforms.identifiers(caller(request).user.id));

  app.get('/api/platforms/supported', {
    config: { auth: { scopes: ['platforms.read'] } },
    schema: { tags: ['platforms'], response: { 200: Type.Array(PlatformSchema), ...errorResponses } },
  }, async () => services.platforms.supported());

  app.get('/api/platforms/filesystem', {
    config: { auth: { scopes: ['platforms.read'] } },
    schema: { tags: ['platforms'], response: { 200: Type.Array(PlatformSchema), ...errorResponses } },
  }, async () => services.platforms.filesystem());

  app.post('/api/platforms', {
    config: { auth: { scopes: ['platforms.write'] } },
    schema: { tags: ['platforms'], body: PlatformCreate, response: { 201: PlatformSchema, ...errorResponses, 409: Detail } },
  }, async (request, reply) => reply.code(201).send(await services.platformsWrite.create(request.body.fs_slug)));

  app.get('/api/platforms/:id', {
    config: { auth: { scopes: ['platforms.read'] } },
    schema: { tags: ['platforms'], params: IdParam, response: { 200: PlatformSchema, ...errorResponses } },
  }, async (request) => services.platforms.get(request.params.id, caller(request).user.id));

  app.put('/api/platforms/:id', {
    config: { auth: { scopes: ['platforms.write'] } },
    // RomM's body fields are all optional, so a PUT without a body is valid (and changes nothing).
    preValidation: (request, _reply, done) => {
      request.body ??= {};
      done();
    },
    schema: { tags: ['platforms'], params: IdParam, body: PlatformUpdate, response: { 200: PlatformSchema, ...errorResponses } },
  }, async (request) => {
    await services.platforms.assertVisible(request.params.id, caller(request).user.id);
    return services.platformsWrite.update(request.params.id, request.body);
  });

  // RomM 5 also requires the (platforms, delete) grant (the legacy Editor group has it).
  app.delete('/api/platforms/:id', {
    config: { auth: { scopes: ['platforms.write'] } },
    schema: { tags: ['platforms'], params: IdParam, response: { 200: Type.Null(), ...errorResponses } },
  }, async (request) => {
    await services.platforms.assertVisible(request.params.id, caller(request).user.id);
    return services.platformsWrite.delete(request.params.id, caller(request).permissions.allows('platforms', 'delete'));
  });
};
