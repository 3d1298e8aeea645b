import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import sharp from 'sharp';
import { fsNameNoExt, fsNameNoTags } from '../../src/library/fs-names.ts';
import { writeLaunchboxMetadata } from './launchbox-xml.ts';
import { BENCH_PLATFORMS, type BenchPlatform, type LibraryRom } from './metadata-platforms.ts';
import { company, description, esdeDate, genres, mix, players } from './metadata-text.ts';
import { XmlFile, xmlFields } from './xml-out.ts';

/**
 * The library of `npm run bench:metadata`, in RomM structure A: `<root>/roms/<slug>/<name>.<ext>` (a few bytes each),
 * an ES-DE `gamelist.xml` per platform describing every ROM, a distinct 300x400 PNG cover per ROM in
 * `<slug>/images/<stem>.png`, and beside the library a LaunchBox-shaped `Metadata.xml`. Names are real No-Intro and
 * Redump names from `../shared/data/dat-roms.tsv.gz` (read in place) topped up with generated ones. The result is
 * cached in a folder keyed by the parameters: a second run with the same parameters reuses it.
 */
export interface MetadataLibraryOptions {
  roms: number;
  platforms: number;
  launchboxGames: number;
  /** Parent folder of the cached libraries. */
  dir: string;
}

export interface MetadataLibrary {
  /** LIBRARY_PATH. */
  root: string;
  /** LAUNCHBOX_METADATA_PATH. */
  launchboxXml: string;
  roms: number;
  platforms: string[];
  covers: number;
  gamelistEntries: number;
  launchboxGames: number;
  /** LaunchBox games named after a title in the library (the rest are other games and other platforms). */
  launchboxLibraryTitles: number;
  names: 'dat' | 'dat+generated' | 'generated';
  bytes: { covers: number; gamelists: number; launchbox_xml: number };
  generate_seconds: number;
  reused: boolean;
}

/** Bump when the generated content changes, so cached libraries of an older shape are not reused. */
const GENERATOR_VERSION = 1;
const DAT = path.resolve(import.meta.dirname, '../../../shared/data/dat-roms.tsv.gz');

const DISC_SHEET = /\.(cue|gdi|ccd)$/i;

/** Game names per platform from the DAT: one ROM per game, a disc image listed as a sheet and tracks as one `.chd`. */
async function datNames(slugs: Set<string>): Promise<Map<string, string[]> | null> {
  if (!existsSync(DAT)) return null;
  const games = new Map<string, Map<string, string[]>>();
  let header = true;
  for await (const line of createInterface({ input: createReadStream(DAT).pipe(createGunzip()) })) {
    if (header) { header = false; continue; }
    const [slug = '', , fileName = '', , , , , game = ''] = line.split('\t');
    if (!slugs.has(slug) || !fileName || !game || fileName.includes('/')) continue;
    const byGame = games.get(slug) ?? new Map<string, string[]>();
    games.set(slug, byGame);
    const files = byGame.get(game) ?? [];
    files.push(fileName);
    byGame.set(game, files);
  }
  const out = new Map<string, string[]>();
  for (const [slug, byGame] of games) {
    out.set(slug, [...byGame.entries()].map(([game, files]) => (files.some((f) => DISC_SHEET.test(f)) ? `${game}.chd` : (files[0] as string))));
  }
  return out;
}

const WORDS = ['Super', 'Mega', 'Dragon', 'Quest', 'Star', 'Fighter', 'Legend', 'Racing', 'Soccer', 'World', 'Castle', 'Ninja', 'Puzzle', 'Space', 'Hero', 'Island'];
const REGIONS = ['(USA)', '(Europe)', '(Japan)', '(USA, Europe)', '(World)', '(Japan) (Rev 1)', '(Europe) (En,Fr,De)', '(USA) (Beta)'];

/** Deterministic shuffle so every run picks the same games. */
function shuffle<T>(items: T[], seed0: number): T[] {
  let seed = seed0;
  for (let i = items.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** ROM counts per platform in proportion to the weights, at least one each, summing to `n`. */
function shares(platforms: readonly BenchPlatform[], n: number): number[] {
  const total = platforms.reduce((a, p) => a + p.weight, 0);
  const counts = platforms.map((p) => Math.max(n >= platforms.length ? 1 : 0, Math.floor((n * p.weight) / total)));
  let diff = n - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; diff !== 0; k = (k + 1) % counts.length) {
    const step = diff > 0 ? 1 : -1;
    if (step < 0 && (counts[k] as number) <= 1) continue;
    counts[k] = (counts[k] as number) + step;
    diff -= step;
  }
  return counts;
}

/** The ROM list: real names first (shuffled), generated regional variants after. */
export async function planRoms(n: number, platformCount: number): Promise<{ roms: LibraryRom[]; names: MetadataLibrary['names'] }> {
  const platforms = BENCH_PLATFORMS.slice(0, platformCount);
  const dat = await datNames(new Set(platforms.map((p) => p.slug)));
  const counts = shares(platforms, n);
  const roms: LibraryRom[] = [];
  let generated = 0;
  platforms.forEach((platform, k) => {
    const want = counts[k] as number;
    const seen = new Set<string>();
    const names: string[] = [];
    // Long names would push `images/<stem>.png` past the 255-byte file-name limit.
    for (const name of shuffle([...(dat?.get(platform.slug) ?? [])], 42 + k)) {
      if (names.length >= want) break;
      const key = name.toLowerCase();
      if (Buffer.byteLength(name) > 200 || name.startsWith('.') || seen.has(key)) continue;
      seen.add(key);
      names.push(name);
    }
    // Generated titles come in one to three regional variants each, like real sets.
    for (let g = 0; names.length < want; g++) {
      const title = `${WORDS[g % 16]} ${WORDS[(g >> 4) % 16]} ${platform.slug.toUpperCase()} ${Math.floor(g / 3)}`;
      const name = `${title} ${REGIONS[mix(g, k) % REGIONS.length]}.${platform.ext}`;
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      names.push(name);
      generated++;
    }
    for (const fileName of names) roms.push({ platform, fileName, title: fsNameNoTags(fileName) || fsNameNoExt(fileName) });
  });
  return { roms, names: !dat ? 'generated' : generated > 0 ? 'dat+generated' : 'dat' };
}

/** A 300x400 PNG unique to `i`: a 6x8 block pattern whose first block encodes the index, scaled up. */
async function writeCover(file: string, i: number): Promise<number> {
  const w = 6;
  const h = 8;
  const raw = Buffer.alloc(w * h * 3);
  for (let p = 0; p < w * h; p++) {
    const c = mix(i, p);
    raw[p * 3] = c & 255; raw[p * 3 + 1] = (c >>> 8) & 255; raw[p * 3 + 2] = (c >>> 16) & 255;
  }
  raw[0] = i & 255; raw[1] = (i >>> 8) & 255; raw[2] = (i >>> 16) & 255;
  const info = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .resize(300, 400, { kernel: 'nearest' }).png({ compressionLevel: 6 }).toFile(file);
  return info.size;
}

/** Runs `task` over 0..n-1 with `width` in flight. */
async function pool(n: number, width: number, task: (i: number) => Promise<void>, onProgress?: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) {
      const i = next++;
      await task(i);
      if (++done % 10_000 === 0) onProgress?.(done);
    }
  }));
}

