import type { DatStatus } from './verify-status.ts';

/** The verification report as CSV (RFC 4180): one row per DAT game, present or missing, for spreadsheets and scripts. */

export interface ReportRow {
  game: string;
  /** `missing` for a DAT game with no file in the library. */
  status: DatStatus | 'missing';
  /** The library's file or ROM name ('' when missing). */
  file: string;
  romId: number | null;
  /** For multi-file games: whether every file the DAT lists is present and good. */
  complete: boolean | null;
}

export const REPORT_COLUMNS = ['game', 'status', 'file', 'rom_id', 'complete'] as const;

/** A field quoted when it holds a comma, quote or line break; a leading formula character is neutralised. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let s = String(value);
  // Spreadsheets run cells starting with these as formulas; a DAT or file name must never do that.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function* reportCsvChunks(rows: Iterable<ReportRow>): Generator<string> {
  yield `${REPORT_COLUMNS.join(',')}\r\n`;
  for (const r of rows) {
    yield `${[r.game, r.status, r.file, r.romId, r.complete === null ? null : r.complete ? 'yes' : 'no'].map(csvField).join(',')}\r\n`;
  }
}
