import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import type { Engine } from '../src/db/engine.ts';
import { DatsRepository } from '../src/db/repositories/dats-repository.ts';
import { parseDat } from '../src/dats/detect.ts';
import { openDatText } from '../src/dats/source.ts';
import { DatImporter } from '../src/domain/dats/dat-import.ts';
import { openBenchDatabase } from './lib/bench-db.ts';

/**
 * `npm run bench:dats [-- --games 60000 --engines sqlite,postgres,mysql]`: writes a Logiqx DAT of N games (real
 * No-Intro/Redump names and hashes from ../shared/data/dat-roms.tsv.gz when present, generated ones otherwise),
 * then prints JSON with the parse time alone and, per engine, a first import and a re-import (replace) of it.
 */
const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '60000' },
    engines: { type: 'string', default: 'sqlite,postgres,mysql' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'romshelf-bench-dats') },
  },
});
const n = Number(values.games);
const TSV = path.resolve(import.meta.dirname, '../../shared/data/dat-roms.tsv.gz');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

async function writeDat(file: string): Promise<{ games: number; roms: number }> {
  const out: string[] = ['<?xml version="1.0"?>', '<datafile>', '<header><name>Bench - Mixed</name><version>1</version></header>'];
  let games = 0;
  let roms = 0;
  let open: string | null = null;
  const close = () => { if (open !== null) out.push('</game>'); };
  if (existsSync(TSV)) {
    const lines = createInterface({ input: createReadStream(TSV).pipe(createGunzip()), crlfDelay: Infinity });
    let first = true;
    for await (const line of lines) {
      if (first) { first = false; continue; }
      const [, , file, size, crc, md5, sha1, game] = line.split('\t');
      if (game !== open) {
        if (games >= n) break;
        close();
        open = game ?? '';
        games++;
        out.push(`<game name="${esc(open)}"><description>${esc(open)}</description>`);
      }
      roms++;
      out.push(`<rom name="${esc(file ?? '')}" size="${size}" crc="${crc}" md5="${md5}" sha1="${sha1}"/>`);
    }
    lines.close();
  }
  for (; games < n; games++, roms++) {
    close();
    open = `Generated ${games} (World)`;
    out.push(`<game name="${open}"><description>${open}</description><rom name="${open}.bin" size="${games}" crc="${(games >>> 0).toString(16).padStart(8, '0')}"/>`);
  }
  close();
  out.push('</datafile>');
  writeFileSync(file, out.join('\n'));
  return { games, roms };
}

mkdirSync(path.join(values.dir, 'dats'), { recursive: true });
const file = path.join(values.dir, 'dats', 'bench.dat');
const counts = await writeDat(file);
const t0 = performance.now();
const text = await openDatText(file);
let parsed = 0;
for await (const ev of (await parseDat(text.chunks)).events) if (ev.kind === 'game') parsed++;
const parseMs = Math.round(performance.now() - t0);

const results: Record<string, unknown> = {};
for (const engine of values.engines.split(',') as Engine[]) {
  const opened = await openBenchDatabase(engine, values.dir, 'romshelf_bench_dats');
  if (opened.skipped !== undefined) { results[engine] = { skipped: opened.skipped }; continue; }
  const { db } = opened;
  try {
    const importer = new DatImporter(new DatsRepository(db.kysely), path.join(values.dir, 'dats'));
    const facts = { sourceKey: 'bench', source: 'upload' as const, sourcePath: 'bench.dat', fileSize: 0, fileMtime: null, fileSha1: '' };
    let t = performance.now();
    await importer.importFile(file, facts);
    const firstMs = Math.round(performance.now() - t);
    t = performance.now();
    await importer.importFile(file, facts);
    results[engine] = { importMs: firstMs, reimportMs: Math.round(performance.now() - t) };
  } finally {
    await db.destroy();
  }
}
console.log(JSON.stringify({ games: counts.games, roms: counts.roms, bytes: statSync(file).size, parsed, parseMs, engines: results }, null, 2));
