import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

describeEachEngine('CORS', (ctx) => {
  let closed: TestApp;
  let open: TestApp;
  beforeAll(async () => {
    closed = await createTestApp(ctx());
    open = await createTestApp(ctx(), { CORS_ORIGINS: 'https://games.example, https://other.example' });
  });
  afterAll(async () => {
    await closed.app.close();
    await open.app.close();
  });

  it('sends no CORS headers by default, so other sites cannot read responses', async () => {
    const res = await closed.app.inject({ method: 'GET', url: '/api/heartbeat', headers: { origin: 'https://evil.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows only the configured origins, with credentials', async () => {
    const ok = await open.app.inject({ method: 'GET', url: '/api/heartbeat', headers: { origin: 'https://games.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://games.example');
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    const other = await open.app.inject({ method: 'GET', url: '/api/heartbeat', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
