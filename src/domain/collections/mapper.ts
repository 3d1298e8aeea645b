import type { CollectionRow } from '../../db/repositories/collections-repository.ts';
import type { PickedCovers } from './cover-pick.ts';
import type { SmartCollectionRow } from '../../db/repositories/collections-smart-repository.ts';
import { pyJsonDumps } from './py-json.ts';
import { RESOURCES_PREFIX } from '../roms/mapper-parts.ts';
import { isoFromMs, pyStrFromMs } from '../../common/time.ts';
import type { CollectionSchema, SmartCollectionSchema } from '../../contract/collections.ts';

/** RomM's collection shapes (spec §7), built in one place. Field order follows RomM's pydantic models. */

export const resourceUrl = (path: string, ts: number): string => `${RESOURCES_PREFIX}/${path}?ts=${pyStrFromMs(ts)}`;

export function toCollectionSchema(c: CollectionRow, romIds: number[], covers: PickedCovers): CollectionSchema {
  const updatedAt = Number(c.updated_at);
  return {
    name: c.name,
    description: c.description ?? '',
    rom_ids: romIds,
    rom_count: romIds.length,
    path_cover_small: c.path_cover_s ? resourceUrl(c.path_cover_s, updatedAt) : null,
    path_cover_large: c.path_cover_l ? resourceUrl(c.path_cover_l, updatedAt) : null,
    path_covers_small: covers.small.map((p) => resourceUrl(p, updatedAt)),
    path_covers_large: covers.large.map((p) => resourceUrl(p, updatedAt)),
    is_public: Boolean(c.is_public),
    is_favorite: Boolean(c.is_favorite),
    is_virtual: false,
    is_smart: false,
    created_at: isoFromMs(Number(c.created_at)),
    updated_at: isoFromMs(updatedAt),
    id: Number(c.id),
    url_cover: c.url_cover,
    user_id: Number(c.user_id),
    owner_username: c.owner_username,
  };
}

export function parseJsonValue(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function criteriaObject(text: string): Record<string, unknown> {
  const v = parseJsonValue(text);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function toSmartCollectionSchema(s: SmartCollectionRow): SmartCollectionSchema {
  const criteria = criteriaObject(s.filter_criteria);
  const romIds = numbers(parseJsonValue(s.rom_ids));
  return {
    name: s.name,
    description: s.description ?? '',
    rom_ids: romIds,
    rom_count: Number(s.rom_count),
    path_cover_small: null,
    path_cover_large: null,
    path_covers_small: strings(parseJsonValue(s.path_covers_small)),
    path_covers_large: strings(parseJsonValue(s.path_covers_large)),
    is_public: Boolean(s.is_public),
    is_favorite: false,
    is_virtual: false,
    is_smart: true,
    created_at: isoFromMs(Number(s.created_at)),
    updated_at: isoFromMs(Number(s.updated_at)),
    id: Number(s.id),
    filter_criteria: criteria,
    filter_summary: pyJsonDumps(criteria),
    user_id: Number(s.user_id),
    owner_username: s.owner_username,
  };
}
