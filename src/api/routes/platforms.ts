import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { errorResponses, IdParam } from '../schemas/common.ts';
import { PlatformSchema } from '../schemas/platform.ts';

export const platformRoutes: RouteModule = (app, { services }) => {
  app.get('/api/platforms', {
    config: { auth: { scopes: ['platforms.read'] } },
    schema: {
      tags: ['platforms'],
      querystring: Type.Object({ updated_after: Type.Optional(Type.String()) }),
      response: { 200: Type.Array(PlatformSchema), ...errorResponses },
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
