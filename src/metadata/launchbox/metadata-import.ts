/**
 * Imports LaunchBox's public Metadata.xml (≈450 MB, >100,000 games) into the `launchbox_*` tables: a streaming parse
 * (saxes over a file stream, pulled one chunk at a time, so the next chunk is read only once the previous batch is
 * written) into batched inserts inside one transaction. The file's identity (size, mtime, inode) is stored with the
 * data, so an unchanged file is never read again; a malformed or unreadable file leaves the previous data in place.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SaxesParser } from 'saxes';
import type { LaunchboxImportCounts, LaunchboxImportWriter, LaunchboxRepository } from '../../db/repositories/launchbox-repository.ts';
import type { MetadataIssues } from '../types.ts';
import { foldTitle, nameKey } from './matching.ts';

export type LaunchboxImportStatus = 'imported' | 'unchanged' | 'missing' | 'failed';

export interface LaunchboxImportResult {
  status: LaunchboxImportStatus;
  counts?: LaunchboxImportCounts;
  ms: number;
}

/** Records a file stream's identity without reading it: a change of any part means the file changed. */
export function fileFingerprint(s: { size: number; mtimeMs: number; ino: number }): string {
  return `${s.size}:${s.mtimeMs}:${s.ino}`;
}

/** Thrown inside the transaction so it rolls back; turned into an issue by the caller. */
class MalformedSource extends Error {}

const RECORDS = new Set(['Game', 'GameAlternateName', 'GameImage']);
const CHUNK = 1 << 20;

/**
 * Imports `path` when its fingerprint differs from the one imported last (or `force`). Never throws for a bad or
 * missing file: a missing one is `missing` (the data already imported stays), a malformed or unreadable one is
 * `failed` with an issue. An aborted signal rolls the import back and rethrows the abort.
 */
export async function importLaunchboxMetadata(opts: {
  path: string;
  repo: LaunchboxRepository;
  issues: MetadataIssues;
  signal?: AbortSignal;
  force?: boolean;
  now?: () => number;
}): Promise<LaunchboxImportResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const { path, repo, issues } = opts;
  let fingerprint: string;
  try {
    const s = await stat(path);
    if (!s.isFile()) return { status: 'missing', ms: elapsed() };
    fingerprint = fileFingerprint(s);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return { status: 'missing', ms: elapsed() };
    issues.add('source-unreadable', path, (err as Error).message);
    return { status: 'failed', ms: elapsed() };
  }
  const previous = await repo.importedFile();
  if (!opts.force && previous?.path === path && previous.fingerprint === fingerprint) return { status: 'unchanged', ms: elapsed() };

  try {
    const counts = await repo.replaceAll({ path, fingerprint }, (opts.now ?? Date.now)(), (writer) => parseInto(path, writer, opts.signal));
    return { status: 'imported', counts, ms: elapsed() };
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    if (err instanceof MalformedSource) {
      issues.add('source-malformed', path, err.message);
      return { status: 'failed', ms: elapsed() };
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && 'syscall' in (err as object)) {
      issues.add('source-unreadable', path, (err as Error).message);
      return { status: 'failed', ms: elapsed() };
    }
    throw err;
  }
}

async function parseInto(path: string, writer: LaunchboxImportWriter, signal: AbortSignal | undefined): Promise<void> {
  const parser = new SaxesParser({ position: true });
  const seenGames = new Set<number>();
  let depth = 0;
  let rootOk = false;
  let record: string | null = null;
  let fields: Record<string, string> = {};
  let field: string | null = null;
  let text = '';

  parser.on('opentag', (node) => {
    depth++;
    if (depth === 1) {
      rootOk = node.name === 'LaunchBox';
      if (!rootOk) throw new MalformedSource(`root element is <${node.name}>, not <LaunchBox>`);
    } else if (depth === 2) {
      record = RECORDS.has(node.name) ? node.name : null;
      fields = {};
    } else if (depth === 3 && record) {
      field = node.name;
      text = '';
    }
  });
  const onText = (t: string): void => {
    if (field !== null && depth === 3) text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (depth === 3 && field !== null) {
      fields[field] = text;
      field = null;
    } else if (depth === 2 && record) {
      emit(record, fields, writer, seenGames);
      record = null;
    }
    depth--;
  });

  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK });
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      signal?.throwIfAborted();
      let data = chunk;
      if (first) {
        first = false;
        if (data.charCodeAt(0) === 0xfeff) data = data.slice(1);
      }
      write(parser, data);
      if (writer.full) await writer.flush();
    }
    signal?.throwIfAborted();
    write(parser, null);
  } finally {
    stream.destroy();
  }
  if (!rootOk) throw new MalformedSource('no <LaunchBox> root element');
}

/** Feeds the parser; its errors become MalformedSource (I/O and database errors keep their own type). */
function write(parser: SaxesParser, data: string | null): void {
  try {
    if (data === null) parser.close();
    else parser.write(data);
  } catch (err) {
    if (err instanceof MalformedSource) throw err;
    throw new MalformedSource((err as Error).message);
  }
}

const idOf = (v: string | undefined): number | null => {
  const s = v?.trim() ?? '';
  if (!/^\d{1,15}$/.test(s)) return null;
  const n = Number(s);
  return n > 0 && n <= 2_147_483_647 ? n : null;
};

function emit(kind: string, f: Record<string, string>, writer: LaunchboxImportWriter, seenGames: Set<number>): void {
  const databaseId = idOf(f.DatabaseID);
  if (databaseId === null) return;
  if (kind === 'Game') {
    // The primary key allows one row per game; a repeated id keeps its first entry.
    if (seenGames.has(databaseId)) return;
    seenGames.add(databaseId);
    const name = (f.Name ?? '').trim();
    writer.addGame({ databaseId, platform: (f.Platform ?? '').trim(), name, nameKey: nameKey(name), foldedKey: foldTitle(name), fields: f });
  } else if (kind === 'GameAlternateName') {
    const key = nameKey(f.AlternateName ?? '');
    if (key) writer.addAlternateName({ databaseId, nameKey: key, region: f.Region?.trim() || null });
  } else {
    const fileName = (f.FileName ?? '').trim();
    // A file name is appended to the image host's URL: a path or query in it would point somewhere else.
    if (fileName && /^[\w.-]+$/.test(fileName)) writer.addImage({ databaseId, fileName, type: (f.Type ?? '').trim(), region: f.Region?.trim() || null });
  }
}
