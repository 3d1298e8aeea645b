/**
 * Known-BIOS lists firmware is verified against (spec §3.4). RomM bundles one; romshelf does not, and reads the lists
 * an operator puts at KNOWN_BIOS_PATH (one file, or a folder of files):
 * - RomM's JSON shape `{"<platform slug>:<file name>": {"size": "<decimal>", "crc", "md5", "sha1"}}`, keyed by the
 *   platform's slug;
 * - Logiqx XML DATs (`<game><rom name size crc md5 sha1/></game>`), read as a stream;
 * - clrmamepro text DATs (`game ( rom ( name … size … crc … ) )`, the format of libretro's System.dat).
 * Entries of a DAT apply to every platform by exact file name: the name and the hashes identify the BIOS.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SaxesParser } from 'saxes';

export interface KnownBiosEntry {
  size: number;
  crc: string;
  md5: string;
  sha1: string;
}

/** What a firmware file is checked with: its size and lowercase hex hashes. */
export interface FirmwareFacts {
  size: number;
  crc: string;
  md5: string;
  sha1: string;
}

export interface KnownBiosLog {
  info(msg: string): void;
  warn(msg: string): void;
}

/** A JSON list is read whole; RomM's own is about 100 KB, so this leaves ample room. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

const hex = (v: unknown, length: number): string => {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  return new RegExp(`^[0-9a-f]{${length}}$`).test(s) ? s : '';
};

const sizeOf = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
};

function entryOf(raw: { size?: unknown; crc?: unknown; md5?: unknown; sha1?: unknown }): KnownBiosEntry | null {
  const size = sizeOf(raw.size);
  if (size === null) return null;
  const entry = { size, crc: hex(raw.crc, 8), md5: hex(raw.md5, 32), sha1: hex(raw.sha1, 40) };
  return entry.crc || entry.md5 || entry.sha1 ? entry : null;
}

/** RomM's rule: the size is equal and at least one of MD5, SHA-1, CRC32 is equal. */
export function matchesEntry(entry: KnownBiosEntry, facts: FirmwareFacts): boolean {
  if (facts.size !== entry.size) return false;
  const same = (a: string, b: string) => a !== '' && a === b.toLowerCase();
  return same(entry.md5, facts.md5) || same(entry.sha1, facts.sha1) || same(entry.crc, facts.crc);
}

/** The parsed lists: by `<platform slug>:<file name>` (JSON) and by file name (DATs). */
export class KnownBiosTable {
  readonly bySlugName = new Map<string, KnownBiosEntry>();
  readonly byName = new Map<string, KnownBiosEntry[]>();

  addSlugEntry(key: string, entry: KnownBiosEntry): void {
    this.bySlugName.set(key, entry);
  }

  addNameEntry(name: string, entry: KnownBiosEntry): void {
    const list = this.byName.get(name) ?? [];
    list.push(entry);
    this.byName.set(name, list);
  }

  get size(): number {
    let n = this.bySlugName.size;
    for (const list of this.byName.values()) n += list.length;
    return n;
  }

  verify(platformSlug: string, fileName: string, facts: FirmwareFacts): boolean {
    const keyed = this.bySlugName.get(`${platformSlug}:${fileName}`);
    if (keyed && matchesEntry(keyed, facts)) return true;
    return (this.byName.get(fileName) ?? []).some((e) => matchesEntry(e, facts));
  }
}

export function parseRommJson(text: string, into: KnownBiosTable): number {
  const doc: unknown = JSON.parse(text);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a JSON object');
  let n = 0;
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (!key.includes(':') || !value || typeof value !== 'object') continue;
    const entry = entryOf(value);
    if (!entry) continue;
    into.addSlugEntry(key, entry);
    n++;
  }
  return n;
}

/** Every `<rom>` element of a Logiqx DAT, whatever its parent (`game` or `machine`). */
export async function parseLogiqxDat(file: string, into: KnownBiosTable): Promise<number> {
  const parser = new SaxesParser();
  let n = 0;
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    if (tag.name !== 'rom') return;
    const a = tag.attributes as Record<string, string>;
    const name = a.name;
    const entry = entryOf(a);
    if (!name || !entry) return;
    into.addNameEntry(name, entry);
    n++;
  });
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) parser.write(chunk);
    parser.close();
  } finally {
    stream.destroy();
  }
  return n;
}

