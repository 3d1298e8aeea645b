import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { seedRomLibrary, type SeededLibrary } from '../helpers/rom-fixtures.ts';

describeEachEngine('GET /api/roms', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let lib: SeededLibrary;
  const get = async (query: string, user: TestUser = alice) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/roms${query}`, headers: { authorization: user.basic } });
    return res;
  };
  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer', 'alice');
    const bob = await createUser(t.services, 'admin', 'bob');
    lib = await seedRomLibrary(ctx().db.kysely, { alice: alice.user.id, bob: bob.user.id });
  });
  afterAll(async () => t.app.close());

  it('answers the default page', async () => {
    const res = await get('');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    console.log(JSON.stringify(body, null, 1).slice(0, 6000));
    expect(body.total).toBe(7);
  });
});
