/**
 * Manual match (GET /api/search/roms), as RomM's `search_rom`: the providers that can search are asked at once, by
 * name or by their own id; their candidates are grouped by normalized name, walking sources in `scan.priority.metadata`
 * order so the first source to name a game keeps its fields and later ones only add their id and cover
 * (`<source>_url_cover`). SteamGridDB and libretro never start a group: like RomM, they are asked for each grouped
 * name and add their id and cover to it.
 */
import { AppError } from '../../common/errors.ts';
import type { RomVisibility } from '../roms/visibility.ts';
import type { SearchRomSchema } from '../../contract/search.ts';
import type { MetadataRepository } from '../../db/repositories/metadata-repository.ts';
import { idColumnOf } from '../../metadata/merge.ts';
import { orderByPriority } from '../../metadata/settings.ts';
import { isMediaUrl, type MetadataPlatform, type MetadataProvider, type ProviderMatch, type SourceId } from '../../metadata/types.ts';

export interface RomSearchDeps {
  repo: Pick<MetadataRepository, 'searchTarget'>;
  providers: readonly MetadataProvider[];
  /** `scan.priority.metadata`: whose fields a group keeps. */
  priority: readonly SourceId[];
  /** Absolute folder of a platform's ROMs (null when the library has none). */
  platformDir(fsSlug: string): Promise<string | null>;
  /** Upper bound on one provider's search; a slower provider's candidates are left out. */
  timeoutMs?: number;
  /** Concurrent enrichment searches (SteamGridDB, libretro) per request. */
  concurrency?: number;
  onProviderError?: (source: SourceId, err: unknown) => void;
  /** Whether the caller may see the ROM (RomM 5 hide lists). */
  visibility: Pick<RomVisibility, 'canSeeRom'>;
}

export interface RomSearchQuery {
  /** The caller: a ROM hidden from them is treated as missing (no candidates), as in RomM 5. */
  userId: number | null;
  romId: number;
  term?: string | undefined;
  by?: string | undefined;
}

/** Sources that only add covers to groups others started (RomM asks them per grouped name). */
const ENRICHING: ReadonlySet<SourceId> = new Set(['sgdb', 'libretro']);
/** Sources whose id column holds text; the others are integers. */
const TEXT_IDS: ReadonlySet<SourceId> = new Set(['flashpoint', 'libretro']);
/** Sources with a place in the response (RomM's keys, plus the romshelf additions of contract/search.ts). */
const IN_RESPONSE: ReadonlySet<SourceId> = new Set(['igdb', 'moby', 'ss', 'sgdb', 'flashpoint', 'launchbox', 'libretro', 'ra', 'hasheous', 'tgdb', 'hltb']);
const MAX_CANDIDATES = 20;

type Entry = Record<string, unknown> & { name: string };

export class RomSearchService {
  constructor(private readonly deps: RomSearchDeps) {}

  /** The configured providers that can search (RomM's "enabled" check), in priority order. */
  async searchable(): Promise<MetadataProvider[]> {
    const out: MetadataProvider[] = [];
    for (const p of this.deps.providers) {
      if (!p.search || !IN_RESPONSE.has(p.id)) continue;
      if (await p.available().catch(() => false)) out.push(p);
    }
    const order = orderByPriority(out.map((p) => p.id), this.deps.priority);
    return [...out].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  }