/** Tokens of a clrmamepro line: bare words, `(`, `)` and quoted strings. */
function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([()])|([^\s()"]+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? ''));
  return out;
}

/** `rom ( name x size n crc h md5 h sha1 h )` lines of a clrmamepro DAT, read line by line. */
export async function parseClrMameDat(file: string, into: KnownBiosTable): Promise<number> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      const t = tokens(line);
      const start = t.indexOf('rom');
      if (start === -1 || t[start + 1] !== '(') continue;
      const fields: Record<string, string> = {};
      for (let i = start + 2; i + 1 < t.length && t[i] !== ')'; i += 2) fields[t[i] as string] = t[i + 1] as string;
      const entry = entryOf(fields);
      if (!fields.name || !entry) continue;
      into.addNameEntry(fields.name, entry);
      n++;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return n;
}

async function firstChar(file: string): Promise<string> {
  const stream = createReadStream(file, { encoding: 'utf8', start: 0, end: 4095 });
  let head = '';
  for await (const chunk of stream as AsyncIterable<string>) head += chunk;
  return head.replace(/^\uFEFF/, '').trimStart().charAt(0);
}

/** Reads one list file into the table, choosing the format from its first character. Returns the entries read. */
export async function loadListFile(file: string, into: KnownBiosTable): Promise<number> {
  const first = await firstChar(file);
  if (first === '{') {
    const st = await stat(file);
    if (st.size > MAX_JSON_BYTES) throw new Error(`JSON list larger than ${MAX_JSON_BYTES} bytes`);
    return parseRommJson((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''), into);
  }
  if (first === '<') return parseLogiqxDat(file, into);
  return parseClrMameDat(file, into);
}

interface ListFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** The list files at `location` (the file itself, or the regular files directly in the folder), sorted. */
async function listFiles(location: string): Promise<ListFile[] | null> {
  let st;
  try {
    st = await stat(location);
  } catch {
    return null;
  }
  if (st.isFile()) return [{ path: location, size: st.size, mtimeMs: st.mtimeMs }];
  if (!st.isDirectory()) return null;
  const out: ListFile[] = [];
  for (const name of (await readdir(location)).sort()) {
    if (name.startsWith('.')) continue;
    const abs = path.join(location, name);
    try {
      const s = await stat(abs);
      if (s.isFile()) out.push({ path: abs, size: s.size, mtimeMs: s.mtimeMs });
    } catch {
      // vanished between the listing and the stat
    }
  }
  return out;
}

const signatureOf = (files: readonly ListFile[]): string => files.map((f) => `${f.path}\0${f.size}\0${f.mtimeMs}`).join('\n');

/**
 * The known-BIOS lists at one location, reloaded by `refresh()` when a file appears, disappears or changes size or
 * modification time (scans and uploads call it before verifying). No list: nothing is verified, said once in the log.
 */
export class KnownBios {
  private table = new KnownBiosTable();
  private signature: string | null = null;
  private reportedMissing = false;
  private loading: Promise<void> | null = null;

  constructor(readonly location: string | undefined, private readonly log: KnownBiosLog = { info: () => undefined, warn: () => undefined }) {}

  /** Reloads the lists when they changed on disk; concurrent callers share one reload. */
  refresh(): Promise<void> {
    this.loading ??= this.reload().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  verify(platformSlug: string, fileName: string, facts: FirmwareFacts): boolean {
    return this.table.verify(platformSlug, fileName, facts);
  }

  get entries(): number {
    return this.table.size;
  }

  private async reload(): Promise<void> {
    if (!this.location) return;
    const files = await listFiles(this.location);
    if (files === null || files.length === 0) {
      if (!this.reportedMissing) {
        this.log.info(`No known-BIOS list at ${this.location}: firmware is not verified (see docs/firmware.md)`);
        this.reportedMissing = true;
      }
      this.table = new KnownBiosTable();
      this.signature = '';
      return;
    }
    const signature = signatureOf(files);
    if (signature === this.signature) return;
    const table = new KnownBiosTable();
    for (const f of files) {
      try {
        await loadListFile(f.path, table);
      } catch (err) {
        this.log.warn(`Known-BIOS list ${f.path} ignored: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.table = table;
    this.signature = signature;
    this.reportedMissing = false;
    this.log.info(`Known-BIOS lists at ${this.location}: ${table.size} entries`);
  }
}
