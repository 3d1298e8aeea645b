import { sql } from 'kysely';
import { REGION_PROVIDER_CODES } from '../../library/tags.ts';
import type { RomQueryContext } from '../../contract/rom-filter.ts';
import type { Cond } from './sql.ts';

/**
 * `group_by_meta_id` (spec §3.8): one row per group, the group key being the first provider id present (a
 * priority key, not the sibling relation), the representative the best matching member.
 */

const GROUP_PROVIDERS = ['igdb', 'ss', 'moby', 'ra', 'hasheous', 'launchbox', 'tgdb', 'flashpoint'];
const PRE_RELEASE_MARKERS = ['(demo', '(beta', '(proto', '(sample', '(kiosk', '(preview'];

export const DEFAULT_REGION_PRIORITY = ['us', 'wor', 'ss', 'eu', 'jp'] as const;

/**
 * RomM's string key `<provider>-<platform>-<id>` as numbers, which sort far faster: the provider's rank, the
 * first non-null integer id in priority order (it is that provider's id), and flashpoint's text id when it is the
 * first. A ROM with no id is a group of one (its own id, negated so it cannot meet a provider id).
 */
export function groupPartition() {
  const ints = GROUP_PROVIDERS.filter((p) => p !== 'flashpoint').map((p) => sql.ref(`r.${p}_id`));
  const rank = GROUP_PROVIDERS.map((p, i) => sql`when ${sql.ref(`r.${p}_id`)} is not null then ${sql.lit(i)}`);
  return sql`r.platform_id,
    (case ${sql.join(rank, sql` `)} else ${sql.lit(GROUP_PROVIDERS.length)} end),
    coalesce(${sql.join(ints)}, case when r.flashpoint_id is null then -r.id end),
    (case when coalesce(${sql.join(ints)}) is null then r.flashpoint_id end)`;
}

/** Position of the ROM's first region in the priority list; unknown or absent regions rank last. */
function regionRank(priority: readonly string[]) {
  const whens = [];
  for (const [i, code] of priority.entries()) {
    const names = Object.entries(REGION_PROVIDER_CODES).filter(([, c]) => c === code).map(([name]) => name);
    for (const name of names) whens.push(sql`when ${name} then ${sql.lit(i)}`);
  }
  if (whens.length === 0) return sql`0`;
  return sql`(case r.primary_region ${sql.join(whens, sql` `)} else ${sql.lit(priority.length)} end)`;
}

function preReleaseRank() {
  const likes = PRE_RELEASE_MARKERS.map((m) => sql`lower(r.fs_name_no_ext) like ${`%${m}%`}`);
  return sql`(case when ${sql.join(likes, sql` or `)} then 1 else 0 end)`;
}

/** `r.id` is the representative of its group among the ROMs matching `filter`. */
export function groupedCondition(filter: Cond, ctx: RomQueryContext): Cond {
  const userId = ctx.userId ?? -1;
  return sql`r.id in (select g.id from (
    select r.id as id, row_number() over (
      partition by ${groupPartition()}
      order by coalesce(ru.is_main_sibling, 0) desc, ${preReleaseRank()} asc, ${regionRank(ctx.regionPriority)} asc,
        r.fs_name_no_ext asc, r.id asc
    ) as rn
    from roms r left join rom_user ru on ru.rom_id = r.id and ru.user_id = ${userId}
    where ${filter}
  ) g where g.rn = 1)`;
}

/** Best position among the ROM's region facets (a multi-region release counts as its best region); none: last. */
function bestRegionRank(priority: readonly string[]) {
  const whens = [];
  for (const [i, code] of priority.entries()) {
    const names = Object.entries(REGION_PROVIDER_CODES).filter(([, c]) => c === code).map(([name]) => name);
    for (const name of names) whens.push(sql`when ${name} then ${sql.lit(i)}`);
  }
  if (whens.length === 0) return sql`0`;
  const last = sql.lit(priority.length);
  return sql`coalesce((select min(case rf.value ${sql.join(whens, sql` `)} else ${last} end)
    from rom_facets rf where rf.rom_id = r.id and rf.kind = 'region'), ${last})`;
}

/**
 * `group_by_dat_parent` (1G1R): one row per DAT parent and platform, the preferred release as domain/dats/one-g-one-r.ts
 * orders them: quality, the caller's region order, then release order. ROMs no DAT placed are groups of one.
 */
export function datParentCondition(filter: Cond, ctx: RomQueryContext): Cond {
  return sql`r.id in (select g.id from (
    select r.id as id, row_number() over (
      partition by r.platform_id, r.dat_parent, case when r.dat_parent is null then r.id end
      order by coalesce(r.dat_quality, 1) asc, ${bestRegionRank(ctx.regionPriority)} asc, coalesce(r.dat_order, 999) asc,
        r.fs_name_no_ext asc, r.id asc
    ) as rn
    from roms r
    where ${filter}
  ) g where g.rn = 1)`;
}
