/** A ROM file's standing against the DATs (decided in dats/verify-status.ts). */
export const DAT_STATUSES = ['verified', 'renamed', 'bad_dump', 'unknown'] as const;

export type DatStatus = (typeof DAT_STATUSES)[number];
