import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseIds, PlaymatchClient, selectLookupFile } from '../../../../src/metadata/playmatch/client.ts';
import { PlaymatchProvider } from '../../../../src/metadata/playmatch/provider.ts';
import { startFakeProvider, type FakeHandler } from '../../../helpers/fake-provider-server.ts';

const MATCH = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../fixtures/metadata/playmatch/identify-match.json'), 'utf8')) as unknown;
const SMW = { fileName: 'Super Mario World (USA).sfc', fileSize: 524288, md5: 'cdd3c8c37322978ca8669b34bc89c804', sha1: '6b47bb75d16514b6a476aa0c73a683a2a4c18765', crc: 'b19ed489' };

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

async function setup(handler: FakeHandler, opts: { enabled?: boolean; timeoutMs?: number; waits?: number[] } = {}) {
  const s = await startFakeProvider(handler);
  close = s.close;
  const client = new PlaymatchClient({
    enabled: opts.enabled ?? true, url: `${s.url}/api/v2`, timeoutMs: opts.timeoutMs ?? 1000,
    sleep: (ms) => { opts.waits?.push(ms); return Promise.resolve(); },
  });
  return { s, client };
}

describe('Playmatch client', () => {
  it('asks /identify/ids with the file name, size and hashes and keeps the ids RomM uses', async () => {
    const { s, client } = await setup((r) => (r.url.startsWith('/api/v2/identify/ids?') ? { body: MATCH } : null));
    expect(await client.identify(SMW)).toEqual({ igdb_id: 1070, moby_id: 5224, ss_id: 3632, launchbox_id: 3419 });
    expect(Object.fromEntries(new URL(s.requests[0]!.url, 'http://x').searchParams)).toEqual({
      fileName: 'Super Mario World (USA).sfc', fileSize: '524288', md5: SMW.md5, sha1: SMW.sha1, crc: 'b19ed489',
    });
  });

  it('asks once for a file several providers ask about, and leaves out missing hashes', async () => {
    const { s, client } = await setup(() => ({ body: MATCH, delayMs: 20 }));
    const file = { ...SMW, md5: null, crc: '' };
    const [a, b] = await Promise.all([client.identify(file), client.identify(file)]);
    expect(a).toEqual(b);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]?.url).not.toMatch(/md5|crc/);
  });

  it('answers no ids for NoMatch, 404, errors, timeouts, malformed answers, or when disabled', async () => {
    const answers: Record<string, ReturnType<FakeHandler>> = {
      'a.sfc': { body: { gameMatchType: 'NoMatch', externalMetadata: [{ providerName: 'IGDB', providerId: '1' }] } },
      'b.sfc': null,
      'c.sfc': { raw: 'Healthy' },
      'd.sfc': { status: 401 },
    };
    const { client } = await setup((r) => answers[new URL(r.url, 'http://x').searchParams.get('fileName') ?? ''] ?? null);
    for (const name of Object.keys(answers)) expect(await client.identify({ ...SMW, fileName: name })).toEqual({});
    expect(client.http.stats.calls).toBe(4);
    const slow = await setup(() => ({ body: MATCH, delayMs: 500 }), { timeoutMs: 50 });
    expect(await slow.client.identify(SMW)).toEqual({});
    const off = await setup(() => ({ body: MATCH }), { enabled: false });
    expect(await off.client.identify(SMW)).toEqual({});
    expect(off.s.requests).toHaveLength(0);
    expect(await off.client.identify({ ...SMW, fileSize: 0 })).toEqual({});
  });

  it('retries a 429 once after the wait Playmatch asks for', async () => {
    let n = 0;
    const waits: number[] = [];
    const { s, client } = await setup(() => (++n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { body: MATCH }), { waits });
    expect((await client.identify(SMW)).igdb_id).toBe(1070);
    expect(waits).toEqual([2000]);
    expect(s.requests).toHaveLength(2);
  });

  it('reads ids leniently', () => {
    expect(parseIds({ externalMetadata: [{ providerName: 'steamgriddb', providerId: 42 }, { providerName: 'LAUNCHBOX', providerId: ' 7 ' }] }))
      .toEqual({ sgdb_id: 42, launchbox_id: 7 });
    expect(parseIds({ externalMetadata: [{ providerName: 'IGDB', providerId: '-3' }, { providerName: 'IGDB', providerId: '1e3' }] })).toEqual({});
    expect(parseIds('text')).toEqual({});
    expect(parseIds(null)).toEqual({});
  });

  it('identifies a ROM by its largest top-level file, ties broken by path', () => {
    const files = [
      { path: 'Game/Disc 2.chd', size: 700, topLevel: true },
      { path: 'Game/Disc 1.chd', size: 700, topLevel: true },
      { path: 'Game/extras/big.bin', size: 9000, topLevel: false },
      { path: 'Game/empty.txt', size: 0, topLevel: true },
    ];
    expect(selectLookupFile(files)?.path).toBe('Game/Disc 1.chd');
    expect(selectLookupFile([{ path: 'x', size: 0, topLevel: true }])).toBeNull();
  });
});

describe('Playmatch provider', () => {
  it('reports the heartbeat flag and health, and opens no session', async () => {
    let up = true;
    const { s, client } = await setup((r) => (r.url === '/api/v2/health' ? (up ? { raw: 'Healthy', headers: { 'content-type': 'text/plain' } } : { status: 503 }) : null));
    const p = new PlaymatchProvider(client);
    expect(p.heartbeatFlag).toBe('PLAYMATCH_API_ENABLED');
    expect(await p.available()).toBe(true);
    expect(await p.health()).toBe(true);
    up = false;
    expect(await p.health()).toBe(false);
    // A 503 is retried once.
    expect(s.requests).toHaveLength(3);
    expect(await p.open()).toBeNull();
    expect(await new PlaymatchProvider((await setup(() => null, { enabled: false })).client).health()).toBe(false);
  });
});
