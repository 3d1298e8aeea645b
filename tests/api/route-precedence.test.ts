import Fastify from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

describeEachEngine('route precedence', (ctx) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ctx());
  });
  afterAll(async () => t.app.close());

  it('every static path is answered by its own route, never by a parameter route beside it', async () => {
    // The app's exact route table on a router with the app's options, each handler naming the pattern it serves
    // in a header (HEAD answers carry no body).
    const probe = Fastify({ routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 }, exposeHeadRoutes: false });
    for (const r of t.routes) probe.route({ method: r.method, url: r.url, handler: async (_req, reply) => reply.header('x-route', r.url).send('') });
    await probe.ready();
    const statics = t.routes.filter((r) => !/[:*]/.test(r.url));
    expect(statics.length).toBeGreaterThan(20);
    let shadowable = 0;
    for (const r of statics) {
      const res = await probe.inject({ method: r.method as Method, url: r.url });
      expect(res.headers['x-route'], `${r.method} ${r.url}`).toBe(r.url);
      if (t.routes.some((o) => o.method === r.method && o.url.includes(':') && o.url.split('/').length === r.url.split('/').length)) shadowable += 1;
    }
    // The check covers the collisions that matter (`/api/tasks/status` beside `/api/tasks/:task_id`, …).
    expect(shadowable).toBeGreaterThan(0);
    await probe.close();
  });
});
