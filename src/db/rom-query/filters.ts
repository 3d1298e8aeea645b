import { sql } from 'kysely';
import { FACET_FILTERS, type FacetFilterName, type MultiFilter, type RomFilter, type RomQueryContext } from '../../contract/rom-filter.ts';
import { and, FALSE, likeEscape, list, not, or, TRUE, type Cond } from './sql.ts';
import { parseSearchTerm, searchCondition } from './search.ts';
import { hidesNothing, romNotHidden } from '../repositories/hidden.ts';

/**
 * WHERE conditions of the ROM list over `roms r LEFT JOIN rom_user ru` (ru = the caller's row). Membership tests
 * are `r.id IN (indexed subquery)` so each filter is one index range, never per-row JSON.
 */

/** Platforms EmulatorJS can run, plus `browser` for Ruffle (spec §3.6). */
export const PLAYABLE_PLATFORM_SLUGS = [
  '3do', 'amiga', 'amiga-cd', 'amiga-cd32', 'arcade', 'neogeoaes', 'neogeomvs', 'atari2600', 'atari5200',
  'atari7800', 'c-plus-4', 'cpet', 'c64', 'c128', 'colecovision', 'jaguar', 'lynx', 'dos', 'neo-geo-pocket',
  'neo-geo-pocket-color', 'nes', 'famicom', 'fds', 'n64', '64dd', 'nds', 'nintendo-dsi', 'gb', 'gba', 'gbc',
  'pc-fx', 'philips-cd-i', 'psx', 'psp', 'segacd', 'sega32', 'genesis', 'sms', 'gamegear', 'saturn', 'snes',
  'sfam', 'tg16', 'vic-20', 'virtualboy', 'wonderswan', 'wonderswan-color', 'browser',
];

/** `matched` looks at these eight ids (it differs from `is_identified`, spec §12.3). */
const MATCHED_IDS = ['igdb_id', 'moby_id', 'ss_id', 'ra_id', 'launchbox_id', 'hasheous_id', 'tgdb_id', 'flashpoint_id'];

/** Ids two ROMs of one platform may share to be siblings (spec §3.8). */
export const SIBLING_IDS = ['igdb_id', 'moby_id', 'ss_id', 'launchbox_id', 'ra_id', 'hasheous_id', 'tgdb_id'];

export const PROVIDER_ID_COLUMNS: Record<string, string> = {
  igdb: 'igdb_id', ss: 'ss_id', moby: 'moby_id', launchbox: 'launchbox_id', ra: 'ra_id', hasheous: 'hasheous_id',
  tgdb: 'tgdb_id', flashpoint: 'flashpoint_id', hltb: 'hltb_id', gamelist: 'gamelist_id', libretro: 'libretro_id',
};

const USER_STATUSES = new Set(['incomplete', 'finished', 'completed_100', 'retired', 'never_playing']);

const col = (name: string) => sql.ref(`r.${name}`);
const uid = (ctx: RomQueryContext) => ctx.userId ?? -1;

function combine(conds: Cond[], logic: MultiFilter['logic']): Cond {
  if (logic === 'all') return and(conds);
  if (logic === 'none') return not(or(conds));
  return or(conds);
}

function facetCondition(name: FacetFilterName, f: MultiFilter): Cond | null {
  if (f.values.length === 0) return null;
  const kind = FACET_FILTERS[name];
  const member = (values: string[]) =>
    sql`r.id in (select ff.rom_id from rom_facets ff where ff.kind = ${kind} and ff.value in ${list(values)})`;
  if (f.logic === 'all') return and(f.values.map((v) => member([v])));
  // `none` keeps ROMs whose list is empty (RomM drops them through SQL NULL logic; docs/compatibility.md).
  if (f.logic === 'none') return sql`r.id not in (select ff.rom_id from rom_facets ff where ff.kind = ${kind} and ff.value in ${list(f.values)})`;
  return member(f.values);
}

function statusPredicate(value: string): Cond | null {
  if (value === 'now_playing' || value === 'backlogged' || value === 'hidden') {
    return sql`coalesce(${sql.ref(`ru.${value}`)}, 0) = 1`;
  }
  if (USER_STATUSES.has(value)) return sql`coalesce(ru.status, '') = ${value}`;
  return null;
}

