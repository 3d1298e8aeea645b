import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import { Detail } from '../../contract/common.ts';
import { TokenForm, TokenResponse } from '../../contract/auth.ts';

export const authRoutes: RouteModule = (app, { services, config }) => {
  app.post('/api/login', {
    config: { auth: 'public', checksOwnPassword: true },
    schema: {
      tags: ['auth'],
      summary: 'Session login with HTTP Basic credentials',
      response: { 200: Type.Null(), 401: Detail, 429: Detail, 503: Detail },
    },
  }, async (request, reply) => {
    const { sessionId, user } = await services.auth.login(request.headers.authorization, request.ip);
    request.auth = { user, scopes: new Set(), via: 'session', permissions: await services.permissions.forUser(user) };
    reply.setCookie(SESSION_COOKIE, sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: config.secureCookies,
      maxAge: config.sessionMaxAgeSeconds,
    });
    return null;
  });

  app.post('/api/logout', {
    config: { auth: 'public' },
    schema: { tags: ['auth'], response: { 200: Type.Null() } },
  }, async (request, reply) => {
    await services.auth.logout(request.cookies[SESSION_COOKIE]);
    request.auth = null;
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return null;
  });

  app.post('/api/token', {
    config: { auth: 'public', checksOwnPassword: true },
    schema: {
      tags: ['auth'],
      summary: 'OAuth2 password and refresh-token grants',
      body: TokenForm,
      response: { 200: TokenResponse, 400: Detail, 401: Detail, 403: Detail, 429: Detail, 503: Detail },
    },
  }, async (request) => services.auth.token(request.body, request.ip));
};
