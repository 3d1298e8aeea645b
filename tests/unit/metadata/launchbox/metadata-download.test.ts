import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadStatePath, updateLaunchboxMetadata, type LaunchboxDownloadOptions } from '../../../../src/metadata/launchbox/metadata-download.ts';
import type { MetadataIssueKind } from '../../../../src/metadata/types.ts';
import { startFakeProvider, type FakeHandler } from '../../../helpers/fake-provider-server.ts';
import { tinyZip } from '../../../helpers/tiny-zip.ts';

const XML = '<?xml version="1.0" encoding="utf-8"?>\n<LaunchBox>\n  <Game><Name>Paper Mario</Name><DatabaseID>141</DatabaseID><Platform>Nintendo 64</Platform></Game>\n</LaunchBox>\n';
const XML2 = XML.replace('Paper Mario', 'Paper Mario 2');
const DAY = 24 * 3600 * 1000;

class Issues {
  list: { kind: MetadataIssueKind; path: string; message: string }[] = [];
  add(kind: MetadataIssueKind, p: string, message: string): void { this.list.push({ kind, path: p, message }); }
}

let dir: string;
let metadataPath: string;
let clock: number;
let close: (() => Promise<void>) | null = null;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lb-download-'));
  metadataPath = path.join(dir, 'launchbox', 'Metadata.xml');
  clock = 1_700_000_000_000;
});
afterEach(async () => {
  await close?.();
  close = null;
  await rm(dir, { recursive: true, force: true });
});

async function serve(handler: FakeHandler) {
  const s = await startFakeProvider(handler);
  close = s.close;
  return s;
}

const update = (url: string, issues = new Issues(), extra: Partial<LaunchboxDownloadOptions> = {}) =>
  updateLaunchboxMetadata({ url, metadataPath, timeoutMs: 1000, now: () => clock, ...extra }, issues);

/** What is left in the folder besides Metadata.xml and its state file (temporary files must not stay). */
const leftovers = async () => (await readdir(path.dirname(metadataPath))).filter((n) => n !== 'Metadata.xml' && n !== 'Metadata.xml.download.json');

