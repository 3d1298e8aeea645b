/**
 * Streams one platform folder's gamelist.xml into entries keyed by file name. The file is read in chunks through
 * saxes (which never expands entities), so memory holds one entry being built plus the resulting map, however long
 * the file. A document that is not well-formed, has another root than `<gameList>`, or carries a DOCTYPE yields no
 * entries at all and one `source-malformed` issue (a half-read file must not look complete). Entries whose `<path>`
 * leaves the folder are dropped, media paths that do so lose only that media, each with a `path-outside-root` issue.
 *
 * API:
 *   readGamelist(file, issues) → GamelistEntries
 *   GamelistEntries.get(fileName) → GamelistEntry | undefined   (exact, then NFC)
 */
import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import type { MetadataIssues } from '../types.ts';
import { entryFileName, parseEntryPath } from './entry-path.ts';
import { isTextField, TAG_TO_MEDIA, type GamelistMediaKind, type GamelistTextField } from './fields.ts';
import { AlternativeEmulatorStripper } from './strip-alternative-emulator.ts';

export interface GamelistEntry {
  kind: 'game' | 'folder';
  /** `<path>` relative to the gamelist's folder, `/`-separated, without `./`. */
  path: string;
  /** Base name of `path`, NFC. */
  fileName: string;
  /** Trimmed, non-empty text of each element present (the first one when repeated). */
  text: Partial<Record<GamelistTextField, string>>;
  /** Media paths relative to the gamelist's folder, already checked not to climb out of it. */
  media: Partial<Record<GamelistMediaKind, string>>;
}

/** Entries by file name; a later entry for the same name replaces an earlier one, as in RomM. */
export class GamelistEntries {
  private readonly byName = new Map<string, GamelistEntry>();

  set(entry: GamelistEntry): void {
    this.byName.set(entry.fileName, entry);
  }

  /** Match by ROM file name: exact first, then NFC (keys are stored NFC). */
  get(fileName: string): GamelistEntry | undefined {
    return this.byName.get(fileName) ?? this.byName.get(fileName.normalize('NFC'));
  }

  get size(): number {
    return this.byName.size;
  }

  values(): IterableIterator<GamelistEntry> {
    return this.byName.values();
  }
}

/** Longest text kept per element: descriptions run to a few KiB; anything past this is not a real value. */
const MAX_DESC_CHARS = 64 * 1024;
const MAX_FIELD_CHARS = 4 * 1024;
/** Path issues reported per file; the rest are counted in one closing line. */
const MAX_PATH_ISSUES = 20;

class MalformedError extends Error {}

/** Builds entries from parser events; one instance per file. */
class EntryBuilder {
  readonly entries = new GamelistEntries();
  private depth = 0;
  private entry: { kind: 'game' | 'folder'; values: Map<string, string> } | null = null;
  private field: string | null = null;
  private buf = '';
  private pathIssues = 0;
  /** Path issues, reported only once the whole file proved well-formed. */
  private readonly pending: string[] = [];

  constructor(private readonly file: string, private readonly issues: MetadataIssues) {}

  open(tag: { name: string }): void {
    this.depth++;
    if (this.depth === 1) {
      if (tag.name.toLowerCase() !== 'gamelist') throw new MalformedError(`root element is <${tag.name}>, not <gameList>`);
    } else if (this.depth === 2) {
      if (tag.name === 'game' || tag.name === 'folder') this.entry = { kind: tag.name, values: new Map() };
    } else if (this.depth === 3 && this.entry) {
      this.field = tag.name;
      this.buf = '';
    }
  }

  text(t: string): void {
    if (this.field === null || this.depth !== 3) return;
    const max = this.field === 'desc' ? MAX_DESC_CHARS : MAX_FIELD_CHARS;
    if (this.buf.length < max) this.buf += t.slice(0, max - this.buf.length);
  }

