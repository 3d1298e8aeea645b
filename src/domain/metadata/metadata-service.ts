/**
 * What users see of the metadata subsystem outside a scan: which sources are configured (heartbeat, scan dialog)
 * and, per ROM, which source filled each field.
 */
import type { MetadataRepository } from '../../db/repositories/metadata-repository.ts';
import { notFound } from '../../common/errors.ts';
import { derivedSources, type MetadataBlobs } from '../../metadata/derivation.ts';
import { parseFieldSources, visibleFieldSources } from '../../metadata/field-sources.ts';
import type { MetadataProvider, SourceId } from '../../metadata/types.ts';

export interface SourceInfo {
  id: SourceId;
  name: string;
  available: boolean;
  local: boolean;
}

const NAMES: Partial<Record<SourceId, string>> = {
  gamelist: 'gamelist.xml / ES-DE media', launchbox: 'LaunchBox', libretro: 'libretro thumbnails',
};

const BLOB_KEYS = [
  ['igdb_metadata', 'igdb'], ['moby_metadata', 'moby'], ['ss_metadata', 'ss'], ['ra_metadata', 'ra'],
  ['launchbox_metadata', 'launchbox'], ['hasheous_metadata', 'hasheous'], ['flashpoint_metadata', 'flashpoint'],
  ['hltb_metadata', 'hltb'], ['gamelist_metadata', 'gamelist'], ['manual_metadata', 'manual'],
] as const;

/** How long a provider's availability is remembered: the heartbeat is polled often, and a check may list folders. */
const AVAILABILITY_TTL_MS = 5_000;

export class MetadataService {
  private availabilityMemo: { at: number; value: Promise<Map<MetadataProvider, boolean>> } | null = null;

  constructor(
    private readonly repo: MetadataRepository,
    private readonly providers: readonly MetadataProvider[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Each provider's `available()`, checked at once and remembered for a few seconds. */
  private availability(): Promise<Map<MetadataProvider, boolean>> {
    const t = this.now();
    if (!this.availabilityMemo || t - this.availabilityMemo.at > AVAILABILITY_TTL_MS) {
      const value = Promise.all(this.providers.map(async (p) => [p, await p.available().catch(() => false)] as const))
        .then((pairs) => new Map(pairs));
      this.availabilityMemo = { at: t, value };
    }
    return this.availabilityMemo.value;
  }

  /** One entry per source id: providers sharing an id (a local copy and an online service) count as one, available when any is. */
  async sources(): Promise<SourceInfo[]> {
    const available = await this.availability();
    const byId = new Map<SourceId, SourceInfo>();
    for (const p of this.providers) {
      const seen = byId.get(p.id);
      const up = available.get(p) ?? false;
      if (!seen) byId.set(p.id, { id: p.id, name: NAMES[p.id] ?? p.id, available: up, local: !p.online });
      else byId.set(p.id, { ...seen, available: seen.available || up, local: seen.local || !p.online });
    }
    return [...byId.values()];
  }

  /** Sources whose provider is configured now (a re-fetch after an edit runs only these). */
  async availableSources(): Promise<SourceId[]> {
    const available = await this.availability();
    return [...new Set(this.providers.filter((p) => available.get(p)).map((p) => p.id))];
  }

  /**
   * RomM's heartbeat METADATA_SOURCES flags: each provider's flag is true when it is available (several providers
   * may share a flag: libretro's local clone and its HTTP server); ANY_SOURCE_ENABLED when any flag is.
   */
  async heartbeatFlags(): Promise<Record<string, boolean>> {
    const available = await this.availability();
    const flags: Record<string, boolean> = {};
    for (const p of this.providers) {
      if (p.heartbeatFlag) flags[p.heartbeatFlag] = (flags[p.heartbeatFlag] ?? false) || (available.get(p) ?? false);
    }
    return { ...flags, ANY_SOURCE_ENABLED: Object.values(flags).some(Boolean) };
  }

  /** `GET /api/heartbeat/metadata/{source}`: false for an unknown or unconfigured source. */
  async health(source: string): Promise<boolean> {
    const available = await this.availability();
    for (const p of this.providers.filter((x) => x.id === source && available.get(x))) {
      if (await (p.health ? p.health() : Promise.resolve(true)).catch(() => false)) return true;
    }
    return false;
  }

  /** `{ field: source }` for one ROM: recorded sources of text and media, derived ones of the facets. */
  async romSources(romId: number): Promise<{ fields: Record<string, string> }> {
    const row = await this.repo.sourcesOf(romId);
    if (!row) throw notFound(`Rom with id '${romId}' not found`);
    const blobs: MetadataBlobs = {};
    for (const [col, provider] of BLOB_KEYS) blobs[provider] = parseJson(row[col]);
    return { fields: { ...derivedSources(blobs), ...visibleFieldSources(parseFieldSources(row.field_sources)) } };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
