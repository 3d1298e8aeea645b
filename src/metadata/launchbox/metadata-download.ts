/**
 * Keeps LAUNCHBOX_METADATA_PATH fresh from LaunchBox's public `Metadata.zip` (`LAUNCHBOX_API_ENABLED`), checked at
 * most once a day: a conditional GET (the last answer's ETag / Last-Modified) so an unchanged file costs one small
 * request, the zip streamed to a temporary file under a size limit and a timeout, then `Metadata.xml` streamed out of
 * it (yauzl checks the entry's declared sizes; the bytes are counted against a limit too) into a temporary file
 * renamed over the old one, so the importer only ever sees a complete file. Any failure leaves the previous file and
 * adds an issue; the state file beside Metadata.xml records the last check.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { randomBytes } from 'node:crypto';
import yauzl from 'yauzl';
import type { MetadataIssues } from '../types.ts';

export interface LaunchboxDownloadOptions {
  /** LAUNCHBOX_METADATA_URL (the operator's, trusted). */
  url: string;
  /** LAUNCHBOX_METADATA_PATH: where Metadata.xml is written. */
  metadataPath: string;
  /** Longest wait for the answer's headers, and for each chunk of the body. */
  timeoutMs: number;
  /** Longest whole download (default 30 minutes). */
  totalTimeoutMs?: number;
  /** Largest zip accepted (default 1 GiB) and largest Metadata.xml extracted (default 4 GiB). */
  maxZipBytes?: number;
  maxXmlBytes?: number;
  /** Time between checks (default a day); after a failure, an hour. */
  intervalMs?: number;
  retryMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export type LaunchboxDownloadStatus = 'downloaded' | 'not-modified' | 'skipped' | 'failed';

interface DownloadState {
  url: string;
  checkedAt: number;
  failed?: boolean;
  etag?: string;
  lastModified?: string;
}

const GiB = 1024 ** 3;
const HOUR = 3600 * 1000;

/** The file recording the last check, beside Metadata.xml. */
export const downloadStatePath = (metadataPath: string): string => `${metadataPath}.download.json`;

class DownloadFailure extends Error {}

export async function updateLaunchboxMetadata(opts: LaunchboxDownloadOptions, issues: MetadataIssues): Promise<LaunchboxDownloadStatus> {
  const now = opts.now ?? Date.now;
  const statePath = downloadStatePath(opts.metadataPath);
  const state = await readState(statePath);
  const present = await stat(opts.metadataPath).then((s) => s.isFile(), () => false);
  const sameUrl = state?.url === opts.url;
  if (sameUrl && state && (present || state.failed)) {
    // A failed check is retried sooner, but not on every pass: a quick scan may run every few minutes.
    const wait = state.failed ? opts.retryMs ?? HOUR : opts.intervalMs ?? 24 * HOUR;
    if (now() - state.checkedAt < wait) return 'skipped';
  }

  const dir = path.dirname(opts.metadataPath);
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const zipTmp = path.join(dir, `.Metadata.zip.${tag}.part`);
  const xmlTmp = `${opts.metadataPath}.${tag}.part`;
  try {
    await mkdir(dir, { recursive: true });
    const conditional = present && sameUrl ? state : null;
    const answer = await download(opts, zipTmp, conditional);
    if (answer === 'not-modified') {
      await writeState(statePath, validators({ url: opts.url, checkedAt: now() }, conditional));
      return 'not-modified';
    }
    await extractMetadataXml(zipTmp, xmlTmp, opts.maxXmlBytes ?? 4 * GiB);
    await rename(xmlTmp, opts.metadataPath);
    await writeState(statePath, validators({ url: opts.url, checkedAt: now() }, answer));
    return 'downloaded';
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    issues.add('source-unreadable', opts.url, `LaunchBox metadata download: ${(err as Error).message}`);
    await writeState(statePath, { ...validators({ url: opts.url, checkedAt: now() }, sameUrl ? state : null), failed: true }).catch(() => undefined);
    return 'failed';
  } finally {
    await rm(zipTmp, { force: true }).catch(() => undefined);
    await rm(xmlTmp, { force: true }).catch(() => undefined);
  }
}