  close(): void {
    if (this.depth === 3 && this.entry && this.field !== null) {
      const value = this.buf.trim();
      if (value !== '' && !this.entry.values.has(this.field)) this.entry.values.set(this.field, value);
      this.field = null;
      this.buf = '';
    } else if (this.depth === 2 && this.entry) {
      this.finish(this.entry.kind, this.entry.values);
      this.entry = null;
    }
    this.depth--;
  }

  /** The path issues met, once the file is known to be well-formed; those past the cap as one line. */
  flushIssues(): void {
    for (const message of this.pending) this.issues.add('path-outside-root', this.file, message);
    if (this.pathIssues > MAX_PATH_ISSUES) {
      this.issues.add('path-outside-root', this.file, `${this.pathIssues - MAX_PATH_ISSUES} more paths outside the folder`);
    }
  }

  private outside(message: string): void {
    this.pathIssues++;
    if (this.pathIssues <= MAX_PATH_ISSUES) this.pending.push(message);
  }

  private finish(kind: 'game' | 'folder', values: Map<string, string>): void {
    const rawPath = values.get('path');
    if (rawPath === undefined) return;
    const p = parseEntryPath(rawPath);
    if (!p.ok) {
      if (p.reason === 'outside') this.outside(`entry path leaves the folder: ${printable(rawPath)}`);
      return;
    }
    const entry: GamelistEntry = { kind, path: p.rel, fileName: entryFileName(p.rel), text: {}, media: {} };
    const ranks: Partial<Record<GamelistMediaKind, number>> = {};
    for (const [tag, value] of values) {
      if (isTextField(tag)) {
        entry.text[tag] = value;
        continue;
      }
      const media = TAG_TO_MEDIA.get(tag);
      if (!media || (ranks[media.kind] ?? Infinity) <= media.rank) continue;
      const mp = parseEntryPath(value);
      if (!mp.ok) {
        if (mp.reason === 'outside') this.outside(`<${tag}> of ${entry.fileName} leaves the folder: ${printable(value)}`);
        continue;
      }
      entry.media[media.kind] = mp.rel;
      ranks[media.kind] = media.rank;
    }
    this.entries.set(entry);
  }
}

/** A path as it may appear in a log line: control characters shown as `?`, length bounded. */
const printable = (s: string): string =>
  [...s.slice(0, 200)].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? '?' : c)).join('');

/**
 * Entries of one gamelist.xml. A missing file is an empty result; an unreadable one a `source-unreadable` issue; a
 * malformed one a `source-malformed` issue. Never throws for the file's content.
 */
export async function readGamelist(file: string, issues: MetadataIssues): Promise<GamelistEntries> {
  const builder = new EntryBuilder(file, issues);
  const parser = new SaxesParser({ position: true });
  let failure: string | null = null;
  parser.on('error', (err) => {
    throw new MalformedError(err.message);
  });
  // No gamelist carries a DOCTYPE; one here can only be an attempt at entity tricks.
  parser.on('doctype', () => {
    throw new MalformedError('DOCTYPE is not allowed in gamelist.xml');
  });
  parser.on('opentag', (tag) => builder.open(tag));
  parser.on('text', (t) => builder.text(t));
  parser.on('cdata', (t) => builder.text(t));
  parser.on('closetag', () => builder.close());

  const stripper = new AlternativeEmulatorStripper();
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  let sawRoot = false;
  parser.on('opentagstart', () => {
    sawRoot = true;
  });
  try {
    for await (const chunk of stream as AsyncIterable<string>) parser.write(stripper.push(chunk));
    parser.write(stripper.end());
    parser.close();
    if (!sawRoot) failure = 'no <gameList> element';
  } catch (err) {
    stream.destroy();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new GamelistEntries();
    if (typeof code === 'string') {
      issues.add('source-unreadable', file, `cannot read gamelist.xml: ${code}`);
      return new GamelistEntries();
    }
    failure = err instanceof Error ? err.message : String(err);
  }
  if (failure !== null) {
    issues.add('source-malformed', file, `gamelist.xml is not well-formed, ignored: ${failure}`);
    return new GamelistEntries();
  }
  builder.flushIssues();
  return builder.entries;
}
