/** DAT verification verdicts (docs/dats.md) as the web UI shows them. */

export const DAT_STATUSES = ['verified', 'renamed', 'bad_dump', 'unknown'] as const;
export type DatStatus = (typeof DAT_STATUSES)[number];

const LABELS: Record<DatStatus, string> = { verified: 'Verified', renamed: 'Renamed', bad_dump: 'Bad dump', unknown: 'Unknown' };
const TONES: Record<DatStatus, 'good' | 'info' | 'warn' | 'muted'> = { verified: 'good', renamed: 'info', bad_dump: 'warn', unknown: 'muted' };

export function isDatStatus(value: unknown): value is DatStatus {
  return typeof value === 'string' && (DAT_STATUSES as readonly string[]).includes(value);
}

export function datStatusLabel(status: DatStatus): string {
  return LABELS[status];
}

export interface DatBadge {
  label: string;
  tone: 'good' | 'info' | 'warn' | 'muted';
  /** The DAT's game name, for the tooltip and the text beside the badge. */
  game: string | null;
  /** A multi-file game the DAT lists more (or better) files for than are present. */
  incomplete: boolean;
}

/**
 * The badge for a ROM or file verdict; null when there is none to show (no DAT covers the platform, or a value
 * this client does not know).
 */
export function datBadge(v: { dat_status?: string | null; dat_game?: string | null; dat_complete?: boolean | null }): DatBadge | null {
  if (!isDatStatus(v.dat_status)) return null;
  return { label: LABELS[v.dat_status], tone: TONES[v.dat_status], game: v.dat_game || null, incomplete: v.dat_complete === false };
}

export interface RenamePlan {
  dry_run: boolean;
  renames: Array<{ rom_id: number; from: string; to: string }>;
  failed: Array<{ rom_id: number; from: string; to: string; detail?: string }>;
}

/** One line summing up a rename run, for the admin panel. */
export function renameSummary(plan: RenamePlan): string {
  const n = plan.renames.length;
  if (plan.dry_run) return n === 0 ? 'Nothing to rename: every matched ROM already has its DAT name.' : `${n} ROM${n === 1 ? '' : 's'} would be renamed.`;
  const failed = plan.failed.length;
  return `${n} ROM${n === 1 ? '' : 's'} renamed${failed ? `, ${failed} failed` : ''}.`;
}

/** The platforms DATs are mapped to, each once, by name: the report's platform choice. */
export function datPlatforms(dats: ReadonlyArray<{ platform_id: number | null; platform_name: string | null; platform_slug: string | null }>): Array<{ id: number; name: string }> {
  const out = new Map<number, string>();
  for (const d of dats) if (d.platform_id !== null && !out.has(d.platform_id)) out.set(d.platform_id, d.platform_name || d.platform_slug || `#${d.platform_id}`);
  return [...out].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}
