import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

/** Whether `pattern` (`/api/platforms/:id`) would match the concrete `url` (`/api/platforms/supported`). */
function matches(pattern: string, url: string): boolean {
  const p = pattern.split('/');
  const u = url.split('/');
  return p.length === u.length && p.every((seg, i) => seg === u[i] || (seg.startsWith(':') && u[i] !== ''));
}

describeEachEngine('route shadowing', (ctx) => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
  });
  afterAll(async () => t.app.close());

  it('every static GET path wins over a parameter path that would also match it', async () => {
    const gets = t.routes.filter((r) => r.method === 'GET' && r.url.startsWith('/api/'));
    const statics = gets.filter((r) => !r.url.includes(':') && !r.url.includes('*'));
    const shadowed = statics.filter((s) => gets.some((g) => g.url.includes(':') && matches(g.url, s.url)));
    // The platform listings are among them (they once fell into `/api/platforms/:id`'s 422).
    expect(shadowed.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/platforms/supported', '/api/platforms/filesystem', '/api/platforms/identifiers']));
    for (const route of shadowed) {
      const res = await t.app.inject({ url: route.url, headers: { authorization: admin.basic } });
      const detail = res.statusCode === 422 ? res.json<{ detail: unknown }>().detail : null;
      const pathError = Array.isArray(detail) && detail.some((d: { loc?: unknown[] }) => d.loc?.[0] === 'path');
      expect(pathError, `${route.url} answered ${res.statusCode} ${res.body}`).toBe(false);
      expect(res.statusCode, `${route.url} answered ${res.body}`).toBeLessThan(500);
    }
  });
});
