import type { DeletedAsset, Device, PlaySession } from './api/types';

/** The two kinds of per-user game data the ROM page's Saves tab lists; each is its own API family. */
export type AssetKind = 'saves' | 'states';

/** Content URL of a save or state (the API's `download_path` carries an unencoded cache-buster). */
export function assetContentUrl(kind: AssetKind, id: number): string {
  return `/api/${kind}/${id}/content`;
}

/** The caller's deleted saves or states of a ROM that can still be restored. */
export function deletedAssetsUrl(kind: AssetKind, romId: number): string {
  return `/api/${kind}/deleted?rom_id=${encodeURIComponent(String(romId))}`;
}

/** One line about a deleted save or state: when it went and how many earlier contents are kept. */
export function deletedSummary(asset: Pick<DeletedAsset, 'deleted_at' | 'versions'>): string {
  const n = asset.versions.length;
  return `deleted ${formatDateTime(asset.deleted_at)} · ${n} ${n === 1 ? 'version' : 'versions'} kept`;
}

/** Upload URL of a save or state for a ROM, with the optional emulator folder. */
export function assetUploadUrl(kind: AssetKind, romId: number, emulator: string): string {
  const params = new URLSearchParams({ rom_id: String(romId) });
  const trimmed = emulator.trim();
  if (trimmed) params.set('emulator', trimmed);
  return `/api/${kind}?${params.toString()}`;
}

/** Multipart body of an upload: RomM's field names are `saveFile` / `stateFile`. */
export function assetUploadForm(kind: AssetKind, file: Blob, name: string): FormData {
  const form = new FormData();
  form.append(kind === 'saves' ? 'saveFile' : 'stateFile', file, name);
  return form;
}

/** A device's display name: its name, else its hostname, else the start of its id; unknown ids are shown short. */
export function deviceLabel(id: string | null | undefined, devices: readonly Device[]): string {
  if (!id) return '—';
  const device = devices.find((d) => d.id === id);
  return device?.name || device?.hostname || `${id.slice(0, 8)}…`;
}

/** Total play time and the end of the newest session. */
export function playTotals(sessions: readonly PlaySession[]): { totalMs: number; count: number; lastPlayed: string | null } {
  let totalMs = 0;
  let last: { at: number; iso: string } | null = null;
  for (const s of sessions) {
    totalMs += Number.isFinite(s.duration_ms) && s.duration_ms > 0 ? s.duration_ms : 0;
    const at = Date.parse(s.end_time);
    if (!Number.isNaN(at) && (last === null || at > last.at)) last = { at, iso: s.end_time };
  }
  return { totalMs, count: sessions.length, lastPlayed: last?.iso ?? null };
}

/** Play time as hours and minutes (`2 h 05 min`, `45 min`, `< 1 min`). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0 min';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return '< 1 min';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours ? `${hours} h ${String(rest).padStart(2, '0')} min` : `${rest} min`;
}

/** Date and time to the minute, in UTC, as the rest of the UI shows dates. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Why an earlier content was kept. */
export function versionReason(reason: 'overwrite' | 'delete' | 'restore'): string {
  return { overwrite: 'replaced by an upload', delete: 'deleted', restore: 'replaced by a restore' }[reason];
}
