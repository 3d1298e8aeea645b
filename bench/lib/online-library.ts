import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MultiHasher } from '../../src/scanner/hash/multi-hasher.ts';
import type { Hashes } from '../../src/scanner/hash/types.ts';
import { buildCatalogue, romContent, type Catalogue } from './fake-providers/catalogue.ts';
import { planRoms } from './metadata-library.ts';
import type { LibraryRom } from './metadata-platforms.ts';

/**
 * The library of `npm run bench:metadata-online`: the ROM list of `bench:metadata` (real No-Intro/Redump names over
 * 40 platforms, `planRoms`) in RomM structure A, each file a few bytes unique to it so its hashes identify it,
 * and no local metadata at all (no gamelist, no covers): everything must come from the providers. Cached per
 * parameters; the catalogue the fakes answer from is rebuilt from the same plan on every run.
 */
export interface OnlineLibrary {
  root: string;
  roms: number;
  platforms: string[];
  names: string;
  reused: boolean;
  generate_seconds: number;
}

const GENERATOR_VERSION = 1;

export function hashesOf(content: string): Hashes {
  const h = new MultiHasher();
  h.update(Buffer.from(content));
  return h.digest();
}

export async function generateOnlineLibrary(opts: { roms: number; platforms: number; dir: string }): Promise<{ library: OnlineLibrary; catalogue: Catalogue }> {
  const started = performance.now();
  const { roms, names } = await planRoms(opts.roms, opts.platforms);
  const catalogue = buildCatalogue(roms, (i) => hashesOf(romContent(roms[i] as LibraryRom, i)));
  const base = path.join(opts.dir, `online-library-r${opts.roms}-p${opts.platforms}-v${GENERATOR_VERSION}`);
  const root = path.join(base, 'library');
  const marker = path.join(base, 'bench-library.json');
  if (existsSync(marker)) return { library: { ...(JSON.parse(readFileSync(marker, 'utf8')) as OnlineLibrary), reused: true }, catalogue };

  rmSync(base, { recursive: true, force: true });
  const slugs = [...new Set(roms.map((r) => r.platform.slug))];
  for (const slug of slugs) mkdirSync(path.join(root, 'roms', slug), { recursive: true });
  for (let i = 0; i < roms.length; i += 64) {
    await Promise.all(roms.slice(i, i + 64).map((rom, k) => writeFile(path.join(root, 'roms', rom.platform.slug, rom.fileName), romContent(rom, i + k))));
  }
  const library: OnlineLibrary = {
    root, roms: roms.length, platforms: slugs, names, reused: false,
    generate_seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  writeFileSync(marker, JSON.stringify(library));
  return { library, catalogue };
}
