import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { SCOPE_DESCRIPTIONS } from '../../auth/scopes.ts';
import type { App } from '../deps.ts';
import { ROMM_API_VERSION, ROMSHELF_VERSION } from '../../common/version.ts';

/** OpenAPI document at /openapi.json and the interactive docs at /api/docs, both from the route schemas. */
export async function registerOpenApi(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'romshelf', version: ROMSHELF_VERSION,
        description: `RomM-compatible ROM library API (RomM ${ROMM_API_VERSION})`,
      },
      components: {
        securitySchemes: {
          OAuth2PasswordBearer: {
            type: 'oauth2',
            flows: { password: { tokenUrl: '/api/token', scopes: SCOPE_DESCRIPTIONS } },
          },
          HTTPBasic: { type: 'http', scheme: 'basic' },
        },
      },
    },
    // Shared schemas are named by their `$id` (RomM's model names), not by resolution order (`def-0`).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
