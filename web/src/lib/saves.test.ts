import { describe, expect, it } from 'vitest';
import type { Device, PlaySession } from './api/types';
import {
  assetContentUrl, assetUploadForm, assetUploadUrl, deletedAssetsUrl, deletedSummary, deviceLabel, formatDateTime, formatDuration, playTotals, versionReason,
} from './saves';

const session = (start: string, end: string, duration_ms: number): PlaySession => ({
  id: 1, user_id: 1, rom_id: 1, device_id: null, save_slot: null, sync_session_id: null, start_time: start, end_time: end,
  duration_ms, created_at: end, updated_at: end,
});

const device = (id: string, name: string | null, hostname: string | null = null): Device => ({
  id, name, hostname, user_id: 1, client: null, client_device_identifier: null, client_version: null, created_at: '', ip_address: null,
  last_seen: null, mac_address: null, platform: null, sync_config: null, sync_enabled: true, sync_mode: 'api', updated_at: '',
});

describe('saves and play time', () => {
  it('builds content and upload URLs per kind', () => {
    expect(assetContentUrl('saves', 7)).toBe('/api/saves/7/content');
    expect(assetContentUrl('states', 3)).toBe('/api/states/3/content');
    expect(assetUploadUrl('saves', 12, '')).toBe('/api/saves?rom_id=12');
    expect(assetUploadUrl('states', 12, ' snes9x & co ')).toBe('/api/states?rom_id=12&emulator=snes9x+%26+co');
  });

  it('lists deleted saves and states per ROM and sums up each', () => {
    expect(deletedAssetsUrl('saves', 12)).toBe('/api/saves/deleted?rom_id=12');
    expect(deletedAssetsUrl('states', 3)).toBe('/api/states/deleted?rom_id=3');
    const version = { id: 1, asset_id: 4, file_name: 'a.srm', file_size_bytes: 1, content_hash: null, reason: 'delete' as const,
      content_updated_at: '2026-01-01T00:00:00Z', created_at: '2026-01-02T00:00:00Z', download_path: '' };
    expect(deletedSummary({ deleted_at: '2026-08-01T10:11:12.000Z', versions: [version] })).toBe('deleted 2026-08-01 10:11 UTC · 1 version kept');
    expect(deletedSummary({ deleted_at: 'nope', versions: [version, { ...version, id: 2 }] })).toBe('deleted — · 2 versions kept');
  });

  it('names the multipart field as RomM does', () => {
    const file = new Blob(['x']);
    expect(assetUploadForm('saves', file, 'a.srm').get('saveFile')).toBeInstanceOf(Blob);
    expect(assetUploadForm('states', file, 'a.state').get('stateFile')).toBeInstanceOf(Blob);
    expect(assetUploadForm('states', file, 'a.state').get('saveFile')).toBeNull();
  });

  it('labels devices by name, then hostname, then a short id', () => {
    const devices = [device('aaaa-1', 'Retroid'), device('bbbb-2', null, 'deck'), device('cccc-3', '')];
    expect(deviceLabel('aaaa-1', devices)).toBe('Retroid');
    expect(deviceLabel('bbbb-2', devices)).toBe('deck');
    expect(deviceLabel('0123456789abcdef', devices)).toBe('01234567…');
    expect(deviceLabel(null, devices)).toBe('—');
  });

  it('sums play time and finds the newest end', () => {
    const totals = playTotals([
      session('2026-01-02T10:00:00+00:00', '2026-01-02T11:30:00+00:00', 90 * 60_000),
      session('2026-03-01T08:00:00+00:00', '2026-03-01T08:20:00+00:00', 20 * 60_000),
      session('2026-02-01T08:00:00+00:00', '2026-02-01T08:05:00+00:00', 5 * 60_000),
    ]);
    expect(totals).toEqual({ totalMs: 115 * 60_000, count: 3, lastPlayed: '2026-03-01T08:20:00+00:00' });
    expect(playTotals([])).toEqual({ totalMs: 0, count: 0, lastPlayed: null });
  });

  it('formats durations and times', () => {
    expect(formatDuration(0)).toBe('0 min');
    expect(formatDuration(30_000)).toBe('< 1 min');
    expect(formatDuration(45 * 60_000)).toBe('45 min');
    expect(formatDuration(125 * 60_000)).toBe('2 h 05 min');
    expect(formatDateTime('2026-03-01T08:20:59+00:00')).toBe('2026-03-01 08:20 UTC');
    expect(formatDateTime(null)).toBe('—');
    expect(versionReason('delete')).toBe('deleted');
  });
});
