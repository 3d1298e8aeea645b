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
  if (!info?.isFile()) return { mounted: false, writable: false, parseError: null, doc: {} };
  const writable = await access(file, constants.W_OK).then(() => true, () => false);
  if (info.size > MAX_CONFIG_BYTES) return { mounted: true, writable, parseError: `config file larger than ${MAX_CONFIG_BYTES} bytes`, doc: {} };
  try {
    const doc: unknown = parse(await readFile(file, 'utf8')) ?? {};
    return { mounted: true, writable, parseError: null, doc };
  } catch (err) {
    return { mounted: true, writable, parseError: (err as Error).message, doc: {} };
  }
}
