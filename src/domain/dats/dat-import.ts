/**
 * Imports DAT files into the `dats` tables: one file (plain or zipped), or the whole DATS_PATH folder, where a file
 * is re-imported only when its size or mtime changed and its SHA-1 too, and the DATs of files gone from the folder
 * are removed. A DAT that fails to parse keeps its previous rows and is reported.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDat } from '../../dats/detect.ts';
import { platformSlugForDat } from '../../dats/platform-map.ts';
import { fileSha1, openDatText } from '../../dats/source.ts';
import { DatParseError, type DatHeader } from '../../dats/types.ts';
import type { DatFileFacts, DatImportCounts, DatsRepository } from '../../db/repositories/dats-repository.ts';

const DAT_FILE = /\.(dat|xml|zip)$/i;
/** Folder levels walked below DATS_PATH (No-Intro/Redump packs nest one or two). */
const MAX_DEPTH = 8;

export interface DatFolderResult {
  imported: { path: string; games: number; roms: number }[];
  unchanged: number;
  removed: number;
  failed: { path: string; error: string }[];
}

export const sourceKey = (kind: 'folder' | 'upload', name: string): string =>
  createHash('sha1').update(`${kind}:${name}`).digest('hex');

const slugForHeader = (header: DatHeader): string | null =>
  platformSlugForDat(header.name) ?? (header.description ? platformSlugForDat(header.description) : null);

export class DatImporter {
  private running: Promise<DatFolderResult> | null = null;

  constructor(
    private readonly repo: DatsRepository,
    private readonly datsPath: string,
    private readonly log: { warn(msg: string): void } = { warn: () => undefined },
  ) {}

  /** The catalogue slug and library platform of a header: by its name, else by its description. */
  async mapPlatform(header: DatHeader): Promise<{ slug: string | null; id: number | null }> {
    const slug = slugForHeader(header);
    return { slug, id: slug ? await this.repo.platformIdForSlug(slug) : null };
  }

  /** Parses `file` into the DAT row of `facts.sourceKey`. Throws DatParseError for a file that is not a readable DAT. */
  async importFile(file: string, facts: Omit<DatFileFacts, 'format'>, now = Date.now()): Promise<DatImportCounts> {
    const source = await openDatText(file);
    try {
      const { format, events } = await parseDat(source.chunks);
      return await this.repo.importDat({ ...facts, format }, events, now, slugForHeader);
    } finally {
      source.close();
    }
  }

  /** The first header of a DAT file (read up to the header only). */
  async readHeader(file: string): Promise<DatHeader> {
    const source = await openDatText(file);
    try {
      const { events } = await parseDat(source.chunks);
      for await (const ev of events) if (ev.kind === 'header') return ev.header;
      throw new DatParseError('the DAT has no header');
    } finally {
      source.close();
    }
  }

  /** Syncs DATS_PATH; a call while a sync runs waits for that one. A missing folder changes nothing. */
  syncFolder(): Promise<DatFolderResult> {
    this.running ??= this.sync().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sync(): Promise<DatFolderResult> {
    const result: DatFolderResult = { imported: [], unchanged: 0, removed: 0, failed: [] };
    let files: string[];
    try {
      files = await walk(this.datsPath, '', 0);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // An unmounted share must not drop every DAT: without the folder nothing is removed.
      if (code === 'ENOENT' || code === 'ENOTDIR') return result;
      throw err;
    }
    const seen = new Set<string>();
    for (const rel of files) {
      const key = sourceKey('folder', rel);
      seen.add(key);
      const abs = path.join(this.datsPath, rel);
      try {
        const s = await stat(abs);
        const existing = await this.repo.bySourceKey(key);
        const mtime = Math.trunc(s.mtimeMs);
        if (existing && existing.file_size === s.size && existing.file_mtime === mtime) {
          result.unchanged++;
          continue;
        }
        const sha1 = await fileSha1(abs);
        if (existing && existing.file_sha1 === sha1) {
          await this.repo.touch(existing.id, mtime, Date.now());
          result.unchanged++;
          continue;
        }
        const counts = await this.importFile(abs, { sourceKey: key, source: 'folder', sourcePath: rel, fileSize: s.size, fileMtime: mtime, fileSha1: sha1 });
        result.imported.push({ path: rel, games: counts.games, roms: counts.roms });
      } catch (err) {
        if (!(err instanceof DatParseError) && !isFileError(err)) throw err;
        result.failed.push({ path: rel, error: err.message });
        this.log.warn(`DAT ${rel} not imported: ${err.message}`);
      }
    }
    for (const row of await this.repo.bySource('folder')) {
      if (seen.has(row.source_key)) continue;
      await this.repo.delete(row.id);
      result.removed++;
    }
    await this.repo.resolveMappedPlatforms();
    return result;
  }
}

function isFileError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && 'syscall' in err;
}

/** DAT files under `root`, relative with `/`, sorted; hidden entries are skipped. */
async function walk(root: string, rel: string, depth: number): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH) out.push(...(await walk(root, child, depth + 1)));
    } else if (e.isFile() && DAT_FILE.test(e.name)) {
      out.push(child);
    }
  }
  return out.sort();
}
