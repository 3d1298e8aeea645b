import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Db } from '../../../src/db/engine.ts';
import { settingsFromYaml, type ScanSettings } from '../../../src/scanner/scan-config.ts';
import { composeScanner } from '../../../src/compose/scanner.ts';
import type { ScanResult, ScanType } from '../../../src/scanner/types.ts';

/** Writes `files` (library-relative path → content) under `root`; returns absolute paths. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

export function touch(abs: string, secondsAgo: number): void {
  const t = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(abs, t, t);
}

export function hashesOf(data: string | Buffer): { crc: string; md5: string; sha1: string } {
  const buf = Buffer.from(data);
  return {
    crc: (crc32(buf) >>> 0).toString(16).padStart(8, '0'),
    md5: createHash('md5').update(buf).digest('hex'),
    sha1: createHash('sha1').update(buf).digest('hex'),
  };
}

export function freshLibrary(dir: string, name: string): string {
  const root = path.join(dir, name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  return root;
}

export function testSettings(yaml: unknown = {}): ScanSettings {
  return { ...settingsFromYaml(yaml, {}), hashWorkers: 1, batchSize: 3 };
}

export function scan(db: Db, libraryPath: string, type: ScanType = 'quick', settings = testSettings(), platformFsSlugs?: string[]): Promise<ScanResult> {
  return composeScanner(db, libraryPath, settings)({}, { type, ...(platformFsSlugs ? { platformFsSlugs } : {}) });
}

/** Empties the scanner's tables so each test starts from a blank library. */
export async function clearLibrary(db: Db): Promise<void> {
  for (const table of ['rom_facets', 'rom_files', 'collections_roms', 'rom_user', 'roms', 'platforms'] as const) {
    await db.kysely.deleteFrom(table).execute();
  }
}

/** The scanner's tables as plain sorted data (ids and timestamps left out), to compare two scans' results. */
export async function snapshot(db: Db): Promise<unknown> {
  const platforms = await db.kysely.selectFrom('platforms').select(['fs_slug', 'slug', 'name', 'missing_from_fs']).orderBy('fs_slug').execute();
  const roms = await db.kysely.selectFrom('roms').innerJoin('platforms', 'platforms.id', 'roms.platform_id')
    .select(['platforms.fs_slug', 'roms.fs_name', 'roms.fs_name_no_tags', 'roms.fs_extension', 'roms.fs_path', 'roms.fs_size_bytes',
      'roms.name', 'roms.name_sort_key', 'roms.regions', 'roms.languages', 'roms.tags', 'roms.revision', 'roms.version',
      'roms.crc_hash', 'roms.md5_hash', 'roms.sha1_hash', 'roms.missing_from_fs', 'roms.primary_region', 'roms.search_text'])
    .orderBy('platforms.fs_slug').orderBy('roms.fs_name').execute();
  const files = await db.kysely.selectFrom('rom_files')
    .select(['file_path', 'file_name', 'file_size_bytes', 'crc_hash', 'md5_hash', 'sha1_hash', 'archive_members', 'category'])
    .orderBy('file_path').orderBy('file_name').execute();
  const facets = await db.kysely.selectFrom('rom_facets').innerJoin('roms', 'roms.id', 'rom_facets.rom_id')
    .select(['roms.fs_name', 'rom_facets.kind', 'rom_facets.value'])
    .orderBy('roms.fs_name').orderBy('rom_facets.kind').orderBy('rom_facets.value').execute();
  return { platforms, roms, files, facets };
}
