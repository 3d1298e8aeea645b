import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { basicHeader, createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

let address = 0;
/** A client address of its own, so one test's failures never count against another's. */
const freshAddress = () => `10.1.${Math.floor(++address / 250)}.${address % 250}`;

describeEachEngine('failed-login throttling', (ctx) => {
  let t: TestApp;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    other = await createUser(t.services, 'viewer');
  });
  afterAll(async () => t.app.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const login = (authorization: string, remoteAddress = freshAddress()) =>
    t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization }, remoteAddress });
  const token = (username: string, password: string, remoteAddress = freshAddress()) =>
    t.app.inject({
      method: 'POST',
      url: '/api/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ username, password }).toString(),
      remoteAddress,
    });
  const me = (authorization: string, remoteAddress = freshAddress()) =>
    t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization }, remoteAddress });

  it('blocks an account after 10 failures, refuses even the right password, and lets it in after the block', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const victim = await createUser(t.services, 'viewer');
    const wrong = basicHeader(victim.user.username, 'guess');
    // Every guess from a different address: the per-account limit alone must stop them.
    for (let i = 0; i < 10; i++) expect((await login(wrong)).statusCode, `attempt ${i + 1}`).toBe(401);
    const eleventh = await login(wrong);
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json()).toEqual({ detail: 'Too many failed attempts. Try again later.' });
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(eleventh.headers['retry-after'])).toBeLessThanOrEqual(60);

    // The right password during the block is refused on every password route.
    expect((await login(victim.basic)).statusCode).toBe(429);
    expect((await token(victim.user.username, victim.password)).statusCode).toBe(429);
    expect((await me(victim.basic)).statusCode).toBe(429);
    // Other users are unaffected.
    expect((await login(other.basic)).statusCode).toBe(200);

    vi.setSystemTime(Date.now() + 61_000);
    expect((await login(victim.basic)).statusCode).toBe(200);
  });

  it('doubles each further block up to the cap, so the owner is never locked out for long', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const victim = await createUser(t.services, 'viewer');
    const wrong = basicHeader(victim.user.username, 'guess');
    const blocks: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 10; i++) expect((await login(wrong)).statusCode).toBe(401);
      const blocked = await login(wrong);
      expect(blocked.statusCode).toBe(429);
      blocks.push(Number(blocked.headers['retry-after']));
      vi.setSystemTime(Date.now() + blocks[round]! * 1000 + 1000);
    }
    expect(blocks).toEqual([60, 120, 240, 300]);
  });

  it('counts unknown account names too, so a 429 does not reveal which accounts exist', async () => {
    const wrong = basicHeader('nobody-here', 'guess');
    for (let i = 0; i < 10; i++) expect((await login(wrong)).statusCode).toBe(401);
    expect((await login(wrong)).statusCode).toBe(429);
  });

  it('throttles the password grant and HTTP Basic with the same counters', async () => {
    const victim = await createUser(t.services, 'viewer');
    for (let i = 0; i < 5; i++) expect((await token(victim.user.username, 'guess')).statusCode).toBe(401);
    for (let i = 0; i < 5; i++) expect((await me(basicHeader(victim.user.username, 'guess'))).statusCode).toBe(401);
    const blocked = await token(victim.user.username, victim.password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });

  it('keeps serving a Basic credential verified before the block: the guesses never lock out running clients', async () => {
    const victim = await createUser(t.services, 'viewer');
    expect((await me(victim.basic)).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) await login(basicHeader(victim.user.username, 'guess'));
    expect((await login(victim.basic)).statusCode).toBe(429);
    expect((await me(victim.basic)).statusCode).toBe(200);
  });

  it('a success resets the account counter', async () => {
    const victim = await createUser(t.services, 'viewer');
    const wrong = basicHeader(victim.user.username, 'guess');
    for (let i = 0; i < 9; i++) expect((await login(wrong)).statusCode).toBe(401);
    expect((await login(victim.basic)).statusCode).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login(wrong)).statusCode).toBe(401);
    expect((await login(victim.basic)).statusCode).toBe(200);
  });
});

