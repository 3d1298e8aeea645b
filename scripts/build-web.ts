import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Builds web/dist when it is missing or older than its sources (run by `npm install` through `prepare`, and by
 * `npm run build:web`). Writes .gz and .br siblings that the server sends to browsers that accept them.
 */
const WEB = path.resolve(import.meta.dirname, '../web');
const DIST = path.join(WEB, 'dist');
const STAMP = path.join(DIST, '.build-hash');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];

function files(p: string): string[] {
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p).sort().flatMap((name) => files(path.join(p, name)));
}

export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((i) => files(path.join(WEB, i)))) {
    if (file.endsWith('.test.ts')) continue;
    hash.update(path.relative(WEB, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function compressAssets(): void {
  for (const file of files(DIST)) {
    if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
    const body = readFileSync(file);
    if (body.length < 512) continue;
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

const force = process.argv.includes('--force');
const hash = sourceHash();
if (!force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) {
  console.log('web UI is up to date (web/dist)');
  process.exit(0);
}
console.log('building the web UI into web/dist …');
const vite = path.resolve(import.meta.dirname, '../node_modules/vite/bin/vite.js');
// NODE_ENV from a test runner (vitest sets `test`) would make Vite bundle Svelte's development build.
const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
  cwd: WEB, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' },
});
if (result.status !== 0) {
  // Not fatal for `npm install`: the API still works, and the server explains how to build the UI.
  console.error('web UI build failed; the server will answer / with instructions. Run `npm run build:web` to retry.');
  process.exit(process.argv.includes('--strict') ? 1 : 0);
}
compressAssets();
writeFileSync(STAMP, hash);
console.log('web UI built');
