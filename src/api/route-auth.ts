import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/context.ts';
import type { Scope } from '../auth/scopes.ts';
import { unauthorized } from '../common/errors.ts';

/**
 * Every /api route declares who may call it. `public`: anyone. `scopes`: all listed scopes;
 * `downloadEndpoint` routes drop their scopes when DISABLE_DOWNLOAD_ENDPOINT_AUTH is set (spec §2.8).
 */
export type RouteAuth = 'public' | { scopes: readonly Scope[]; downloadEndpoint?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /**
     * The handler verifies a password itself (login, token grant): the auth hook leaves the Authorization header
     * alone, so one attempt runs bcrypt once and counts as one failure.
     */
    checksOwnPassword?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

/** The authenticated caller, for routes whose scopes guarantee one. */
export function caller(request: FastifyRequest): AuthContext {
  if (!request.auth) throw unauthorized();
  return request.auth;
}
