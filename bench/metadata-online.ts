import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { parseSummary, runRomshelf, type ChildRun } from './lib/cli-scan.ts';
import { startFakeProviders, type ProviderName } from './lib/fake-providers/index.ts';
import type { FakeServerStats } from './lib/fake-providers/server.ts';
import { generateOnlineLibrary } from './lib/online-library.ts';

/**
 * `npm run bench:metadata-online [-- --roms N --platforms P --sources LIST --latency LO,HI --seed S
 * --hasheous-limit 80 --hasheous-window-ms 10000 --libretro-rps 10 --igdb-rps 4 --dir DIR --no-reference]`:
 * online metadata at scale against local fakes of Hasheous, libretro thumbnails and IGDB (bench/lib/fake-providers:
 * one HTTP server each, 50-150 ms per answer, each service's rate limit enforced with 429 + Retry-After, every
 * request counted). A generated library (default 10,000 ROMs, real DAT names, each file's hashes known to the fake
 * Hasheous) is scanned by `romshelf scan --type quick --metadata hasheous,libretro,igdb` in a child process, then
 * rescanned with `--type update` and the same sources, which should cost no call at all thanks to the answer cache.
 * The reference is the same first scan without metadata (`--metadata none`), so the metadata pass's own time is the
 * difference. Prints one JSON object: times, calls per ROM per provider, 429s, rerun calls, the 100,000-ROM
 * extrapolation and the rate-limit floor with the ratio, ROMs matched per provider (summary and database).
 */
const { values } = parseArgs({
  options: {
    roms: { type: 'string', default: '10000' },
    platforms: { type: 'string', default: '40' },
    sources: { type: 'string', default: 'hasheous,libretro,igdb' },
    latency: { type: 'string', default: '50,150' },
    seed: { type: 'string', default: '1' },
    'hasheous-limit': { type: 'string', default: '80' },
    'hasheous-window-ms': { type: 'string', default: '10000' },
    'libretro-rps': { type: 'string', default: '10' },
    'igdb-rps': { type: 'string', default: '4' },
    'no-reference': { type: 'boolean', default: false },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'romshelf-bench-metadata-online') },
  },
});
const roms = Number(values.roms);
const platforms = Math.min(40, Number(values.platforms));
const [latLo, latHi] = values.latency.split(',').map(Number) as [number, number];
const sources = values.sources;
const dir = path.resolve(values.dir);
const PROVIDERS: ProviderName[] = ['hasheous', 'libretro', 'igdb'];
const EXTRAPOLATE_TO = 100_000;
const log = (msg: string) => process.stderr.write(`bench:metadata-online: ${msg}\n`);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

// The scans run the bundled CLI under plain node, as `bin/romshelf` runs after `npm install`.
log('bundling dist/romshelf.mjs');
await import('../scripts/build-server.ts');
mkdirSync(dir, { recursive: true });
const help = await runRomshelf({ args: ['scan', '--help'], env: {}, rssFile: path.join(dir, 'help.rss') });

const { library, catalogue } = await generateOnlineLibrary({ roms, platforms, dir });
log(`library ${library.reused ? 'reused' : `generated in ${library.generate_seconds} s`}: ${library.root}`);

const fakes = await startFakeProviders({
  catalogue, seed: Number(values.seed), latencyMs: [latLo, latHi],
  hasheous: { limit: Number(values['hasheous-limit']), windowMs: Number(values['hasheous-window-ms']) },
  libretroPerSecond: Number(values['libretro-rps']), igdbPerSecond: Number(values['igdb-rps']),
});
log(`fakes: hasheous ${fakes.urls.hasheous}, libretro ${fakes.urls.libretro}, igdb ${fakes.urls.igdb}`);

