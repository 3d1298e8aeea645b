import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasScopes } from '../../auth/context.ts';
import { CSRF_COOKIE, CSRF_HEADER, CsrfGuard } from '../../auth/csrf.ts';
import { AppError, forbidden, unauthorized } from '../../common/errors.ts';
import type { App, AppDeps } from '../deps.ts';
import type { RouteAuth } from '../route-auth.ts';

export const SESSION_COOKIE = 'romm_session';

export interface RegisteredRoute {
  method: string;
  url: string;
  auth: RouteAuth | undefined;
}

/** Paths served by third-party plugins (docs UI) that carry no auth declaration of their own. */
const UNDECLARED_PUBLIC = /^\/api\/docs(\/|$)/;

export function registerAuth(app: App, deps: AppDeps, registry: RegisteredRoute[]): void {
  const { services, config } = deps;

  app.decorateRequest('auth', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const auth = route.config?.auth;
    for (const method of methods) registry.push({ method, url: route.url, auth });
    if (route.url.startsWith('/api') && !auth && !UNDECLARED_PUBLIC.test(route.url)) {
      throw new Error(`route ${methods.join(',')} ${route.url} declares no auth`);
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const { checksOwnPassword } = request.routeOptions.config;
    const authorization = checksOwnPassword ? undefined : request.headers.authorization;
    request.auth = await services.auth.authenticate(authorization, request.cookies[SESSION_COOKIE], request.ip);

    // Scopes first: an anonymous caller learns nothing from a CSRF failure, and a 401 tells it what is missing.
    const routeAuth = request.routeOptions.config.auth;
    if (routeAuth && routeAuth !== 'public') {
      const required = routeAuth.downloadEndpoint && config.disableDownloadEndpointAuth ? [] : routeAuth.scopes;
      if (required.length > 0) {
        if (!request.auth) throw unauthorized();
        if (!hasScopes(request.auth, required)) throw forbidden();
      }
    }

    const path = request.url.split('?')[0] ?? '';
    if (!config.disableCsrfProtection && CsrfGuard.needsCheck(request.method, path, request.headers.authorization)) {
      const header = request.headers[CSRF_HEADER];
      const ok = services.csrf.verify(request.cookies[CSRF_COOKIE], typeof header === 'string' ? header : undefined, request.auth?.user.id ?? null);
      if (!ok) throw new AppError(403, 'CSRF token verification failed');
    }
  });

  // The web UI reads the CSRF token from this cookie; reissue it when missing or bound to someone else.
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    const userId = request.auth?.user.id ?? null;
    const bound = services.csrf.boundUser(request.cookies[CSRF_COOKIE]);
    if (bound === null || bound !== (userId ?? 0)) {
      reply.setCookie(CSRF_COOKIE, services.csrf.issue(userId), {
        path: '/',
        sameSite: 'lax',
        httpOnly: false,
        secure: config.secureCookies,
      });
    }
    return payload;
  });
}