  async search(query: RomSearchQuery): Promise<SearchRomSchema[]> {
    const providers = await this.searchable();
    const primary = providers.filter((p) => !ENRICHING.has(p.id));
    // RomM checks this before looking the ROM up, with this status and message.
    if (primary.length === 0) throw new AppError(500, 'No metadata providers enabled');

    const rom = await this.deps.repo.searchTarget(query.romId);
    if (!rom || !(await this.deps.visibility.canSeeRom(rom.id, query.userId))) return [];
    const term = (query.term?.trim() || rom.fs_name_no_tags).replace(/\0/g, '');
    if (!term) return [];
    const by = (query.by ?? 'name').toLowerCase();
    if (by !== 'name' && by !== 'id') return [];
    if (by === 'id' && !/^[+-]?\d+$/.test(term)) {
      throw new AppError(500, `Tried searching by ID, but '${term}' is not a valid ID`);
    }
    const platform: MetadataPlatform = {
      id: rom.platform_id, slug: rom.platform_slug, fsSlug: rom.platform_fs_slug,
      name: rom.platform_custom_name || rom.platform_name, romsDir: (await this.deps.platformDir(rom.platform_fs_slug)) ?? '',
    };

    const answers = await Promise.all(primary.map((p) => this.ask(p, { platform, term, by })));
    const groups = new Map<string, Entry>();
    primary.forEach((p, i) => {
      for (const m of answers[i] ?? []) {
        const fields = entryFields(p.id, m, rom.platform_id);
        if (!fields) continue;
        const key = groupKey(m.name ?? '');
        groups.set(key, { ...fields, ...groups.get(key) });
      }
    });
    await this.enrich(providers.filter((p) => ENRICHING.has(p.id)), groups, platform);
    return [...groups.values()] as SearchRomSchema[];
  }

  /** One provider's candidates; a failure or a timeout leaves that provider out instead of failing the search. */
  private async ask(p: MetadataProvider, q: { platform: MetadataPlatform; term: string; by: 'name' | 'id' }): Promise<ProviderMatch[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${p.id}: search timed out`)), this.deps.timeoutMs ?? 20_000);
    });
    try {
      const found = await Promise.race([p.search?.(q) ?? Promise.resolve([]), timeout]);
      return Array.isArray(found) ? found.slice(0, MAX_CANDIDATES) : [];
    } catch (err) {
      this.deps.onProviderError?.(p.id, err);
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  /** SteamGridDB and libretro: their best candidate for each grouped name adds its id and cover to the group. */
  private async enrich(providers: MetadataProvider[], groups: Map<string, Entry>, platform: MetadataPlatform): Promise<void> {
    const jobs = providers.flatMap((p) => [...groups.values()].map((entry) => ({ p, entry })));
    let next = 0;
    const worker = async () => {
      for (let job = jobs[next++]; job; job = jobs[next++]) {
        const [best] = await this.ask(job.p, { platform, term: job.entry.name, by: 'name' });
        const fields = best ? entryFields(job.p.id, best, platform.id) : null;
        if (!fields) continue;
        const idKey = `${job.p.id}_id`;
        const coverKey = `${job.p.id}_url_cover`;
        Object.assign(job.entry, { [idKey]: fields[idKey], [coverKey]: fields[coverKey] });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency ?? 4, jobs.length) }, worker));
  }
}

/** RomM's `normalize_search_term(name, remove_articles=False)`: lower case, punctuation out, accents stripped. */
export function groupKey(name: string): string {
  let s = name.toLowerCase().replace(/_/g, ' ').replace(/[^\p{L}\p{N}_\s]/gu, ' ').replace(/\s+/g, ' ');
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFD').replace(/\p{M}/gu, '');
  return s.trim();
}

/** A candidate as RomM's search entry, or null when it has no usable id. */
function entryFields(source: SourceId, m: ProviderMatch, platformId: number): Entry | null {
  const idCol = idColumnOf(source);
  if (!idCol || !IN_RESPONSE.has(source)) return null;
  let id: string | number | null = null;
  if (TEXT_IDS.has(source)) {
    id = String(m.id).trim() || null;
  } else {
    const n = typeof m.id === 'number' ? m.id : Number(String(m.id).trim());
    id = Number.isSafeInteger(n) && n !== 0 ? n : null;
  }
  if (id === null) return null;
  const cover = m.urls?.cover ?? (m.media.cover && isMediaUrl(m.media.cover) ? m.media.cover.url : '');
  return {
    [idCol]: id, name: m.name ?? '', summary: m.summary ?? '', slug: typeof m.metadata?.slug === 'string' ? m.metadata.slug : '',
    platform_id: platformId, is_identified: true, is_unidentified: false, [`${source}_url_cover`]: cover,
  };
}