const runs = path.join(dir, 'runs');
const dataDir = (name: string) => {
  const d = path.join(runs, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
};
// An empty local thumbnails folder: libretro art must come over HTTP.
const emptyThumbnails = dataDir('empty-libretro-thumbnails');
const env = (dataPath: string): Record<string, string> => ({
  LIBRARY_PATH: library.root,
  DATA_PATH: dataPath,
  // Hasheous identifies ROMs by hash: the scan must hash.
  SCAN_SKIP_HASH_CALCULATION: 'false',
  LAUNCHBOX_METADATA_PATH: path.join(runs, 'no-launchbox', 'Metadata.xml'),
  ...fakes.env(emptyThumbnails),
});
const dbOf = (dataPath: string) => path.join(dataPath, 'romshelf.db');

interface Run extends ChildRun { per_source: Record<string, { matched: number; unmatched: number; errors: number }> }

async function scan(name: string, dataPath: string, type: string, metadata: string, watch: boolean): Promise<Run> {
  log(`scan: ${name} (--type ${type} --metadata ${metadata})`);
  const run = await runRomshelf({
    args: ['scan', '--type', type, `--metadata=${metadata}`], env: env(dataPath), rssFile: path.join(runs, `${name}.rss`),
    ...(watch ? { watch: { dbFile: dbOf(dataPath), expectedRoms: library.roms } } : {}),
  });
  const { stdout, ...rest } = run;
  if (run.exit_code !== 0) log(`${name}: romshelf scan exited with ${run.exit_code}\n${run.stderr_tail?.join('\n') ?? ''}`);
  return { ...rest, summary: parseSummary(stdout), per_source: perSource(stdout) };
}

/** The CLI's per-source lines: `    <source> N matched, M unmatched, E errors`. */
function perSource(stdout: string): Run['per_source'] {
  const out: Run['per_source'] = {};
  for (const m of stdout.matchAll(/^\s+([\w-]+)\s+(\d+) matched, (\d+) unmatched, (\d+) errors\s*$/gm)) {
    out[m[1] as string] = { matched: Number(m[2]), unmatched: Number(m[3]), errors: Number(m[4]) };
  }
  return out;
}

/** Counts in the scanned database; a column or table the schema lacks counts as null. */
function counts(dbFile: string): Record<string, unknown> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  const count = (query: string) => {
    try { return (db.prepare(query).get() as { c: number }).c; } catch { return null; }
  };
  const nonEmptyJson = (col: string) => count(`SELECT count(*) AS c FROM roms WHERE ${col} IS NOT NULL AND ${col} NOT IN ('', '{}', 'null')`);
  let cache: Record<string, number> | null = null;
  try {
    cache = Object.fromEntries((db.prepare('SELECT provider, count(*) AS c FROM metadata_http_cache GROUP BY provider').all() as { provider: string; c: number }[]).map((r) => [r.provider, r.c]));
  } catch { /* no cache table */ }
  const out = {
    roms: count('SELECT count(*) AS c FROM roms'),
    metadata_scanned: count('SELECT count(*) AS c FROM roms WHERE metadata_scanned_at IS NOT NULL'),
    matched: {
      hasheous: count('SELECT count(*) AS c FROM roms WHERE hasheous_id IS NOT NULL'),
      igdb: count('SELECT count(*) AS c FROM roms WHERE igdb_id IS NOT NULL'),
      ra: count('SELECT count(*) AS c FROM roms WHERE ra_id IS NOT NULL'),
      libretro: count('SELECT count(*) AS c FROM roms WHERE libretro_id IS NOT NULL'),
    },
    with_hasheous_metadata: nonEmptyJson('hasheous_metadata'),
    with_igdb_metadata: nonEmptyJson('igdb_metadata'),
    verified: count('SELECT count(*) AS c FROM roms WHERE verified = 1'),
    with_summary: count("SELECT count(*) AS c FROM roms WHERE summary IS NOT NULL AND summary <> ''"),
    with_url_cover: count("SELECT count(*) AS c FROM roms WHERE url_cover IS NOT NULL AND url_cover <> ''"),
    with_stored_cover: count("SELECT count(*) AS c FROM roms WHERE path_cover_s IS NOT NULL AND path_cover_s <> ''"),
    http_cache_entries: cache,
  };
  db.close();
  return out;
}

