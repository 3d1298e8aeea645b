import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { seedRomLibrary } from '../helpers/rom-fixtures.ts';

describeEachEngine('GET /api/roms: bad input is a 422 or data, never SQL and never a 500', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  const call = (query: string) => t.app.inject({ method: 'GET', url: `/api/roms${query}`, headers: { authorization: alice.basic } });
  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer', 'alice');
    const bob = await createUser(t.services, 'admin', 'bob');
    await seedRomLibrary(ctx().db.kysely, { alice: alice.user.id, bob: bob.user.id });
  });
  afterAll(async () => t.app.close());

  it('answers FastAPI’s 422 body for out-of-range numbers, malformed booleans and dates', async () => {
    const bad: [string, string][] = [
      ['?limit=0', 'limit'], ['?limit=10001', 'limit'], ['?limit=abc', 'limit'], ['?offset=-1', 'offset'],
      ['?matched=maybe', 'matched'], ['?with_files=2', 'with_files'], ['?group_by_meta_id=truee', 'group_by_meta_id'],
      ['?platform_ids=abc', 'platform_ids'], ['?collection_id=0', 'collection_id'], ['?collection_id=99999999999', 'collection_id'],
      ['?smart_collection_id=-1', 'smart_collection_id'], ['?updated_after=yesterday', 'updated_after'],
      ['?updated_after=2026-13-01T00:00:00Z', 'updated_after'], ['?updated_after=2026-02-30', 'updated_after'],
    ];
    for (const [query, field] of bad) {
      const res = await call(query);
      expect(res.statusCode, query).toBe(422);
      const detail = res.json().detail;
      expect(Array.isArray(detail), query).toBe(true);
      expect(detail[0].loc.slice(0, 2), query).toEqual(['query', field]);
      expect(typeof detail[0].msg).toBe('string');
    }
  });

  it('accepts every boolean spelling FastAPI accepts', async () => {
    for (const v of ['true', 'FALSE', '1', '0', 'yes', 'No', 'on', 'OFF', 't', 'f', 'y', 'n']) {
      expect((await call(`?matched=${v}`)).statusCode, v).toBe(200);
    }
    expect((await call('?limit=10000&offset=9007199254740991')).json().items).toEqual([]);
    expect((await call('?updated_after=2026-01-01')).statusCode).toBe(200);
    expect((await call('?updated_after=2026-01-01T00:00:00.123456-05:00')).statusCode).toBe(200);
  });

  it('treats quotes, wildcards, SQL fragments, huge and malformed strings as data', async () => {
    const nasty = [
      "'", '"', '\\', "'; DROP TABLE roms; --", '" OR 1=1 --', '%', '_', '%_%', '!', '!%', '\u0000', 'a\u0000b',
      'x'.repeat(10_000), Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' '), Array.from({ length: 500 }, () => 'a').join('|'),
      '😀 ünïcödé 日本', 'null', 'undefined', '(select 1)', '$1', '?', ':name', '`', '\n\t',
    ];
    for (const s of nasty) {
      const q = encodeURIComponent(s);
      for (const query of [
        `?search_term=${q}`, `?genres=${q}`, `?genres=${q}&genres_logic=all`, `?tags=${q}&tags_logic=none`, `?statuses=${q}`,
        `?player_counts=${q}`, `?metadata_providers=${q}`, `?order_by=${q}`, `?order_dir=${q}`, `?virtual_collection_id=${q}`,
        `?regions_logic=${q}&regions=USA`,
      ]) {
        const res = await call(query);
        expect([200, 422], `${query.slice(0, 80)} → ${res.body.slice(0, 200)}`).toContain(res.statusCode);
      }
    }
    // Raw invalid percent-encoding and invalid UTF-8 bytes.
    for (const raw of ['?search_term=%FF%FE%FD', '?search_term=%E0%A4%A', '?genres=%C3%28', '?search_term=%', '?order_by=%00', '?search_term=%ED%A0%80', '?tags=%ED%A0%80']) {
      const res = await call(raw);
      expect([200, 400, 422], `${raw} → ${res.body.slice(0, 200)}`).toContain(res.statusCode);
    }
    const still = await call('');
    expect(still.json().total).toBe(7);
  });

  it('never lets an injection attempt widen a match', async () => {
    expect((await call("?search_term=%27%20OR%20%271%27%3D%271")).json().items).toEqual([]);
    expect((await call("?genres=RPG%27%20OR%20%271%27%3D%271")).json().items).toEqual([]);
    expect((await call('?search_term=%25%25')).json().items).toEqual([]);
  });

  it('validates the lookups too', async () => {
    const long = 'a'.repeat(5000);
    expect((await t.app.inject({ method: 'GET', url: `/api/roms/by-hash?crc_hash=${long}`, headers: { authorization: alice.basic } })).statusCode).toBe(422);
    expect((await t.app.inject({ method: 'GET', url: `/api/roms/by-hash?crc_hash=%00%27`, headers: { authorization: alice.basic } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/roms/by-metadata-provider?flashpoint_id=%27%00', headers: { authorization: alice.basic } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/roms/random?platform_ids=x', headers: { authorization: alice.basic } })).statusCode).toBe(422);
  });

  it('looks ROMs up by provider ids only, never by another column named in the query', async () => {
    const lookup = (query: string) => t.app.inject({ method: 'GET', url: `/api/roms/by-metadata-provider?${query}`, headers: { authorization: alice.basic } });
    // Columns of roms that are not provider ids, and names that are no column at all: ignored like FastAPI ignores
    // unknown query parameters, so the lookup has no id to go by.
    for (const query of ['id=1', 'fs_size_bytes=4096', 'fs_name=Super%20Mario%20Advance%20(USA).gba', 'no_such_column=1', 'r.id=1', 'id%20or%201=1']) {
      const res = await lookup(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toEqual({ detail: 'At least one metadata ID must be provided' });
    }
    // Beside a real provider id, an unknown key neither widens nor breaks the match.
    const miss = await lookup('igdb_id=424242&id=1&fs_size_bytes=4096');
    expect(miss.statusCode).toBe(404);
    expect(miss.json()).toEqual({ detail: 'ROM not found with given metadata IDs' });
    expect((await lookup('igdb_id=100&no_such_column=1')).statusCode).toBe(200);
  });
});
