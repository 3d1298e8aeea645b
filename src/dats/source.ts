/**
 * Opens a DAT file as text: a plain `.dat`/`.xml`, or a zip holding exactly one of them (how No-Intro and Redump
 * publish). Zip entries are streamed through yauzl with their declared sizes checked and a byte cap, so a zip bomb
 * stops at the cap instead of filling memory or disk.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { DatParseError } from './types.ts';

/** Largest DAT text read (MAME's full -listxml is about 300 MB). */
export const MAX_DAT_TEXT_BYTES = 1024 ** 3;
const DAT_ENTRY = /\.(dat|xml)$/i;

export interface DatText {
  chunks: AsyncIterable<string>;
  /** The zip entry read, when the file is a zip. */
  entryName: string | null;
  close(): void;
}

async function isZip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return bytesRead === 4 && buf.readUInt32LE(0) === 0x04034b50;
  } finally {
    await fh.close();
  }
}

/** Counts bytes and stops at the cap; decodes UTF-8 across chunk boundaries. */
async function* decoded(stream: Readable, max: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > max) throw new DatParseError(`the DAT is larger than ${max} bytes`);
    const s = decoder.decode(chunk, { stream: true });
    if (s) yield s;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The text of a DAT file, unzipped when it is a zip. Throws DatParseError for a zip without exactly one DAT. */
export async function openDatText(file: string, maxBytes = MAX_DAT_TEXT_BYTES): Promise<DatText> {
  if (!(await isZip(file))) {
    const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
    return { chunks: decoded(stream, maxBytes), entryName: null, close: () => stream.destroy() };
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (err) {
    throw new DatParseError(`not a readable zip file (${(err as Error).message})`);
  }
  try {
    const found: yauzl.Entry[] = [];
    for await (const e of zip.eachEntry()) {
      if (!e.fileName.endsWith('/') && DAT_ENTRY.test(e.fileName) && !e.fileName.startsWith('__MACOSX/')) found.push(e);
      if (found.length > 1) break;
    }
    const entry = found[0];
    if (!entry) throw new DatParseError('the zip holds no .dat or .xml file');
    if (found.length > 1) throw new DatParseError('the zip holds more than one .dat or .xml file; one DAT per zip');
    if (entry.uncompressedSize > maxBytes) throw new DatParseError(`the DAT in the zip is larger than ${maxBytes} bytes`);
    const stream = await zip.openReadStreamPromise(entry);
    return {
      chunks: decoded(stream, maxBytes),
      entryName: entry.fileName,
      close: () => {
        stream.destroy();
        zip.close();
      },
    };
  } catch (err) {
    zip.close();
    if (err instanceof DatParseError) throw err;
    throw new DatParseError(`the zip is damaged (${(err as Error).message})`);
  }
}

/** SHA-1 of a file's bytes, for change detection. */
export async function fileSha1(file: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}