async function writeGamelist(dir: string, roms: { rom: LibraryRom; index: number }[]): Promise<number> {
  const out = new XmlFile(path.join(dir, 'gamelist.xml'));
  await out.write('<?xml version="1.0"?>\n<gameList>\n');
  for (const { rom, index } of roms) {
    const stem = fsNameNoExt(rom.fileName);
    const rating = ((mix(index, 31) % 21) / 20).toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
    await out.write(`\t<game>\n${xmlFields([
      ['path', `./${rom.fileName}`],
      ['name', rom.title],
      ['desc', description(index, rom.title)],
      ['rating', rating],
      ['releasedate', esdeDate(index)],
      ['developer', company(index, 37)],
      ['publisher', company(index, 41)],
      ['genre', genres(index).join(' / ')],
      ['players', players(index)],
      ['image', `./images/${stem}.png`],
    ], '\t\t')}\t</game>\n`);
  }
  await out.write('</gameList>\n');
  await out.close();
  return out.bytes;
}

const log = (msg: string) => process.stderr.write(`bench:metadata: ${msg}\n`);

export async function generateMetadataLibrary(opts: MetadataLibraryOptions): Promise<MetadataLibrary> {
  const base = path.join(opts.dir, `library-r${opts.roms}-p${opts.platforms}-lb${opts.launchboxGames}-v${GENERATOR_VERSION}`);
  const marker = path.join(base, 'bench-library.json');
  if (existsSync(marker)) return { ...(JSON.parse(readFileSync(marker, 'utf8')) as MetadataLibrary), reused: true };

  const started = performance.now();
  rmSync(base, { recursive: true, force: true });
  const root = path.join(base, 'library');
  const { roms, names } = await planRoms(opts.roms, opts.platforms);
  const byPlatform = new Map<string, { rom: LibraryRom; index: number }[]>();
  roms.forEach((rom, index) => {
    const list = byPlatform.get(rom.platform.slug) ?? [];
    list.push({ rom, index });
    byPlatform.set(rom.platform.slug, list);
  });
  for (const slug of byPlatform.keys()) mkdirSync(path.join(root, 'roms', slug, 'images'), { recursive: true });

  // ROM bytes and covers: sharp encodes on libuv's thread pool, so a few images in flight per core keep it busy.
  log(`writing ${roms.length} ROMs and covers`);
  sharp.concurrency(1);
  let coverBytes = 0;
  await pool(roms.length, Math.max(4, os.availableParallelism() * 2), async (i) => {
    const rom = roms[i] as LibraryRom;
    const dir = path.join(root, 'roms', rom.platform.slug);
    await writeFile(path.join(dir, rom.fileName), `${rom.platform.slug}:${i}\n`);
    coverBytes += await writeCover(path.join(dir, 'images', `${fsNameNoExt(rom.fileName)}.png`), i);
  }, (done) => log(`${done} / ${roms.length}`));

  let gamelistBytes = 0;
  let gamelistEntries = 0;
  for (const [slug, list] of byPlatform) {
    gamelistBytes += await writeGamelist(path.join(root, 'roms', slug), list);
    gamelistEntries += list.length;
  }

  log(`writing Metadata.xml (${opts.launchboxGames} games)`);
  const launchboxXml = path.join(base, 'launchbox', 'Metadata.xml');
  mkdirSync(path.dirname(launchboxXml), { recursive: true });
  const lb = await writeLaunchboxMetadata(launchboxXml, roms, opts.launchboxGames);

  const info: MetadataLibrary = {
    root, launchboxXml, roms: roms.length, platforms: [...byPlatform.keys()], covers: roms.length, gamelistEntries,
    launchboxGames: lb.games, launchboxLibraryTitles: lb.libraryTitles, names,
    bytes: { covers: coverBytes, gamelists: gamelistBytes, launchbox_xml: lb.bytes },
    generate_seconds: Math.round((performance.now() - started) / 100) / 10, reused: false,
  };
  writeFileSync(marker, JSON.stringify(info));
  return info;
}