const BOOL_CONDITIONS: Record<string, (ctx: RomQueryContext) => Cond> = {
  matched: () => or(MATCHED_IDS.map((c) => sql`${col(c)} is not null`)),
  favorite: (ctx) => sql`r.id in (select fcr.rom_id from collections_roms fcr join collections fc on fc.id = fcr.collection_id where fc.user_id = ${uid(ctx)} and fc.is_favorite = 1)`,
  duplicate: () => sql`exists (select 1 from roms s where s.platform_id = r.platform_id and s.id <> r.id and ${or(SIBLING_IDS.map((c) => sql`${sql.ref(`s.${c}`)} = ${col(c)}`))})`,
  last_played: () => sql`ru.last_played is not null`,
  playable: () => sql`r.platform_id in (select pp.id from platforms pp where pp.slug in ${list(PLAYABLE_PLATFORM_SLUGS)})`,
  missing: () => sql`r.missing_from_fs = 1`,
  has_ra: () => sql`r.ra_id is not null`,
  // RomM: the caller's own saves/states plus other users' public ones.
  has_saves: (ctx) => sql`r.id in (select sv.rom_id from saves sv where sv.user_id = ${uid(ctx)} or sv.is_public = 1)`,
  has_states: (ctx) => sql`r.id in (select st.rom_id from states st where st.user_id = ${uid(ctx)} or st.is_public = 1)`,
  // A dump the DATs know by its hashes, or any `*_match: true` key in the stored Hasheous JSON (written by
  // JSON.stringify or Python json.dumps).
  verified: () => or([
    sql`coalesce(r.dat_status, 'unknown') in ('verified', 'renamed')`,
    sql`r.hasheous_metadata like ${`%${likeEscape('_match":true')}%`} escape '!'`,
    sql`r.hasheous_metadata like ${`%${likeEscape('_match": true')}%`} escape '!'`,
  ]),
  has_soundtrack: () => sql`r.id in (select sf.rom_id from rom_files sf where sf.category = 'soundtrack')`,
};

/** `unknown` also covers ROMs never checked (no DAT for their platform); never null, so `none` negates cleanly. */
function datStatusPredicate(status: string): Cond {
  return sql`coalesce(r.dat_status, 'unknown') = ${status}`;
}

/** Scope conditions: the only ones the `filter_values` sidecar honours (spec §3.10). */
export function scopeConditions(f: RomFilter, ctx: RomQueryContext): Cond[] {
  const out: Cond[] = [];
  if (f.platformIds?.length) out.push(sql`r.platform_id in ${list(f.platformIds)}`);
  if (f.collectionId !== undefined) {
    out.push(sql`r.id in (select cr.rom_id from collections_roms cr where cr.collection_id = ${f.collectionId})`);
  }
  if (f.virtualCollection !== undefined) {
    const v = f.virtualCollection;
    out.push(v ? sql`r.id in (select vf.rom_id from rom_facets vf where vf.kind = ${v.type} and vf.value = ${v.name})` : FALSE);
  }
  if (f.smart !== undefined) out.push(f.smart ? filterCondition(f.smart, ctx) : FALSE);
  if (f.searchTerm !== undefined) {
    const terms = parseSearchTerm(f.searchTerm);
    if (terms.length) out.push(searchCondition(terms));
  }
  return out;
}

/** The caller's personally hidden ROMs are left out unless `statuses` asks for them (spec §2.7). */
export const notHidden = (ctx: RomQueryContext): Cond =>
  sql`r.id not in (select hu.rom_id from rom_user hu where hu.user_id = ${uid(ctx)} and hu.hidden = 1)`;

/**
 * ROMs hidden from the caller by the permission model, themselves or through their platform: never listed, even
 * with `statuses=hidden`. No condition at all for callers without hides, so their queries stay as they were.
 */
export function permissionHides(ctx: RomQueryContext): Cond[] {
  if (!ctx.hidden || hidesNothing(ctx.hidden)) return [];
  return [romNotHidden(ctx.hidden, 'r.id', 'r.platform_id') as Cond];
}

/** Whether the conditions read the caller's rom_user row `ru` (else the list needs no join at all). */
export function filterUsesUserRow(f: RomFilter): boolean {
  return !!f.statuses?.values.length || f.bools?.last_played !== undefined || (!!f.smart && filterUsesUserRow(f.smart));
}

/** Every condition of a filter, as one conjunction. */
export function filterCondition(f: RomFilter, ctx: RomQueryContext): Cond {
  const out = scopeConditions(f, ctx);
  for (const [name, value] of Object.entries(f.bools ?? {})) {
    const build = BOOL_CONDITIONS[name];
    if (value === undefined || !build) continue;
    const cond = build(ctx);
    out.push(value ? cond : not(cond));
  }
  if (f.updatedAfter !== undefined) out.push(sql`r.updated_at > ${f.updatedAfter}`);
  for (const [name, mf] of Object.entries(f.facets ?? {}) as [FacetFilterName, MultiFilter | undefined][]) {
    const cond = mf && facetCondition(name, mf);
    if (cond) out.push(cond);
  }
  if (f.playerCounts?.values.length) {
    const inList = sql`r.player_count in ${list(f.playerCounts.values)}`;
    out.push(f.playerCounts.logic === 'none' ? not(inList) : inList);
  }
  if (f.metadataProviders) {
    const cols = [...new Set(f.metadataProviders.values.map((p) => PROVIDER_ID_COLUMNS[p]).filter((c) => c !== undefined))];
    if (cols.length) out.push(combine(cols.map((c) => sql`${col(c)} is not null`), f.metadataProviders.logic));
  }
  const statuses = f.statuses?.values ?? [];
  if (f.statuses && statuses.length) {
    const preds = statuses.map(statusPredicate).filter((p): p is Cond => p !== null);
    if (preds.length) out.push(combine(preds, f.statuses.logic));
  }
  if (!statuses.includes('hidden')) out.push(notHidden(ctx));
  if (f.datStatuses?.values.length) out.push(combine(f.datStatuses.values.map(datStatusPredicate), f.datStatuses.logic));
  return out.length ? and(out) : TRUE;
}