/** Requests that count against a provider's limit (IGDB's images come from a CDN, its token from Twitch). */
const limitedRequests = (p: ProviderName, s: FakeServerStats) =>
  p === 'igdb' ? Object.entries(s.by_endpoint).filter(([e]) => e.startsWith('POST /v4/')).reduce((a, [, n]) => a + n, 0) : s.requests;

function providerReport(stats: ReturnType<typeof fakes.stats>) {
  return Object.fromEntries(PROVIDERS.map((p) => {
    const s = stats[p];
    const limited = limitedRequests(p, s);
    return [p, {
      requests: s.requests, rate_limited_requests: limited, calls_per_rom: round(limited / library.roms, 4),
      rate_limited_429: s.rate_limited_429, max_open: s.max_open, by_endpoint: s.by_endpoint, by_status: s.by_status,
    }];
  })) as Record<ProviderName, { requests: number; rate_limited_requests: number; calls_per_rom: number; rate_limited_429: number; max_open: number; by_endpoint: Record<string, number>; by_status: Record<string, number> }>;
}

const out: Record<string, unknown> = {
  machine: { cpus: os.availableParallelism(), node: process.version, load_average: os.loadavg().map((x) => round(x, 1)) },
  options: { roms, platforms, sources, latency_ms: [latLo, latHi], seed: Number(values.seed), dir },
  library: { ...library, catalogue: {
    hasheous_known_dumps: catalogue.roms.filter((r) => r.hasheousId !== null).length,
    igdb_games: catalogue.games.size,
    roms_with_igdb_game: catalogue.roms.filter((r) => r.igdbId !== null).length,
    roms_with_hasheous_igdb_id: catalogue.roms.filter((r) => r.hasheousIgdb).length,
    libretro_boxarts: [...catalogue.libretro.values()].reduce((a, f) => a + (f.get('Named_Boxarts')?.length ?? 0), 0),
  } },
  fakes: { urls: fakes.urls, limits: fakes.limits() },
  cli_help_names_sources: PROVIDERS.filter((p) => help.stdout.includes(p)),
};

