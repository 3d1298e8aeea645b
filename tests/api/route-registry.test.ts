import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { SignJWT } from 'jose';
import { registerAuth } from '../../src/api/plugins/auth.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FULL_SCOPES } from '../../src/auth/scopes.ts';
import { createTestApp, createUser, TEST_SECRET, type TestApp } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

/** Fills path parameters with values that pass validation, so the auth check is what answers. */
const concrete = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => (/id$/.test(name) ? '1' : 'x'));

describeEachEngine('route registry', (ctx) => {
  let t: TestApp;
  let noScopes: string;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    const admin = await createUser(t.services, 'admin');
    noScopes = await new SignJWT({ scopes: '', type: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(admin.user.username)
      .setIssuer('romm:oauth')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(TEST_SECRET));
  });
  afterAll(async () => t.app.close());

  it('every /api route declares its auth, with known scopes', () => {
    const api = t.routes.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs'));
    expect(api.length).toBeGreaterThan(10);
    for (const route of api) {
      expect(route.auth, `${route.method} ${route.url}`).toBeDefined();
      if (route.auth && route.auth !== 'public') {
        expect(route.auth.scopes.length, `${route.method} ${route.url}`).toBeGreaterThan(0);
        for (const s of route.auth.scopes) expect(FULL_SCOPES).toContain(s);
      }
    }
  });

  it('every scoped route answers 401 without credentials and 403 with a credential lacking its scopes', async () => {
    const scoped = t.routes.filter((r) => r.url.startsWith('/api') && r.auth && r.auth !== 'public' && r.method !== 'HEAD');
    for (const route of scoped) {
      const url = concrete(route.url);
      const method = route.method as 'GET';
      const anon = await t.app.inject({ method, url });
      expect(anon.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(anon.json()).toEqual({ detail: 'Not authenticated' });
      const denied = await t.app.inject({ method, url, headers: { authorization: `Bearer ${noScopes}` } });
      expect(denied.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(denied.json()).toEqual({ detail: 'Forbidden' });
    }
  });

  it('a route without an auth declaration cannot be registered', async () => {
    const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    registerAuth(app, { config: t.config, db: ctx().db, services: t.services }, []);
    expect(() => app.get('/api/undeclared-probe', async () => 'x')).toThrow(/GET \/api\/undeclared-probe declares no auth/);
    expect(() => app.get('/api/declared-probe', { config: { auth: 'public' } }, async () => 'x')).not.toThrow();
    await app.close();
  });

  it('serves the OpenAPI document and the docs UI', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const body = doc.json();
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toContain('/api/heartbeat');
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('routes answer with and without a trailing slash', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/heartbeat/' })).statusCode).toBe(200);
  });
});
