import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { Detail, errorResponses, IdParam } from '../../contract/common.ts';
import { PlatformSchema } from '../../contract/platform.ts';

export const platformRoutes: RouteModule = (app, { services }) => {
  app.get('/api/platforms', {
    config: { auth: { scopes: ['platforms.read'] } },
    schema: {
      tags: ['platforms'],
      querystring: Type.Object({ updated_after: Type.Optional(Type.String()) }),
      // A datetime that does not parse is a 422 with a plain detail message.
      response: { 200: Type.Array(PlatformSchema), ...errorResponses, 422: Type.Union([errorResponses[422], Detail]) },
    },
  }, async (request) => services.platforms.list(request.query.updated_after));

  app.get('/api/platforms/identifiers', {
    config: { auth: { scopes: ['platforms.read'] } },
    schema: { tags: ['platforms'], response: { 200: Type.Array(Type.Integer()), ...errorResponses } },
  }, async () => services.platforms.identifiers());

  app.get('/api/platforms/:id', {
    config: { auth: { scopes: ['platforms.read'] } },
    schema: { tags: ['platforms'], params: IdParam, response: { 200: PlatformSchema, ...errorResponses } },
  }, async (request) => services.platforms.get(request.params.id));
};
