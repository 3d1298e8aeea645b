import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { guardConnections, serverOptions } from './connection-limits.ts';
import type { App, AppDeps } from './deps.ts';
import { registerAuth, type RegisteredRoute } from './plugins/auth.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerMultipart } from './plugins/multipart.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { sharedSerializerFactory } from './plugins/shared-serializers.ts';
import { routeModules } from './routes/index.ts';
import { attachSockets } from './sockets/socket-server.ts';

export interface BuiltApp {
  app: App;
  /** Every route with its auth declaration, as registered. */
  routes: RegisteredRoute[];
}

/** The HTTP application without listening; tests drive it with inject(). */
export async function buildApp(deps: AppDeps, logger?: FastifyBaseLogger): Promise<BuiltApp> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
    trustProxy: false,
    schemaController: { compilersFactory: { buildSerializer: sharedSerializerFactory() } },
    ...serverOptions(deps.config.http),
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(cookie);
  // socket.io first: it wraps the request listeners present, and the connection guard must see its polls too.
  attachSockets(app.server, app, deps);
  guardConnections(app.server, deps.config.http);

  const routes: RegisteredRoute[] = [];
  registerErrorHandling(app);
  // No CORS headers unless origins are listed: RomM's default of `*` with credentials lets any site act as the user.
  if (deps.config.corsOrigins.length > 0) {
    await app.register(cors, { origin: deps.config.corsOrigins, credentials: true });
  }
  await app.register(formbody);
  await registerMultipart(app);
  registerAuth(app, deps, routes);
  await registerOpenApi(app);
  for (const register of routeModules) await register(app, deps);
  await app.ready();
  return { app, routes };
}
