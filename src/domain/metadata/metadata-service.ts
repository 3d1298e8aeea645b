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

export class MetadataService {
  constructor(
    private readonly repo: MetadataRepository,
    private readonly providers: readonly MetadataProvider[],
  ) {}

  async sources(): Promise<SourceInfo[]> {
    return Promise.all(this.providers.map(async (p) => ({
      id: p.id, name: NAMES[p.id] ?? p.id, available: await p.available().catch(() => false), local: !p.online,
    })));
  }

  /** Sources whose provider is configured now (a re-fetch after an edit runs only these). */
  async availableSources(): Promise<SourceId[]> {
    const out = await Promise.all(this.providers.map(async (p) => ((await p.available().catch(() => false)) ? p.id : null)));
    return [...new Set(out.filter((s): s is SourceId => s !== null))];
  }

  /**
   * RomM's heartbeat METADATA_SOURCES flags: each provider's flag is true when it is available (several providers
   * may share a flag: libretro's local clone and its HTTP server); ANY_SOURCE_ENABLED when any flag is.
   */
  async heartbeatFlags(): Promise<Record<string, boolean>> {
    const flags: Record<string, boolean> = {};
    for (const p of this.providers) {
      if (!p.heartbeatFlag) continue;
      const on = await p.available().catch(() => false);
      flags[p.heartbeatFlag] = (flags[p.heartbeatFlag] ?? false) || on;
    }
    return { ...flags, ANY_SOURCE_ENABLED: Object.values(flags).some(Boolean) };
  }

  /** `GET /api/heartbeat/metadata/{source}`: false for an unknown or unconfigured source. */
  async health(source: string): Promise<boolean> {
    const matching = this.providers.filter((p) => p.id === source);
    for (const p of matching) {
      if (!(await p.available().catch(() => false))) continue;
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
