import { randomBytes } from 'node:crypto';
import { parseApicalypse, type ApicalypseQuery } from './apicalypse.ts';
import { searchTokens, type Catalogue, type IgdbGame } from './catalogue.ts';
import { fieldTree, fullGame, project } from './igdb-games.ts';
import { IGDB_PLATFORMS } from './igdb-platforms.ts';
import { pngFor } from './png.ts';
import { maxOpen, startFakeServer, tokenBucket, type FakeAnswer, type FakeRequest, type FakeServer } from './server.ts';

/**
 * Fake IGDB with its Twitch token endpoint on the same server: `POST /oauth2/token?client_id&client_secret&
 * grant_type=client_credentials` (IGDB_TOKEN_URL=<url>/oauth2/token), `POST /v4/games`, `/v4/search`,
 * `/v4/platforms` with Apicalypse bodies (IGDB_API_URL=<url>/v4), and the image CDN path
 * `/igdb/image/upload/<size>/<id>.jpg`. IGDB's published limits are enforced on `/v4`: 4 requests per second and 8
 * open requests; over either, 429. Every `/v4` call needs `Client-ID` and `Authorization: Bearer <issued token>`,
 * else IGDB's 401 body. The token endpoint (Twitch) and images (a CDN) are outside IGDB's limit.
 */

const UNAUTHORIZED = {
  message: 'Authorization Failure. Have you tried:',
  'Tip 1': 'Ensure you are sending Authorization and Client-ID as headers.',
  'Tip 2': "Ensure Authorization value starts with 'Bearer ', including the space",
  'Tip 3': 'Ensure Authorization value ends with the App Access Token you generated, NOT your Client Secret.',
  Docs: 'https://api-docs.igdb.com/#authentication',
  Discord: 'https://discord.gg/igdb',
};

export interface FakeIgdbOptions {
  catalogue: Catalogue;
  seed: number;
  perSecond?: number;
  openRequests?: number;
  latencyMs?: [number, number];
}

export async function startFakeIgdb(opts: FakeIgdbOptions): Promise<FakeServer & { tokensIssued: () => number }> {
  const tokens = new Set<string>();
  const clientIds = new Set<string>();
  let imageHost = '';
  const route = (req: FakeRequest): { endpoint: string; answer: FakeAnswer } => {
    if (req.path === '/oauth2/token') return { endpoint: 'POST /oauth2/token', answer: token(req) };
    const image = /^\/igdb\/image\/upload\/[^/]+\/([\w-]+)\.(?:jpg|png|webp)$/.exec(req.path);
    if (image) return { endpoint: 'GET /igdb/image/upload (image)', answer: { raw: pngFor(`igdb:${image[1]}`), headers: { 'content-type': 'image/png' } } };
    const api = /^\/v4\/(games|search|platforms)\/?$/.exec(req.path);
    if (!api) return { endpoint: `${req.method} (unknown path)`, answer: { status: 404, json: { message: 'not found' } } };
    const endpoint = `POST /v4/${api[1]}`;
    if (req.method !== 'POST') return { endpoint, answer: { status: 404, json: { message: 'Use POST' } } };
    const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    const clientId = String(req.headers['client-id'] ?? '');
    if (!auth || !tokens.has(auth[1] as string) || !clientIds.has(clientId)) return { endpoint, answer: { status: 401, json: UNAUTHORIZED } };
    const q = parseApicalypse(req.body);
    const tree = fieldTree(q.fields.length ? q.fields : ['id']);
    if (api[1] === 'platforms') return { endpoint, answer: { json: platforms(q).map((p) => project(p, tree)) } };
    const games = findGames(opts.catalogue, q).slice(q.offset, q.offset + q.limit);
    if (api[1] === 'games') return { endpoint, answer: { json: games.map((g) => project(fullGame(g, imageHost), tree)) } };
    // /search: one result per matching game, its `game` trimmed by the `game.*` fields like any reference.
    return { endpoint, answer: { json: games.map((g) => project({ id: g.id * 7, name: g.name, published_at: 946684800, game: fullGame(g, imageHost) }, tree)) } };
  };

  const token = (req: FakeRequest): FakeAnswer => {
    if (req.method !== 'POST') return { status: 404, json: { status: 404, message: 'page not found' } };
    // Twitch takes the parameters as a form body (its documented way) or in the query string (RomM's way).
    const form = new URLSearchParams(req.body);
    const param = (k: string) => req.query.get(k) ?? form.get(k);
    const id = param('client_id');
    const secret = param('client_secret');
    if (!id) return { status: 400, json: { status: 400, message: 'missing client id' } };
    if (!secret) return { status: 400, json: { status: 400, message: 'missing client secret' } };
    if (param('grant_type') !== 'client_credentials') return { status: 400, json: { status: 400, message: 'unsupported grant type' } };
    const t = randomBytes(15).toString('hex');
    tokens.add(t);
    clientIds.add(id);
    return { json: { access_token: t, expires_in: 5394139, token_type: 'bearer' } };
  };

  const server = await startFakeServer({
    name: 'igdb', seed: opts.seed, latencyMs: opts.latencyMs,
    limits: [tokenBucket(opts.perSecond ?? 4), maxOpen(opts.openRequests ?? 8)],
    unlimited: (req) => !req.path.startsWith('/v4/'),
    tooManyBody: { json: { message: 'Too Many Requests' } },
    route,
  });
  imageHost = new URL(server.url).host;
  return { ...server, tokensIssued: () => tokens.size };
}

function platforms(q: ApicalypseQuery): Record<string, unknown>[] {
  return Object.entries(IGDB_PLATFORMS)
    .filter(([slug, p]) => (q.slugs.length === 0 || q.slugs.includes(slug)) && (q.ids.length === 0 || q.ids.includes(p.id)))
    .map(([slug, p]) => ({ id: p.id, name: p.name, slug }));
}

/** Games by id, or on the platforms asked for whose names hold every search token, exact names first. */
export function findGames(cat: Catalogue, q: ApicalypseQuery): IgdbGame[] {
  if (q.ids.length) return q.ids.map((id) => cat.games.get(id)).filter((g): g is IgdbGame => !!g && (q.platformIds.length === 0 || q.platformIds.includes(g.platform.id)));
  const terms = [q.search, ...q.nameContains].filter((t): t is string => !!t);
  if (terms.length === 0) return q.platformIds.length || q.slugs.length ? [] : [...cat.games.values()].slice(0, 500);
  const platformIds = q.platformIds.length ? q.platformIds : [...cat.tokens.keys()];
  const found = new Map<number, IgdbGame>();
  for (const term of terms) {
    const want = searchTokens(term);
    if (want.length === 0) continue;
    for (const pid of platformIds) {
      const index = cat.tokens.get(pid);
      if (!index) continue;
      const sets = want.map((t) => index.get(t) ?? new Set<number>()).sort((a, b) => a.size - b.size);
      for (const id of sets[0] ?? []) {
        if (sets.every((set) => set.has(id))) found.set(id, cat.games.get(id) as IgdbGame);
      }
    }
  }
  const norm = (s: string) => searchTokens(s).join(' ');
  const exact = new Set(terms.map(norm));
  return [...found.values()].sort((a, b) => Number(exact.has(norm(b.name))) - Number(exact.has(norm(a.name))) || a.name.length - b.name.length || a.id - b.id);
}
