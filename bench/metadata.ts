import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { parseSummary, runRomshelf, type ChildRun } from './lib/cli-scan.ts';
import { measureGallery } from './lib/gallery-http.ts';
import { generateMetadataLibrary } from './lib/metadata-library.ts';

/**
 * `npm run bench:metadata [-- --full | --roms N --platforms P --launchbox-games G --pages K --metadata LIST --hash
 * --dir DIR]`: metadata from what users already have. A generated library (ES-DE gamelist.xml and a cover per ROM in
 * every platform folder, LaunchBox's Metadata.xml beside it) is scanned by `romshelf scan` in child processes, as a
 * user runs it, and measured from outside: the first scan with metadata (files pass + metadata pass, and when ROMs
 * first show up), an unchanged rescan, the Metadata.xml import alone, and the gallery with its covers over HTTP. The
 * reference, in the same run: the same first scan without metadata (`--metadata=`), and the gallery of that library.
 * Prints one JSON object with the targets and whether each is met. Default 10,000 ROMs; `--full` is 100,000.
 */
const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    roms: { type: 'string' },
    platforms: { type: 'string', default: '40' },
    'launchbox-games': { type: 'string' },
    metadata: { type: 'string', default: 'gamelist,launchbox,libretro' },
    pages: { type: 'string', default: '40' },
    hash: { type: 'boolean', default: false },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'romshelf-bench-metadata') },
  },
});
const roms = Number(values.roms ?? (values.full ? 100_000 : 10_000));
const launchboxGames = Number(values['launchbox-games'] ?? (values.full ? 100_000 : roms));
const platforms = Math.min(40, Number(values.platforms));
const pages = Number(values.pages);
const dir = path.resolve(values.dir);
const log = (msg: string) => process.stderr.write(`bench:metadata: ${msg}\n`);

// The scans run the bundled CLI under plain node, as `bin/romshelf` runs after `npm install` (no TypeScript loader).
log('bundling dist/romshelf.mjs');
await import('../scripts/build-server.ts');

mkdirSync(dir, { recursive: true });
const help = await runRomshelf({ args: ['scan', '--help'], env: {}, rssFile: path.join(dir, 'help.rss') });
const metadataOption = help.stdout.includes('--metadata');

const library = await generateMetadataLibrary({ roms, platforms, launchboxGames, dir });
log(`library ${library.reused ? 'reused' : `generated in ${library.generate_seconds} s`}: ${library.root}`);

const runs = path.join(dir, 'runs');
const dataDir = (name: string) => {
  const d = path.join(runs, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
};
const baseEnv = (dataPath: string, libraryPath = library.root): Record<string, string> => ({
  LIBRARY_PATH: libraryPath,
  DATA_PATH: dataPath,
  SCAN_SKIP_HASH_CALCULATION: values.hash ? 'false' : 'true',
  // Sources the benchmark does not provide point at nothing, so a developer's own folders never leak in.
  LIBRETRO_THUMBNAILS_PATH: path.join(runs, 'no-libretro-thumbnails'),
  LAUNCHBOX_METADATA_PATH: path.join(runs, 'no-launchbox', 'Metadata.xml'),
});
const dbOf = (dataPath: string) => path.join(dataPath, 'romshelf.db');

/** One `romshelf scan --type quick`, with `--metadata LIST` when the CLI has the option; fails the bench on a crash. */
async function scan(name: string, env: Record<string, string>, metadata: string | null, opts: { watchRoms?: number; required?: boolean } = {}): Promise<ChildRun> {
  log(`scan: ${name}`);
  const args = ['scan', '--type', 'quick', ...(metadataOption && metadata !== null ? [`--metadata=${metadata}`] : [])];
  const watch = opts.watchRoms ? { dbFile: dbOf(env.DATA_PATH as string), expectedRoms: opts.watchRoms } : undefined;
  const run = await runRomshelf({ args, env, rssFile: path.join(runs, `${name}.rss`), watch });
  const { stdout, ...rest } = run;
  if (opts.required && run.exit_code !== 0) throw new Error(`${name}: romshelf scan exited with ${run.exit_code}\n${run.stderr_tail?.join('\n') ?? ''}`);
  return { ...rest, summary: parseSummary(stdout) };
}

/** Counts in a scanned database; a column or table the schema lacks counts as null. */
function counts(dbFile: string): Record<string, number | null> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  const count = (query: string) => {
    try { return (db.prepare(query).get() as { c: number }).c; } catch { return null; }
  };
  const out = {
    roms: count('SELECT count(*) AS c FROM roms'),
    // ES-DE keeps media folders beside the ROMs: a scan that takes one for a folder ROM counts it here.
    media_folders_as_roms: count("SELECT count(*) AS c FROM roms WHERE fs_name IN ('images', 'videos', 'manuals', 'media')"),
    with_small_cover: count("SELECT count(*) AS c FROM roms WHERE path_cover_s <> ''"),
    with_summary: count("SELECT count(*) AS c FROM roms WHERE summary IS NOT NULL AND summary <> ''"),
    with_gamelist_id: count('SELECT count(*) AS c FROM roms WHERE gamelist_id IS NOT NULL'),
    with_launchbox_id: count('SELECT count(*) AS c FROM roms WHERE launchbox_id IS NOT NULL'),
    metadata_scanned: count('SELECT count(*) AS c FROM roms WHERE metadata_scanned_at IS NOT NULL'),
    launchbox_games: count('SELECT count(*) AS c FROM launchbox_games'),
    launchbox_alternate_names: count('SELECT count(*) AS c FROM launchbox_alternate_names'),
    launchbox_images: count('SELECT count(*) AS c FROM launchbox_images'),
  };
  db.close();
  return out;
}

