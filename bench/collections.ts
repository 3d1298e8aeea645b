import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import { buildApp } from '../src/api/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Engine } from '../src/db/engine.ts';
import type { Database, FacetKind } from '../src/db/schema.ts';
import { composeServices } from '../src/compose.ts';
import { buildLibrary } from './lib/api-data.ts';
import { measure } from './lib/api-measure.ts';
import { openBenchDatabase } from './lib/bench-db.ts';

/**
 * `npm run bench:collections [-- --roms N --runs R --engines sqlite,postgres,mysql]`: on the 100k-ROM library of
 * bench:api, adds facets up to ~2,000 virtual collections, a few hundred regular and smart collections, and prints
 * p95 latency of the collection requests as JSON. RomM: ~40 s for virtual collections at 92.8k ROMs before its
 * fix, 0.13 s after.
 */
const { values } = parseArgs({
  options: {
    roms: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '30' },
    engines: { type: 'string', default: 'sqlite' },
    regular: { type: 'string', default: '300' },
    smart: { type: 'string', default: '120' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'romshelf-bench-collections') },
  },
});
const n = Number(values.roms);
const runs = Number(values.runs);
const NS = 'romshelf_bench_collections';

/** Extra franchise and company names on matched ROMs, bringing the library to ~2,000 virtual collections. */
async function extraFacets(db: Kysely<Database>, chunk: number): Promise<void> {
  const ids = (await db.selectFrom('rom_facets').select('rom_id').distinct().where('kind', '=', 'genre').orderBy('rom_id').execute()).map((r) => Number(r.rom_id));
  const rows: { rom_id: number; kind: FacetKind; value: string }[] = [];
  ids.forEach((rom_id, i) => {
    if (i % 4 === 1) rows.push({ rom_id, kind: 'franchise', value: `Saga ${Math.floor(i / 4) % 700}` });
    if (i % 5 === 2) rows.push({ rom_id, kind: 'company', value: `Studio ${Math.floor(i / 5) % 350}` });
  });
  for (let s = 0; s < rows.length; s += chunk) await db.insertInto('rom_facets').values(rows.slice(s, s + chunk)).execute();
}

/** The virtual listing right after the library changed (its cache invalidated before every run). */
async function coldVirtual(app: Awaited<ReturnType<typeof buildApp>>['app'], db: Kysely<Database>, headers: Record<string, string>, n: number) {
  return timed(n, async () => {
    await sql`update collections_state set facets_version = facets_version + 1 where id = 1`.execute(db);
    const res = await app.inject({ method: 'GET', url: '/api/collections/virtual?type=all', headers });
    if (res.statusCode !== 200) throw new Error(`virtual list answered ${res.statusCode}`);
  });
}

async function timed(n: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => Math.round((times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] ?? 0) * 10) / 10;
  return { p50_ms: at(0.5), p95_ms: at(0.95), runs: n };
}

