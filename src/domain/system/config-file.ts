import { access, constants, readFile, stat } from 'node:fs/promises';
import { parse } from 'yaml';

/** config.yml as RomM reports it: present, writable, and the parser's complaint when it is not valid YAML. */
export interface ConfigFileState {
  mounted: boolean;
  writable: boolean;
  parseError: string | null;
  /** The parsed document; `{}` when the file is missing or unparsable. */
  doc: unknown;
}

/** A config file is a few kilobytes; anything this large is not one and is not read into memory. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export async function readConfigFile(file: string): Promise<ConfigFileState> {
  const info = await stat(file).catch(() => null);
  return readWithInfo(file, info);
}

async function readWithInfo(file: string, info: Awaited<ReturnType<typeof stat>> | null): Promise<ConfigFileState> {
  if (!info?.isFile()) return { mounted: false, writable: false, parseError: null, doc: {} };
  const writable = await access(file, constants.W_OK).then(() => true, () => false);
  if (Number(info.size) > MAX_CONFIG_BYTES) return { mounted: true, writable, parseError: `config file larger than ${MAX_CONFIG_BYTES} bytes`, doc: {} };
  try {
    const doc: unknown = parse(await readFile(file, 'utf8')) ?? {};
    return { mounted: true, writable, parseError: null, doc };
  } catch (err) {
    return { mounted: true, writable, parseError: (err as Error).message, doc: {} };
  }
}

/**
 * config.yml read again only when it changed (size, modification or status-change time, inode): hot paths such as
 * the ROM list ask for the region priority on every request and cost one `stat` while the file is unchanged, yet a
 * hand edit is seen by the next request, as RomM re-reads the file.
 */
export class ConfigFileReader {
  private cached: { key: string; state: Promise<ConfigFileState> } | null = null;

  constructor(readonly file: string) {}

  async read(): Promise<ConfigFileState> {
    const info = await stat(this.file).catch(() => null);
    const key = info ? `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}` : 'missing';
    if (this.cached?.key !== key) this.cached = { key, state: readWithInfo(this.file, info) };
    return this.cached.state;
  }

  /** Forgets the cached read (after a write, whose timestamps may equal the previous ones). */
  invalidate(): void {
    this.cached = null;
  }
}
