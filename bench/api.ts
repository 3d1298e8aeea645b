import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { sql } from 'kysely';
import { buildApp } from '../src/api/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Engine } from '../src/db/engine.ts';
import { composeServices, type Services } from '../src/compose.ts';
import { buildLibrary } from './lib/api-data.ts';
import { measure } from './lib/api-measure.ts';
import { openBenchDatabase } from './lib/bench-db.ts';

/**
 * `npm run bench:api [-- --roms N --runs R --engines sqlite,postgres,mysql]`: builds an N-ROM library in each
 * reachable database and prints p50/p95 latency of the browse requests RomM clients make all day, as JSON.
 */
const { values } = parseArgs({
  options: {
    roms: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '40' },
    'cold-runs': { type: 'string', default: '10' },
    engines: { type: 'string', default: 'sqlite,postgres,mysql' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'romshelf-bench-api') },
  },
});
const n = Number(values.roms);
const runs = Number(values.runs);
const coldRuns = Number(values['cold-runs']);
const NS = 'romshelf_bench_api';

async function runEngine(engine: Engine) {
  const opened = await openBenchDatabase(engine, values.dir, NS);
  if (opened.skipped !== undefined) return { skipped: opened.skipped };
  const { db, target } = opened;
  const t0 = performance.now();
  const lib = await db.kysely.transaction().execute((trx) => buildLibrary(trx, n, engine === 'sqlite' ? 400 : 800));
  if (engine === 'postgres') await sql`analyze`.execute(db.kysely);
  if (engine === 'mysql') await sql.raw('analyze table roms, rom_facets, rom_files, rom_user').execute(db.kysely);
  const buildSeconds = (performance.now() - t0) / 1000;

  const dataPath = path.join(values.dir, `data-${engine}`);
  mkdirSync(dataPath, { recursive: true });
  const config = { ...loadConfig({ DATA_PATH: dataPath, LIBRARY_PATH: path.join(values.dir, 'library'), SCAN_ON_START: 'false' }), database: target };
  const services = composeServices(config, db, 'bench-secret-0123456789abcdef0123456789', pino({ level: 'silent' }));
  const { app } = await buildApp({ config, db, services });
  const headers = { authorization: `Bearer ${await benchToken(services, lib.userId)}` };

  const requests: Record<string, string> = {
    gallery_default_page: '/api/roms?limit=72&offset=0&order_by=name&order_dir=asc',
    deep_page_offset_90000: `/api/roms?limit=72&offset=${Math.max(0, Math.min(90_000, n - 72))}&order_by=name&order_dir=asc`,
    platform_page: `/api/roms?limit=72&platform_ids=${lib.biggestPlatform}&order_by=name`,
    search_two_words: '/api/roms?limit=72&search_term=super%20world',
    three_facets_all_none: '/api/roms?limit=72&genres=Action&genres=Adventure&genres_logic=all&regions=Japan&regions_logic=none&game_modes=x&companies=Company%2010&companies=Company%2011&companies=Company%2012&companies_logic=any&languages=Fr&languages_logic=none',
    group_by_meta_id: '/api/roms?limit=72&group_by_meta_id=true&order_by=name',
    with_files: '/api/roms?limit=72&with_files=true',
    identifiers: '/api/roms/identifiers',
    filters: '/api/roms/filters',
  };
  const results: Record<string, unknown> = {};
  // warm: repeated requests served from the version cache; cold: cache emptied before every request, as after a write.
  for (const [name, url] of Object.entries(requests)) {
    results[name] = {
      warm: await measure(app, url, headers, runs),
      cold: await measure(app, url, headers, coldRuns, 1, () => services.romsRead.forgetCachedResults()),
    };
  }
  await app.close();
  await db.destroy();
  return { library: { ...lib, build_seconds: Math.round(buildSeconds * 10) / 10 }, results };
}

/** A client token with roms.read for the bench user, minted through the normal service. */
async function benchToken(services: Services, userId: number): Promise<string> {
  const user = await services.users.get(userId);
  const created = await services.clientTokens.create({ user, scopes: new Set(['roms.read']), via: 'session', permissions: await services.permissions.forUser(user) }, { name: 'bench', scopes: ['roms.read'] });
  return created.raw;
}

const out: Record<string, unknown> = { machine: { cpus: os.availableParallelism(), node: process.version }, roms: n, runs_per_request: { warm: runs, cold: coldRuns } };
for (const engine of values.engines.split(',').map((s) => s.trim()) as Engine[]) {
  out[engine] = await runEngine(engine);
  console.error(`${engine} done`);
}
console.log(JSON.stringify(out, null, 2));
