/**
 * The multipart form of PUT /api/roms/{id} (spec §6.4), parsed into plain values. Presence matters: a field
 * sent empty means "clear", an absent field means "keep".
 */
import { badRequest } from '../../common/errors.ts';
import { refusePathAsName } from './edit-paths.ts';
import type { Provider } from '../../metadata/derivation.ts';

export const INT_ID_FIELDS = ['igdb_id', 'sgdb_id', 'moby_id', 'ss_id', 'ra_id', 'launchbox_id', 'hasheous_id', 'tgdb_id', 'hltb_id'] as const;
export const STRING_ID_FIELDS = { flashpoint_id: 100, libretro_id: 64 } as const;

export type IntIdField = (typeof INT_ID_FIELDS)[number];
export type StringIdField = keyof typeof STRING_ID_FIELDS;
export type IdField = IntIdField | StringIdField;

/** `raw_<provider>_metadata` → the provider id that must be set for it to apply, and the blob column. */
export const RAW_METADATA_FIELDS = {
  raw_igdb_metadata: { provider: 'igdb', id: 'igdb_id', column: 'igdb_metadata' },
  raw_moby_metadata: { provider: 'moby', id: 'moby_id', column: 'moby_metadata' },
  raw_ss_metadata: { provider: 'ss', id: 'ss_id', column: 'ss_metadata' },
  raw_launchbox_metadata: { provider: 'launchbox', id: 'launchbox_id', column: 'launchbox_metadata' },
  raw_hasheous_metadata: { provider: 'hasheous', id: 'hasheous_id', column: 'hasheous_metadata' },
  raw_flashpoint_metadata: { provider: 'flashpoint', id: 'flashpoint_id', column: 'flashpoint_metadata' },
  raw_hltb_metadata: { provider: 'hltb', id: 'hltb_id', column: 'hltb_metadata' },
} as const satisfies Record<string, { provider: Provider; id: IdField; column: string }>;

export type RawMetadataField = keyof typeof RAW_METADATA_FIELDS | 'raw_manual_metadata';

export const TEXT_FIELDS = ['name', 'name_sort_key', 'summary', 'fs_name', 'url_cover', 'url_manual'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** Column limits (spec §8.1): a longer value would fail on PostgreSQL and MariaDB, so it is refused up front. */
const TEXT_LIMITS: Record<TextField, number> = {
  name: 350, name_sort_key: 500, summary: 65_000, fs_name: 450, url_cover: 4000, url_manual: 4000,
};
const RAW_METADATA_LIMIT = 4 * 1024 * 1024;

export interface RomEditForm {
  ids: Partial<Record<IdField, number | string | null>>;
  /** Parsed JSON objects; invalid or non-object JSON is ignored (RomM logs and skips it). */
  raw: Partial<Record<RawMetadataField, Record<string, unknown>>>;
  text: Partial<Record<TextField, string>>;
}

const INT32_MAX = 2_147_483_647;

/** Python's `safe_int_or_none`: empty or not an integer → null; out of the column's range → null as well. */
export function safeIntOrNull(value: string): number | null {
  const t = value.trim();
  if (!/^[+-]?\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= -INT32_MAX && n <= INT32_MAX ? n : null;
}

export function parseRomEditForm(fields: ReadonlyMap<string, string>): RomEditForm {
  const form: RomEditForm = { ids: {}, raw: {}, text: {} };
  for (const f of INT_ID_FIELDS) {
    const v = fields.get(f);
    if (v !== undefined) form.ids[f] = safeIntOrNull(v);
  }
  for (const [f, max] of Object.entries(STRING_ID_FIELDS) as [StringIdField, number][]) {
    const v = fields.get(f);
    if (v === undefined) continue;
    if (v.length > max) throw badRequest(`${f} is too long (max ${max} characters)`);
    form.ids[f] = v === '' ? null : v;
  }
  for (const f of [...Object.keys(RAW_METADATA_FIELDS), 'raw_manual_metadata'] as RawMetadataField[]) {
    const v = fields.get(f);
    if (v === undefined || v.trim() === '') continue;
    if (v.length > RAW_METADATA_LIMIT) throw badRequest(`${f} is too large`);
    const parsed = parseJsonObject(v);
    if (parsed) form.raw[f] = parsed;
  }
  for (const f of TEXT_FIELDS) {
    const v = fields.get(f);
    if (v === undefined) continue;
    if (f === 'fs_name') refusePathAsName(f, v);
    else if (v.includes('\0')) throw badRequest(`${f} must not contain NUL characters`);
    if (v.length > TEXT_LIMITS[f]) throw badRequest(`${f} is too long (max ${TEXT_LIMITS[f]} characters)`);
    form.text[f] = v;
  }
  return form;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