const warnings: string[] = [];
try {
  let reference: Run | null = null;
  if (!values['no-reference']) {
    reference = await scan('files-only', dataDir('files-only'), 'quick', 'none', true);
    fakes.resetStats();
  }
  const data = dataDir('online');
  const first = await scan('first', data, 'quick', sources, true);
  const firstStats = fakes.stats();
  const firstDb = counts(dbOf(data));
  fakes.resetStats();
  const rerun = await scan('rerun', data, 'update', sources, false);
  const rerunStats = fakes.stats();
  const rerunDb = counts(dbOf(data));

  const firstProviders = providerReport(firstStats);
  const rerunProviders = providerReport(rerunStats);
  const passSeconds = reference ? round(first.seconds - reference.seconds) : first.seconds;
  const limits = fakes.limits();
  const floor = Object.fromEntries(PROVIDERS.map((p) => {
    const perRom = firstProviders[p].calls_per_rom;
    return [p, {
      limit_per_second: limits[p].per_second,
      calls_per_rom: perRom,
      floor_seconds: round((perRom * library.roms) / limits[p].per_second, 1),
      floor_seconds_at_100k: round((perRom * EXTRAPOLATE_TO) / limits[p].per_second, 1),
    }];
  })) as Record<ProviderName, { limit_per_second: number; calls_per_rom: number; floor_seconds: number; floor_seconds_at_100k: number }>;
  // Providers answer in parallel when the pass overlaps them (the floor is the slowest one), one after another
  // when it does not (the sum).
  const concurrentFloor = Math.max(...PROVIDERS.map((p) => floor[p].floor_seconds));
  const sequentialFloor = PROVIDERS.reduce((a, p) => a + floor[p].floor_seconds, 0);
  const scale = EXTRAPOLATE_TO / library.roms;
  const received429 = PROVIDERS.reduce((a, p) => a + firstProviders[p].rate_limited_429, 0);
  const rerunCalls = PROVIDERS.reduce((a, p) => a + rerunProviders[p].requests, 0);

  out.reference_files_only = reference;
  out.first_scan = { ...first, providers: firstProviders, hasheous_without_client_api_key: firstStats.hasheous_without_client_api_key, igdb_tokens_issued: firstStats.igdb_tokens_issued, db: firstDb };
  out.rerun = { ...rerun, providers: rerunProviders, igdb_tokens_issued: rerunStats.igdb_tokens_issued, db: rerunDb };
  out.results = {
    wall_seconds_first_scan: first.seconds,
    wall_seconds_metadata_pass: passSeconds,
    wall_seconds_rerun: rerun.seconds,
    calls_per_rom: Object.fromEntries(PROVIDERS.map((p) => [p, firstProviders[p].calls_per_rom])),
    rate_limited_429_received: { total: received429, ...Object.fromEntries(PROVIDERS.map((p) => [p, firstProviders[p].rate_limited_429])) },
    rerun_calls: { total: rerunCalls, ...Object.fromEntries(PROVIDERS.map((p) => [p, rerunProviders[p].requests])) },
    matched_summary: first.per_source,
    matched_db: (firstDb as { matched: unknown }).matched,
    extrapolated_100k: {
      first_scan_seconds: round(first.seconds * scale, 0),
      metadata_pass_seconds: round(passSeconds * scale, 0),
      rate_limit_floor_seconds_concurrent: round(concurrentFloor * scale, 0),
      rate_limit_floor_seconds_sequential: round(sequentialFloor * scale, 0),
    },
    rate_limit_floor: {
      per_provider: floor,
      concurrent_seconds: round(concurrentFloor, 1),
      sequential_seconds: round(sequentialFloor, 1),
      // 1.0 = the pass ran exactly at the slowest provider's limit; above = time lost elsewhere.
      pass_to_floor_ratio_concurrent: concurrentFloor > 0 && passSeconds > 0 ? round(passSeconds / concurrentFloor, 2) : null,
      pass_to_floor_ratio_sequential: sequentialFloor > 0 && passSeconds > 0 ? round(passSeconds / sequentialFloor, 2) : null,
    },
  };
  // A target only counts when the run did the work: every requested provider called its fake and the scans finished.
  const requested = PROVIDERS.filter((p) => sources.split(',').includes(p));
  const verified = first.exit_code === 0 && rerun.exit_code === 0 && requested.length > 0 && requested.every((p) => firstProviders[p].requests > 0);
  out.targets = {
    verified,
    no_429_received: { target: 0, value: received429, pass: verified ? received429 === 0 : null },
    rerun_calls_zero: { target: 0, value: rerunCalls, pass: verified ? rerunCalls === 0 : null },
  };

  for (const [name, run] of [['files-only reference', reference], ['first scan', first], ['rerun', rerun]] as const) {
    if (run && run.exit_code !== 0) warnings.push(`${name}: romshelf scan exited with ${run.exit_code}`);
  }
  for (const p of PROVIDERS) {
    if (!sources.split(',').includes(p)) continue;
    if (firstProviders[p].requests === 0) warnings.push(`${p}: the first scan sent the fake no request (is the ${p} provider in this build?)`);
    if (!(p in first.per_source)) warnings.push(`${p}: the scan summary has no line for it`);
  }
  if (firstStats.hasheous.requests > 0 && firstStats.hasheous_without_client_api_key > 0) warnings.push(`hasheous: ${firstStats.hasheous_without_client_api_key} requests without the X-Client-API-Key header RomM sends`);
  const handlerErrors = PROVIDERS.reduce((a, p) => a + (firstStats[p].by_endpoint['handler-error'] ?? 0), 0);
  if (handlerErrors > 0) warnings.push(`${handlerErrors} requests hit a fake provider bug (HTTP 500)`);
} finally {
  await fakes.close();
}
out.warnings = warnings;
console.log(JSON.stringify(out, null, 2));