const out: Record<string, unknown> = {
  machine: { cpus: os.availableParallelism(), node: process.version, load_average: os.loadavg().map((x) => Math.round(x * 10) / 10) },
  options: { roms, platforms, launchbox_games: launchboxGames, metadata: values.metadata, hash: values.hash, gallery_pages: pages, dir },
  library,
  metadata_option: metadataOption,
};

// Reference: the same first scan, files only.
const filesOnlyData = dataDir('files-only');
const filesOnly = await scan('files-only', baseEnv(filesOnlyData), '', { watchRoms: library.roms, required: true });
out.reference_files_only_first_scan = { ...filesOnly, db: counts(dbOf(filesOnlyData)) };

let first: (ChildRun & { db: Record<string, number | null> }) | null = null;
let rescan: ChildRun | null = null;
let importRun: (ChildRun & { net_seconds: number; db: Record<string, number | null> }) | null = null;
if (!metadataOption) {
  out.metadata = { skipped: 'this romshelf scan has no --metadata option yet: only the files-only reference was measured' };
} else {
  const metaData = dataDir('metadata');
  const metaEnv = { ...baseEnv(metaData), LAUNCHBOX_METADATA_PATH: library.launchboxXml };
  const firstRun = await scan('first-with-metadata', metaEnv, values.metadata, { watchRoms: library.roms });
  first = { ...firstRun, db: counts(dbOf(metaData)) };
  out.first_scan_with_metadata = first;
  out.metadata_pass_cost_seconds = Math.round((first.seconds - filesOnly.seconds) * 100) / 100;
  rescan = await scan('unchanged-rescan', metaEnv, values.metadata);
  out.unchanged_rescan = rescan;

  // The import alone: a one-ROM library, so the run is Metadata.xml plus start-up; the same run without the
  // LaunchBox source gives the start-up to subtract.
  const tiny = path.join(runs, 'one-rom-library');
  mkdirSync(path.join(tiny, 'roms', 'nes'), { recursive: true });
  writeFileSync(path.join(tiny, 'roms', 'nes', 'Bench (USA).nes'), 'nes');
  const startup = await scan('one-rom-files-only', baseEnv(dataDir('one-rom-files-only'), tiny), '', { required: true });
  const importData = dataDir('launchbox-import');
  const imported = await scan('launchbox-import', { ...baseEnv(importData, tiny), LAUNCHBOX_METADATA_PATH: library.launchboxXml }, 'launchbox');
  importRun = { ...imported, net_seconds: Math.round((imported.seconds - startup.seconds) * 100) / 100, db: counts(dbOf(importData)) };
  out.launchbox_import = { ...importRun, reference_one_rom_scan_seconds: startup.seconds };

  log('gallery with covers');
  out.gallery_with_covers = await measureGallery(metaEnv, runs, pages);
}
log('gallery, files-only library (reference)');
out.reference_gallery_files_only = await measureGallery(baseEnv(filesOnlyData), runs, pages);

// A time only counts when the run did the work: a scan that exits early or skips a source must not pass a target.
const warnings: string[] = [];
const ok = (run: ChildRun | null, what: string, done: boolean) => {
  if (!run) return false;
  if (run.exit_code !== 0) warnings.push(`${what}: romshelf scan exited with ${run.exit_code}`);
  else if (!done) warnings.push(`${what}: the run left no trace of its work in the database`);
  return run.exit_code === 0 && done;
};
const firstOk = ok(first, 'first scan with metadata', (first?.db.metadata_scanned ?? 0) > 0 || (first?.db.with_small_cover ?? 0) > 0);
const rescanOk = ok(rescan, 'unchanged rescan', firstOk);
const importOk = ok(importRun, 'LaunchBox import', (importRun?.db.launchbox_games ?? 0) > 0);
const mediaFolders = (out.reference_files_only_first_scan as { db: Record<string, number | null> }).db.media_folders_as_roms ?? 0;
if (mediaFolders > 0) warnings.push(`${mediaFolders} media folders (images/…) were scanned as ROMs`);
if (metadataOption && !(out.gallery_with_covers as { covers_fetched?: number } | undefined)?.covers_fetched) warnings.push('the gallery pages had no covers to fetch');

const target = (value: number | null | undefined, limit: number, unit: string, verified: boolean) => ({
  target: `< ${limit} ${unit}`, value: value ?? null, pass: value === null || value === undefined || !verified ? null : value < limit,
});
const rss = [first, rescan, importRun].map((r) => r?.peak_rss_mib).filter((v): v is number => typeof v === 'number');
out.targets = {
  at_full_size: library.roms >= 100_000 && library.launchboxGames >= 100_000,
  first_pass_with_metadata: target(first?.seconds, 600, 's', firstOk),
  unchanged_rescan: target(rescan?.seconds, 15, 's', rescanOk),
  peak_rss: target(rss.length ? Math.max(...rss) : null, 400, 'MiB', firstOk && importOk),
  launchbox_import: target(importRun?.seconds, 60, 's', importOk),
};
out.warnings = warnings;
console.log(JSON.stringify(out, null, 2));
