import type { RouteModule } from '../deps.ts';
import { authRoutes } from './auth.ts';
import { clientTokenRoutes } from './client-tokens.ts';
import { heartbeatRoutes } from './heartbeat.ts';
import { userRoutes } from './users.ts';

/** Every route module of the API. Add one line per module. */
export const routeModules: RouteModule[] = [
  heartbeatRoutes,
  authRoutes,
  userRoutes,
  clientTokenRoutes,
];
