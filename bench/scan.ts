import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateLibrary } from './lib/library-gen.ts';
import { makeLargeFiles, measureThroughput } from './lib/hash-throughput.ts';

/**
 * `npm run bench:scan [-- --roms N --dir DIR --large-files K --large-mib M]`: first scan, unchanged rescans and
 * hashing throughput next to md5sum/sha1sum, printed as JSON. The library is generated once and reused.
 */
const { values } = parseArgs({
  options: {
    roms: { type: 'string', default: '100000' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'romshelf-bench-scan') },
    'large-files': { type: 'string', default: '2' },
    'large-mib': { type: 'string', default: '512' },
  },
});
const n = Number(values.roms);
const dir = values.dir;
mkdirSync(dir, { recursive: true });

const genStart = performance.now();
const library = await generateLibrary(path.join(dir, `library-${n}`), n);
const generateSeconds = (performance.now() - genStart) / 1000;

const dbFile = path.join(dir, 'bench.db');
// The scan runs bundled under plain node, as `bin/romshelf scan` runs after `npm install` (no TypeScript loader).
const child = path.join(import.meta.dirname, '..', 'dist', 'bench-scan-child.mjs');
buildSync({
  entryPoints: [path.join(import.meta.dirname, 'lib', 'scan-child.ts')], outfile: child, bundle: true, platform: 'node',
  format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning',
});
const scan = (type: string) => JSON.parse(execFileSync(process.execPath, [child, library.root, dbFile, type], { encoding: 'utf8', maxBuffer: 1 << 24 })) as { seconds: number; maxRssMiB: number; stats: Record<string, number> };

for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
const first = scan('quick');
const quick = scan('quick');
const complete = scan('complete');

const large = makeLargeFiles(dir, Number(values['large-files']), Number(values['large-mib']));
const hashing = await measureThroughput(large);

const round = (x: number) => Math.round(x * 100) / 100;
console.log(JSON.stringify({
  machine: { cpus: os.availableParallelism(), node: process.version },
  library: { ...library, generate_seconds: round(generateSeconds) },
  first_scan: { seconds: round(first.seconds), peak_rss_mib: Math.round(first.maxRssMiB), roms: first.stats.new_roms, hashed_files: first.stats.hashed_files },
  unchanged_rescan_quick: { seconds: round(quick.seconds), peak_rss_mib: Math.round(quick.maxRssMiB) },
  unchanged_rescan_complete: { seconds: round(complete.seconds), peak_rss_mib: Math.round(complete.maxRssMiB), hashed_files: complete.stats.hashed_files, updated_roms: complete.stats.updated_roms },
  hashing,
}, null, 2));
