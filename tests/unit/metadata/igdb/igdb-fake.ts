import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IgdbProvider, type IgdbProviderOptions } from '../../../../src/metadata/igdb/provider.ts';
import type { MetadataPlatform, MetadataRom } from '../../../../src/metadata/types.ts';
import { parseTags } from '../../../../src/library/tags.ts';
import { fsNameNoExt, fsNameNoTags } from '../../../../src/library/fs-names.ts';
import type { FakeHandler, FakeRequest } from '../../../helpers/fake-provider-server.ts';
import { MemoryCache } from '../../../helpers/memory-cache.ts';
export { MemoryCache };

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures/metadata/igdb');
export const fixture = (name: string): Record<string, unknown>[] => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>[];

export const GAMES = [...fixture('games-zelda-alttp.json'), ...fixture('games-ff7.json'), ...fixture('games-gran-turismo.json')];

/** Answers `/games` as IGDB would for the fixture games: `search "…"` by normalized words, `where id=…` by id. */
export function igdbAnswer(req: FakeRequest): ReturnType<FakeHandler> {
  if (req.url === '/oauth2/token') return { body: { access_token: 'tok-1', expires_in: 5_000_000, token_type: 'bearer' } };
  if (req.url === '/v4/search') return { body: [] };
  if (req.url !== '/v4/games') return null;
  const ids = [...req.body.matchAll(/id=(\d+)/g)].map((m) => Number(m[1]));
  if (ids.length) return { body: GAMES.filter((g) => ids.includes(g.id as number)) };
  const term = /search "([^"]*)"/.exec(req.body)?.[1];
  if (term === undefined) return { body: GAMES.slice(0, 1) };
  const words = term.split(' ').filter(Boolean);
  const hits = GAMES.filter((g) => words.length > 0 && words.every((w) => String(g.name).toLowerCase().includes(w)));
  return { body: hits };
}

export function provider(url: string, extra: Partial<IgdbProviderOptions> = {}): IgdbProvider {
  return new IgdbProvider({
    clientId: 'client-abc', clientSecret: 'secret-xyz', url: `${url}/v4`, tokenUrl: `${url}/oauth2/token`,
    timeoutMs: 500, sleep: () => Promise.resolve(), ...extra,
  });
}

export const platform = (slug: string, id = 1): MetadataPlatform => ({ id, slug, fsSlug: slug, name: slug, romsDir: `/lib/roms/${slug}` });

export function rom(fsName: string, ids: MetadataRom['ids'] = {}): MetadataRom {
  return {
    id: 1, platformId: 1, fsName, fsNameNoTags: fsNameNoTags(fsName), fsNameNoExt: fsNameNoExt(fsName),
    regions: parseTags(fsName).regions, crc: null, md5: null, sha1: null, ids,
  };
}

export const issues = { add: () => undefined };
