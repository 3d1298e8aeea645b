/**
 * Title indexes that turn a file name RomM cannot search by (a Sony serial, a PS2 OPL name, a MAME short name, a
 * ScummVM game id) into a searchable title, as RomM's handlers do before asking IGDB, MobyGames or ScreenScraper.
 * The files are RomM's JSON fixtures (`ps1_serial_index.json`: `{ "SLUS-00892": { "title": … } }`, `ps2_opl_index.json`
 * `{ "SLUS_200.62": { "Name": … } }`, `mame_index.json` `{ "sf2": { "description": … } }`, `scummvm_index.json`
 * `{ "monkey": { "name": … } }`), read from a folder the operator fills; a missing file means "no index".
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export type TitleIndexKind = 'ps1-serial' | 'ps2-serial' | 'psp-serial' | 'ps2-opl' | 'mame' | 'scummvm';

export interface TitleIndexes {
  /** The title the index gives for `key`, or null. */
  title(kind: TitleIndexKind, key: string): Promise<string | null>;
}

const FILES: Record<TitleIndexKind, { file: string; field: string }> = {
  'ps1-serial': { file: 'ps1_serial_index.json', field: 'title' },
  'ps2-serial': { file: 'ps2_serial_index.json', field: 'title' },
  'psp-serial': { file: 'psp_serial_index.json', field: 'title' },
  'ps2-opl': { file: 'ps2_opl_index.json', field: 'Name' },
  mame: { file: 'mame_index.json', field: 'description' },
  scummvm: { file: 'scummvm_index.json', field: 'name' },
};

/** An index larger than this is refused rather than parsed (RomM's largest fixture is a few MiB). */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** RomM's fixture files in `dir`, each parsed once on first use into a key → title map. */
export class JsonTitleIndexes implements TitleIndexes {
  private readonly loaded = new Map<TitleIndexKind, Promise<Map<string, string>>>();

  constructor(private readonly dir: string, private readonly onError?: (file: string, message: string) => void) {}

  async title(kind: TitleIndexKind, key: string): Promise<string | null> {
    let map = this.loaded.get(kind);
    if (!map) {
      map = this.load(kind);
      this.loaded.set(kind, map);
    }
    return (await map).get(key) ?? null;
  }

  private async load(kind: TitleIndexKind): Promise<Map<string, string>> {
    const { file, field } = FILES[kind];
    const full = path.join(this.dir, file);
    const out = new Map<string, string>();
    try {
      const info = await stat(full);
      if (!info.isFile()) return out;
      if (info.size > MAX_INDEX_BYTES) {
        this.onError?.(full, `larger than ${MAX_INDEX_BYTES} bytes`);
        return out;
      }
      const doc: unknown = JSON.parse(await readFile(full, 'utf8'));
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a JSON object');
      for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
        const t = v && typeof v === 'object' ? (v as Record<string, unknown>)[field] : undefined;
        if (typeof t === 'string' && t.trim()) out.set(k, t.trim());
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.onError?.(full, (err as Error).message);
    }
    return out;
  }
}

/** Titles from a plain object; for tests and for callers that already hold an index. */
export class MemoryTitleIndexes implements TitleIndexes {
  constructor(private readonly data: Partial<Record<TitleIndexKind, Record<string, string>>>) {}

  title(kind: TitleIndexKind, key: string): Promise<string | null> {
    return Promise.resolve(this.data[kind]?.[key] ?? null);
  }
}