describe('LaunchBox Metadata.zip download', () => {
  it('downloads, extracts Metadata.xml, then checks at most daily with a conditional request', async () => {
    let zip = tinyZip({ 'Platforms.xml': '<LaunchBox/>', 'Metadata.xml': XML });
    let etag = '"v1"';
    const s = await serve((r) => (r.headers['if-none-match'] === etag
      ? { status: 304, raw: '' }
      : { raw: zip, headers: { 'content-type': 'application/zip', etag, 'last-modified': 'Tue, 01 Apr 2025 10:00:00 GMT' } }));
    const url = `${s.url}/Metadata.zip`;
    const issues = new Issues();
    expect(await update(url, issues)).toBe('downloaded');
    expect(issues.list).toEqual([]);
    expect(await readFile(metadataPath, 'utf8')).toBe(XML);
    expect(JSON.parse(await readFile(downloadStatePath(metadataPath), 'utf8'))).toEqual({
      url, checkedAt: clock, etag: '"v1"', lastModified: 'Tue, 01 Apr 2025 10:00:00 GMT',
    });
    expect(await leftovers()).toEqual([]);

    clock += DAY - 1;
    expect(await update(url)).toBe('skipped');
    expect(s.requests).toHaveLength(1);

    clock += 2;
    const before = await stat(metadataPath);
    expect(await update(url)).toBe('not-modified');
    expect(s.requests[1]?.headers).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': 'Tue, 01 Apr 2025 10:00:00 GMT' });
    expect((await stat(metadataPath)).mtimeMs).toBe(before.mtimeMs);

    clock += DAY;
    zip = tinyZip({ 'Metadata.xml': XML2 });
    etag = '"v2"';
    s.requests.length = 0;
    // The server's ETag changed: the conditional request gets the new file.
    expect(await update(url)).toBe('downloaded');
    expect(await readFile(metadataPath, 'utf8')).toBe(XML2);
    expect((await stat(metadataPath)).ino).not.toBe(before.ino);
  });

  it('keeps the previous file when the download fails, and retries after an hour, not on every pass', async () => {
    let status = 500;
    const s = await serve(() => (status === 200 ? { raw: tinyZip({ 'Metadata.xml': XML2 }) } : { status }));
    await writeFileDeep(metadataPath, XML);
    const issues = new Issues();
    expect(await update(`${s.url}/Metadata.zip`, issues)).toBe('failed');
    expect(issues.list).toEqual([{ kind: 'source-unreadable', path: `${s.url}/Metadata.zip`, message: 'LaunchBox metadata download: HTTP 500' }]);
    expect(await readFile(metadataPath, 'utf8')).toBe(XML);
    clock += 30 * 60 * 1000;
    expect(await update(`${s.url}/Metadata.zip`)).toBe('skipped');
    status = 200;
    clock += 31 * 60 * 1000;
    expect(await update(`${s.url}/Metadata.zip`)).toBe('downloaded');
    expect(await readFile(metadataPath, 'utf8')).toBe(XML2);
    expect(s.requests).toHaveLength(2);
  });

  it('refuses a file over the size limit, announced or streamed', async () => {
    const big = tinyZip({ 'Metadata.xml': `${XML}<!-- ${randomBytes(3000).toString('hex')} -->` });
    const s = await serve(() => ({ raw: big }));
    const issues = new Issues();
    expect(await update(`${s.url}/a.zip`, issues, { maxZipBytes: 1000 })).toBe('failed');
    expect(issues.list[0]?.message).toMatch(/larger than 1000 bytes/);
    // No Content-Length: the bytes are counted as they arrive.
    const streamed = (): Promise<Response> => Promise.resolve(new Response(new ReadableStream({
      start(c) { for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(500)); c.close(); },
    })));
    const again = new Issues();
    expect(await update('https://mirror.example/Metadata.zip', again, { maxZipBytes: 1000, fetch: streamed })).toBe('failed');
    expect(again.list[0]?.message).toMatch(/larger than 1000 bytes/);
    await expect(stat(metadataPath)).rejects.toThrow();
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a Metadata.xml over its limit, a zip without one, a damaged zip and HTML posing as XML', async () => {
    const cases: [Buffer, RegExp, Partial<LaunchboxDownloadOptions>][] = [
      [tinyZip({ 'Metadata.xml': '<LaunchBox>' + ' '.repeat(100_000) + '</LaunchBox>' }), /Metadata.xml is larger than 50000 bytes/, { maxXmlBytes: 50_000 }],
      [tinyZip({ 'Platforms.xml': '<LaunchBox/>', 'Sub/Metadata.xml': XML }), /holds no Metadata.xml/, {}],
      [Buffer.from('<html><body>Not found</body></html>'), /not a zip file/, {}],
      [tinyZip({ 'Metadata.xml': 'PK garbage, not xml at all' }), /not XML/, {}],
    ];
    for (const [body, message, extra] of cases) {
      clock += 2 * DAY;
      const s = await serve(() => ({ raw: body }));
      const issues = new Issues();
      expect(await update(`${s.url}/Metadata.zip`, issues, extra)).toBe('failed');
      expect(issues.list[0]?.message).toMatch(message);
      await close?.();
      close = null;
    }
    await expect(stat(metadataPath)).rejects.toThrow();
    expect(await leftovers()).toEqual([]);
  });

  it('gives up on a server that does not answer in time', async () => {
    const s = await serve(() => ({ raw: tinyZip({ 'Metadata.xml': XML }), delayMs: 2000 }));
    const issues = new Issues();
    expect(await update(`${s.url}/Metadata.zip`, issues, { timeoutMs: 100 })).toBe('failed');
    expect(issues.list[0]?.message).toMatch(/timed out/);
  });
});

async function writeFileDeep(p: string, text: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, text);
}