describeEachEngine('per-address throttling', (ctx) => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ctx(), { AUTH_ADDRESS_MAX_FAILURES: '15' });
    user = await createUser(t.services, 'viewer');
  });
  afterAll(async () => t.app.close());

  const login = (authorization: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization }, remoteAddress });

  it('blocks an address guessing across many accounts, and only that address', async () => {
    // Three guesses per account: no account reaches its own limit, the address does.
    for (let i = 0; i < 15; i++) {
      expect((await login(basicHeader(`target${i % 5}`, `guess${i}`), '192.0.2.7')).statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const blocked = await login(user.basic, '192.0.2.7');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(60);
    expect((await login(user.basic, '192.0.2.8')).statusCode).toBe(200);
    expect((await login(basicHeader('target1', 'guess'), '192.0.2.8')).statusCode).toBe(401);
  });
});

describeEachEngine('concurrent password verifications', (ctx) => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    // Cost 10: each verification takes long enough for the others to arrive while it runs.
    t = await createTestApp(ctx(), { PASSWORD_HASH_COST: '10', AUTH_MAX_CONCURRENT_VERIFICATIONS: '1', AUTH_VERIFY_QUEUE: '1' });
    user = await createUser(t.services, 'viewer');
  });
  afterAll(async () => t.app.close());

  it('runs at most one bcrypt at a time, queues one more and turns the rest away with 503 and Retry-After', async () => {
    const attempts = Array.from({ length: 6 }, (_, i) =>
      t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: basicHeader(`crowd${i}`, 'guess') }, remoteAddress: `198.51.100.${i}` }));
    const answers = await Promise.all(attempts);
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 401).length).toBe(2);
    expect(codes.filter((c) => c === 503).length).toBe(4);
    const busy = answers.find((r) => r.statusCode === 503);
    expect(busy?.headers['retry-after']).toBe('1');
    expect(busy?.json().detail).toMatch(/Try again shortly/);
    expect(t.services.passwordGate.load).toEqual({ active: 0, queued: 0 });
    expect((await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: user.basic } })).statusCode).toBe(200);
  });
});

describe('pairing-code guessing', () => {
  describeEachEngine('pairing codes', (ctx) => {
    let t: TestApp;
    let owner: TestUser;

    beforeAll(async () => {
      t = await createTestApp(ctx());
      owner = await createUser(t.services, 'viewer');
    });
    afterAll(async () => t.app.close());

    const exchange = (code: string, remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: '/api/client-tokens/exchange', payload: { code }, remoteAddress });
    const status = (code: string, remoteAddress: string) =>
      t.app.inject({ method: 'GET', url: `/api/client-tokens/pair/${code}/status`, remoteAddress });

    it('blocks an address after five unknown codes on exchange or status, even for a valid code', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/client-tokens', headers: { authorization: owner.basic }, payload: { name: 'tv', scopes: ['me.read'] } });
      const pair = await t.app.inject({ method: 'POST', url: `/api/client-tokens/${created.json().id}/pair`, headers: { authorization: owner.basic } });
      const { code } = pair.json();

      for (let i = 0; i < 3; i++) expect((await exchange(`AAAA${i}AAA`, '203.0.113.5')).statusCode).toBe(404);
      for (let i = 0; i < 2; i++) expect((await status(`BBBB${i}BBB`, '203.0.113.5')).statusCode).toBe(404);
      const blocked = await exchange(code, '203.0.113.5');
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await status(code, '203.0.113.5')).statusCode).toBe(429);
      // The code was not spent by the blocked attempt; another address redeems it.
      expect((await status(code, '203.0.113.6')).statusCode).toBe(200);
      expect((await exchange(code, '203.0.113.6')).statusCode).toBe(200);
    });
  });
});
