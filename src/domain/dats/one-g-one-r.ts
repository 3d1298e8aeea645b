import { parseTags, REGION_PROVIDER_CODES } from '../../library/tags.ts';
import type { DatStatus } from '../../dats/verify-status.ts';

/**
 * 1G1R ("one game, one ROM"): among a DAT parent's clones, the release a player wants. Region order is the user's
 * setting (`scan.priority.region`, read per request), so it is applied at query time; the rest depends only on a
 * release's name and DAT status and is stored as two numbers, its quality and its order.
 */

/** Name tags of releases nobody picks over a finished one. */
const UNFINISHED = /^(beta|proto|prototype|demo|sample|kiosk|preview|promo|debug|alpha|pre-release)\b/i;
const UNOFFICIAL = /^(pirate|unl|hack|aftermarket|homebrew|bootleg)\b/i;
const REISSUE = /^(virtual console|switch online|classic mini|collection|arcade|steam|gog|evercade|retro-bit)\b/i;

const STATUS_COST: Record<DatStatus, number> = { verified: 0, renamed: 0, unknown: 1, bad_dump: 4 };

/**
 * How acceptable a release is, lower being better; it outranks the region: a good dump over a bad one, an official
 * release over pirates and hacks, a finished game over betas and demos.
 */
export function releaseQuality(name: string, status: DatStatus): number {
  const parsed = parseTags(name);
  const unofficial = parsed.tags.some((t) => UNOFFICIAL.test(t)) || /\[(?:b|h|p|t|f|o)\d*\]/i.test(name) ? 2 : 0;
  const unfinished = parsed.tags.some((t) => UNFINISHED.test(t)) ? 1 : 0;
  return STATUS_COST[status] + unofficial + unfinished;
}

/** Among equally acceptable releases of the preferred region: an original over a re-release, then the latest revision. */
export function releaseOrder(name: string): number {
  const parsed = parseTags(name);
  const reissue = parsed.tags.some((t) => REISSUE.test(t)) ? 1 : 0;
  return reissue * 1000 + (999 - Math.min(revisionNumber(parsed.revision, parsed.version), 999));
}

/** `Rev 2` → 2, `Rev A` → 1, `v1.1` → 11; no revision → 0. */
function revisionNumber(revision: string, version: string): number {
  const rev = revision.trim();
  if (rev) {
    if (/^\d+$/.test(rev)) return Number(rev);
    if (/^[a-z]$/i.test(rev)) return rev.toUpperCase().charCodeAt(0) - 64;
    return 1;
  }
  const digits = version.replace(/[^\d]/g, '');
  return digits ? Number(digits.slice(0, 3)) : 0;
}

/** Position of a name's best region in the priority list (codes like `us`, `eu`); names without one rank last. */
export function regionRank(name: string, regionPriority: readonly string[]): number {
  const codes = parseTags(name).regions.map((r) => REGION_PROVIDER_CODES[r]).filter((c): c is string => !!c);
  let best = regionPriority.length;
  for (const code of codes) {
    const i = regionPriority.indexOf(code);
    if (i >= 0 && i < best) best = i;
  }
  return best;
}

export interface Release {
  id: number;
  name: string;
  status: DatStatus;
}

type Key = [quality: number, region: number, order: number, name: string, id: number];

/** The preferred release of one parent group: quality, then region (the user's order), then release order, name, id. */
export function preferredRelease<T extends Release>(releases: readonly T[], regionPriority: readonly string[]): T | undefined {
  let best: T | undefined;
  let bestKey: Key | undefined;
  for (const r of releases) {
    const key: Key = [releaseQuality(r.name, r.status), regionRank(r.name, regionPriority), releaseOrder(r.name), r.name, r.id];
    if (!bestKey || compareKeys(key, bestKey) < 0) {
      best = r;
      bestKey = key;
    }
  }
  return best;
}

function compareKeys(a: Key, b: Key): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0) || a[4] - b[4];
}
