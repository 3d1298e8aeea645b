import { createHash } from 'node:crypto';
import type { Catalogue, CatalogueRom } from './catalogue.ts';
import { fullGame, hasheousProxyGame } from './igdb-games.ts';
import { DISC_PLATFORMS } from './igdb-platforms.ts';
import { mix } from '../metadata-text.ts';
import { pngFor } from './png.ts';
import { fixedWindow, startFakeServer, type FakeAnswer, type FakeRequest, type FakeServer } from './server.ts';

/**
 * Fake Hasheous under `/api/v1` (HASHEOUS_API_URL=<url>/api/v1): `POST Lookup/ByHash` (a JSON list of
 * `{mD5, shA1, crc}`, or one such object), `GET MetadataProxy/IGDB/Game?Id=`, `MetadataProxy/IGDB/Cover?Id=`,
 * `MetadataProxy/RA/Game?Id=`, `HealthCheck`, and the logo images its answers link (`/api/v1/images/<id>`). Answers
 * are shaped after RomM's recorded ones (test_scan_rom.yaml); an unknown hash is ASP.NET's 404 problem body.
 * Hasheous's own limiter (hasheous/Program.cs: a fixed window of 80 requests per 10 s, one partition per Host header,
 * so in practice one for everybody) answers 429 with a short text; this fake adds Retry-After (the seconds left in
 * the window), which the real one does not send. Requests without RomM's `X-Client-API-Key` header are counted.
 */

const NOT_FOUND: FakeAnswer = {
  status: 404,
  json: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5', title: 'Not Found', status: 404, traceId: '00-00000000000000000000000000000000-0000000000000000-00' },
};

export interface FakeHasheousOptions {
  catalogue: Catalogue;
  seed: number;
  /** Requests per window and the window (default Hasheous's 80 per 10 s). */
  limit?: number;
  windowMs?: number;
  latencyMs?: [number, number];
}

export async function startFakeHasheous(opts: FakeHasheousOptions): Promise<FakeServer & { withoutClientKey: () => number }> {
  const cat = opts.catalogue;
  let withoutKey = 0;
  let host = '';
  const route = (req: FakeRequest): { endpoint: string; answer: FakeAnswer } => {
    const path = req.path.replace(/\/+$/, '');
    if (path.startsWith('/api/v1/') && !req.headers['x-client-api-key']) withoutKey++;
    if (path === '/api/v1/Lookup/ByHash' && req.method === 'POST') return { endpoint: 'POST Lookup/ByHash', answer: byHash(cat, req.body) };
    if (path === '/api/v1/MetadataProxy/IGDB/Game') {
      const game = cat.games.get(Number(req.query.get('Id')));
      return { endpoint: 'GET MetadataProxy/IGDB/Game', answer: game ? { json: hasheousProxyGame(fullGame(game, host)) } : NOT_FOUND };
    }
    if (path === '/api/v1/MetadataProxy/IGDB/Cover') {
      const id = Number(req.query.get('Id'));
      const game = cat.games.get((id - 3) / 10);
      return { endpoint: 'GET MetadataProxy/IGDB/Cover', answer: game ? { json: fullGame(game, host).cover } : NOT_FOUND };
    }
    if (path === '/api/v1/MetadataProxy/RA/Game') {
      const rom = cat.raGames.get(Number(req.query.get('Id')));
      return { endpoint: 'GET MetadataProxy/RA/Game', answer: rom ? { json: raGame(rom) } : NOT_FOUND };
    }
    if (path === '/api/v1/HealthCheck') return { endpoint: 'GET HealthCheck', answer: { raw: 'Healthy' } };
    const image = /^\/api\/v1\/images\/([0-9A-F]+)$/.exec(path);
    if (image) return { endpoint: 'GET images (logo)', answer: { raw: pngFor(`hasheous:${image[1]}`), headers: { 'content-type': 'image/png' } } };
    return { endpoint: `${req.method} (unknown path)`, answer: NOT_FOUND };
  };
  const server = await startFakeServer({
    name: 'hasheous', seed: opts.seed, latencyMs: opts.latencyMs,
    limits: [fixedWindow(opts.limit ?? 80, opts.windowMs ?? 10_000)],
    tooManyBody: { raw: 'Too many requests. Please try later again... ' },
    route,
  });
  host = new URL(server.url).host;
  return { ...server, withoutClientKey: () => withoutKey };
}

type HashSet = { mD5?: string; md5?: string; shA1?: string; sha1?: string; crc?: string };

