import { idColumnOf } from '../../src/metadata/merge.ts';
import type {
  MetadataProvider, MetadataRom, MetadataSearch, PlatformSession, ProviderMatch, SourceId,
} from '../../src/metadata/types.ts';

export interface FakeGame {
  id: number | string;
  name: string;
  summary?: string;
  /** A cover URL as the provider would record it (`urls.cover`); never downloaded by these fakes. */
  cover?: string;
  genres?: string[];
}

export interface FakeProviderOptions {
  available?: boolean;
  /** Delay of every search and lookup. */
  delayMs?: number;
  /** Searches throw (a provider that is down). */
  failSearch?: boolean;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An online provider answering from a fixed list, for manual-match tests: `search` by name (every word of the term)
 * or by id, and `lookup` that prefers the id already stored on the ROM, as real providers must.
 */
export class FakeSearchProvider implements MetadataProvider {
  readonly online = true;
  readonly searches: MetadataSearch[] = [];
  readonly lookups: MetadataRom[] = [];

  constructor(readonly id: SourceId, private readonly games: FakeGame[], private readonly options: FakeProviderOptions = {}) {}

  available(): Promise<boolean> {
    return Promise.resolve(this.options.available ?? true);
  }

  fingerprint(): Promise<string | null> {
    return Promise.resolve(`fake-${this.id}:v1`);
  }

  async search(query: MetadataSearch): Promise<ProviderMatch[]> {
    this.searches.push(query);
    if (this.options.delayMs) await wait(this.options.delayMs);
    if (this.options.failSearch) throw Object.assign(new Error(`${this.id} is unreachable`), { kind: 'unavailable' });
    if (query.by === 'id') return this.games.filter((g) => String(g.id) === query.term.trim()).map((g) => this.match(g));
    const words = query.term.toLowerCase().split(/\s+/).filter(Boolean);
    return this.games.filter((g) => words.every((w) => g.name.toLowerCase().includes(w))).map((g) => this.match(g));
  }

  open(): Promise<PlatformSession> {
    return Promise.resolve({
      lookup: async (rom: MetadataRom) => {
        this.lookups.push(rom);
        if (this.options.delayMs) await wait(this.options.delayMs);
        const col = idColumnOf(this.id);
        const stored = col ? rom.ids[col] : null;
        const game = stored != null
          ? this.games.find((g) => String(g.id) === String(stored))
          : this.games.find((g) => g.name.toLowerCase() === rom.fsNameNoTags.toLowerCase());
        return game ? this.match(game) : null;
      },
    });
  }

  private match(g: FakeGame): ProviderMatch {
    return {
      source: this.id, id: g.id, name: g.name, ...(g.summary ? { summary: g.summary } : {}),
      metadata: { genres: g.genres ?? [] }, urls: g.cover ? { cover: g.cover } : {}, media: {},
    };
  }
}