async function runEngine(engine: Engine) {
  const opened = await openBenchDatabase(engine, values.dir, NS);
  if (opened.skipped !== undefined) return { skipped: opened.skipped };
  const { db, target } = opened;
  const t0 = performance.now();
  const chunk = engine === 'sqlite' ? 400 : 800;
  const lib = await db.kysely.transaction().execute(async (trx) => {
    const built = await buildLibrary(trx, n, chunk);
    await extraFacets(trx, chunk * 5);
    return built;
  });
  if (engine === 'postgres') await sql`analyze`.execute(db.kysely);
  if (engine === 'mysql') await sql.raw('analyze table roms, rom_facets, collections, collections_roms, smart_collections').execute(db.kysely);

  const dataPath = path.join(values.dir, `data-${engine}`);
  mkdirSync(dataPath, { recursive: true });
  const config = { ...loadConfig({ DATA_PATH: dataPath, LIBRARY_PATH: path.join(values.dir, 'library'), SCAN_ON_START: 'false' }), database: target };
  const services = composeServices(config, db, 'bench-secret-0123456789abcdef0123456789', pino({ level: 'silent' }));
  const user = await services.users.get(lib.userId);
  const other = await services.users.createFromCli({ username: 'other', password: 'other-password', role: 'viewer' });

  // Regular collections: the bench user's and another user's (half public), 10-500 ROMs each.
  const romIds = (await db.kysely.selectFrom('roms').select('id').orderBy('id').execute()).map((r) => Number(r.id));
  const { regular, smart, virtual } = services.collections;
  for (let i = 0; i < Number(values.regular); i++) {
    const owner = i % 3 === 2 ? other.id : lib.userId;
    const c = await regular.create(owner, { name: `Shelf ${i}`, description: '', urlCover: '', isPublic: i % 2 === 0, isFavorite: false });
    const size = 10 + ((i * 37) % 490);
    await regular.addRoms(owner, c.id, Array.from({ length: size }, (_, k) => romIds[(i * 997 + k * 131) % romIds.length] as number));
  }
  // Smart collections over the engine's criteria: genres, modes, regions, statuses, favourites, collection ids.
  const genres = (await virtual.list('genre')).map((g) => g.name);
  const tSmart = performance.now();
  for (let i = 0; i < Number(values.smart); i++) {
    const criteria = [
      { genres: [genres[i % genres.length]] },
      { genres: [genres[i % genres.length], genres[(i + 3) % genres.length]], genres_logic: 'all', order_by: 'first_release_date' },
      { selected_region: 'Japan', matched: true },
      { statuses: ['finished'] },
      { favorite: true },
      { collection_id: 1 + (i % 50), search_term: 'super' },
    ][i % 6];
    await smart.create(i % 4 === 3 ? other.id : lib.userId, { name: `Smart ${i}`, filterCriteria: JSON.stringify(criteria), isPublic: i % 2 === 0 });
  }
  const smartCreateMs = (performance.now() - tSmart) / Number(values.smart);
  const buildSeconds = (performance.now() - t0) / 1000;

  const { app } = await buildApp({ config, db, services });
  const token = await services.clientTokens.create({ user, scopes: new Set(['collections.read', 'roms.read']), via: 'session', permissions: await services.permissions.forUser(user) }, { name: 'bench', scopes: ['collections.read', 'roms.read'] });
  const headers = { authorization: `Bearer ${token.raw}` };

  const all = await virtual.list('all');
  const biggest = [...all].sort((a, b) => b.rom_count - a.rom_count)[0];
  const smallest = [...all].sort((a, b) => a.rom_count - b.rom_count)[0];
  const smartRows = await smart.list(lib.userId);
  const bigSmart = [...smartRows].filter((s) => s.user_id === lib.userId).sort((a, b) => b.rom_count - a.rom_count)[0];
  const requests: Record<string, string> = {
    virtual_all: '/api/collections/virtual?type=all',
    virtual_genre: '/api/collections/virtual?type=genre',
    virtual_identifiers: '/api/collections/virtual/identifiers',
    virtual_one_biggest: `/api/collections/virtual/${biggest?.id ?? ''}`,
    virtual_one_smallest: `/api/collections/virtual/${smallest?.id ?? ''}`,
    smart_page_biggest: `/api/roms?smart_collection_id=${bigSmart?.id ?? 1}&limit=72&order_by=name`,
    smart_page_no_index: `/api/roms?smart_collection_id=${bigSmart?.id ?? 1}&limit=72&with_rom_id_index=false&with_filter_values=false&with_char_index=false`,
    smart_one: `/api/collections/smart/${bigSmart?.id ?? 1}`,
    smart_list: '/api/collections/smart',
    collections_list: '/api/collections',
    collections_one: '/api/collections/1',
    virtual_page: `/api/roms?virtual_collection_id=${biggest?.id ?? ''}&limit=72`,
  };
  const results: Record<string, unknown> = {};
  for (const [name, url] of Object.entries(requests)) results[name] = await measure(app, url, headers, runs);
  results.virtual_all_cold = await coldVirtual(app, db.kysely, headers, Math.min(runs, 10));
  results.smart_live_ids_only = await timed(Math.min(runs, 10), () => smart.resolveSmartRomIds(lib.userId, bigSmart?.id ?? 1));
  const refreshStart = performance.now();
  const refreshed = await smart.refreshSmartCollections();
  const refreshAllSeconds = (performance.now() - refreshStart) / 1000;
  await app.close();
  await db.destroy();
  return {
    library: {
      ...lib, virtual_collections: all.length, biggest_virtual_roms: biggest?.rom_count, regular_collections: Number(values.regular),
      smart_collections: refreshed, biggest_smart_roms: bigSmart?.rom_count, build_seconds: Math.round(buildSeconds * 10) / 10,
    },
    smart_create_avg_ms: Math.round(smartCreateMs),
    refresh_all_smart_seconds: Math.round(refreshAllSeconds * 10) / 10,
    results,
  };
}

const out: Record<string, unknown> = { machine: { cpus: os.availableParallelism(), node: process.version }, roms: n, runs_per_request: runs };
for (const engine of values.engines.split(',').map((s) => s.trim()) as Engine[]) {
  out[engine] = await runEngine(engine);
  console.error(`${engine} done`);
}
console.log(JSON.stringify(out, null, 2));