async function download(
  opts: LaunchboxDownloadOptions, target: string, previous: DownloadState | null,
): Promise<'not-modified' | { etag: string | null; lastModified: string | null }> {
  const max = opts.maxZipBytes ?? GiB;
  const controller = new AbortController();
  const signal = opts.signal ? AbortSignal.any([controller.signal, opts.signal]) : controller.signal;
  let why = '';
  const abort = (reason: string) => { why = reason; controller.abort(); };
  let idle = setTimeout(() => abort('timed out waiting for an answer'), opts.timeoutMs);
  const total = setTimeout(() => abort('took too long'), opts.totalTimeoutMs ?? 30 * 60 * 1000);
  try {
    const headers: Record<string, string> = { 'user-agent': 'romshelf' };
    if (previous?.etag) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
    const res = await (opts.fetch ?? fetch)(opts.url, { headers, redirect: 'follow', signal });
    if (res.status === 304) {
      await res.body?.cancel();
      return 'not-modified';
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new DownloadFailure(`HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > max) {
      await res.body.cancel();
      throw new DownloadFailure(`the file is larger than ${max} bytes`);
    }
    let bytes = 0;
    const counted = async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of source) {
        bytes += chunk.byteLength;
        if (bytes > max) throw new DownloadFailure(`the file is larger than ${max} bytes`);
        clearTimeout(idle);
        idle = setTimeout(() => abort('stalled'), opts.timeoutMs);
        yield chunk;
      }
    };
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), counted, createWriteStream(target, { flags: 'wx' }));
    return { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
  } catch (err) {
    if (why && !opts.signal?.aborted) throw new DownloadFailure(why);
    throw err;
  } finally {
    clearTimeout(idle);
    clearTimeout(total);
  }
}

/** Streams the zip's root `Metadata.xml` to `target`; refuses a zip without one or an entry over `max` bytes. */
async function extractMetadataXml(zipPath: string, target: string, max: number): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (err) {
    throw new DownloadFailure(`not a zip file (${(err as Error).message})`);
  }
  try {
    let entry: yauzl.Entry | null = null;
    for await (const e of zip.eachEntry()) {
      if (e.fileName.toLowerCase() === 'metadata.xml') {
        entry = e;
        break;
      }
    }
    if (!entry) throw new DownloadFailure('the zip holds no Metadata.xml');
    if (entry.uncompressedSize > max) throw new DownloadFailure(`Metadata.xml is larger than ${max} bytes`);
    const stream = await zip.openReadStreamPromise(entry);
    let bytes = 0;
    let first = true;
    const checked = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        if (first && chunk.length > 0) {
          first = false;
          // The importer would reject anything else anyway; this keeps a broken file from replacing a good one.
          if (!/^(\uFEFF)?\s*</.test(chunk.subarray(0, 64).toString('utf8'))) throw new DownloadFailure('Metadata.xml is not XML');
        }
        bytes += chunk.length;
        if (bytes > max) throw new DownloadFailure(`Metadata.xml is larger than ${max} bytes`);
        yield chunk;
      }
    };
    await pipeline(stream, checked, createWriteStream(target, { flags: 'wx' }));
    if (bytes === 0) throw new DownloadFailure('Metadata.xml is empty');
  } catch (err) {
    if (err instanceof DownloadFailure) throw err;
    throw new DownloadFailure(`the zip is damaged (${(err as Error).message})`);
  } finally {
    zip.close();
  }
}

/** `state` with the ETag and Last-Modified of `from`. */
function validators(state: DownloadState, from: { etag?: string | null; lastModified?: string | null } | null): DownloadState {
  if (from?.etag) state.etag = from.etag;
  if (from?.lastModified) state.lastModified = from.lastModified;
  return state;
}

async function readState(file: string): Promise<DownloadState | null> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as Partial<DownloadState>;
    if (typeof v.url !== 'string' || typeof v.checkedAt !== 'number') return null;
    const state: DownloadState = { url: v.url, checkedAt: v.checkedAt };
    if (v.failed === true) state.failed = true;
    if (typeof v.etag === 'string') state.etag = v.etag;
    if (typeof v.lastModified === 'string') state.lastModified = v.lastModified;
    return state;
  } catch {
    return null;
  }
}

async function writeState(file: string, state: DownloadState): Promise<void> {
  const tmp = `${file}.${process.pid}.part`;
  await writeFile(tmp, JSON.stringify(state));
  await rename(tmp, file);
}