function byHash(cat: Catalogue, body: string): FakeAnswer {
  let sets: HashSet[];
  try {
    const parsed = JSON.parse(body) as HashSet | HashSet[];
    sets = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return { status: 400, json: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: 'One or more validation errors occurred.', status: 400 } };
  }
  for (const s of sets) {
    for (const h of [s.mD5 ?? s.md5, s.shA1 ?? s.sha1, s.crc]) {
      const rom = h ? cat.byHash.get(String(h).toLowerCase()) : undefined;
      if (rom) return { json: lookupAnswer(cat, rom) };
    }
  }
  return NOT_FOUND;
}

function lookupAnswer(cat: Catalogue, rom: CatalogueRom): Record<string, unknown> {
  const source = DISC_PLATFORMS.has(rom.slug) ? 'Redump' : 'NoIntros';
  const game = rom.igdbId !== null ? cat.games.get(rom.igdbId) : undefined;
  const signature = (src: string) => ({
    game: {
      countries: {}, languages: {}, systemId: 500 + (mix(rom.index, 20) % 100), publisherId: 0, metadataSource: 4, score: 22,
      id: String(400_000 + rom.index), category: 'Games', name: rom.title, description: rom.fileName.replace(/\.[^.]+$/, ''),
      year: '', publisher: '', demo: 'NotDemo', system: rom.slug, systemVariant: '', video: '', country: {}, language: {},
      copyright: '', roms: [], flags: {}, romCount: 0,
    },
    rom: {
      score: 24, id: String(1_500_000 + rom.index), name: rom.fileName, size: 0, crc: rom.hashes.crc, md5: rom.hashes.md5,
      sha1: rom.hashes.sha1, sha256: '', status: 'verified', country: {}, language: {}, developmentStatus: '', attributes: {},
      romType: 'Unknown', romTypeMedia: '', mediaDetail: {}, mediaLabel: '', signatureSource: src,
    },
  });
  const signatures: Record<string, unknown[]> = { [source]: [signature(source)] };
  if (rom.raId) signatures.RetroAchievements = [signature('RetroAchievements')];
  const meta = (src: string, slug: string, immutable: string | null, link: string) => ({
    id: immutable ? slug : '', immutableId: immutable ?? '', status: immutable ? 'Mapped' : 'NotMapped',
    matchMethod: immutable ? 'Automatic' : 'NoMatch', source: src, link: immutable ? link : '',
    lastSearch: '2025-03-21T15:18:26', nextSearch: '2025-05-21T15:18:26', winningVoteCount: 0, totalVoteCount: 0, winningVotePercent: 0,
  });
  const logo = createHash('sha1').update(`logo:${rom.index}`).digest('hex').toUpperCase();
  return {
    id: rom.hasheousId,
    name: game?.name ?? rom.title,
    signatures,
    metadata: [
      meta('IGDB', game?.slug ?? '', rom.hasheousIgdb && game ? String(game.id) : null, `https://www.igdb.com/games/${game?.slug ?? ''}`),
      meta('TheGamesDb', '', null, ''),
      meta('RetroAchievements', '', rom.raId ? String(rom.raId) : null, `https://retroachievements.org/game/${rom.raId ?? ''}`),
    ],
    attributes: mix(rom.index, 21) % 100 < 70
      ? [
        { attributeType: 'ImageAttribution', attributeName: 'LogoAttribution', attributeRelationType: 'None', value: 'IGDB' },
        { link: `/api/v1/images/${logo}`, id: 10_000 + rom.index, attributeType: 'ImageId', attributeName: 'Logo', attributeRelationType: 'None', value: logo },
      ]
      : [],
  };
}

/** RetroAchievements' game record as the proxy relays it (GetGameExtended's leading fields). */
function raGame(rom: CatalogueRom): Record<string, unknown> {
  return {
    ID: rom.raId, Title: rom.title, ConsoleID: 1 + (mix(rom.index, 22) % 80), ConsoleName: rom.slug, ForumTopicID: 0, Flags: 0,
    ImageIcon: `/Images/${String(rom.raId).padStart(6, '0')}.png`, ImageTitle: '', ImageIngame: '', ImageBoxArt: '',
    Publisher: '', Developer: '', Genre: '', Released: '', IsFinal: false, RichPresencePatch: '', NumAchievements: 10 + (mix(rom.index, 23) % 50),
    NumDistinctPlayers: 100 + (mix(rom.index, 24) % 5000), Achievements: {},
  };
}
