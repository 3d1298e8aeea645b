import { isoFromMs, pyStrFromMs } from '../../common/time.ts';
import type {
  AssetVersionSchema, DeletedAssetSchema, DeviceSyncSchema, SaveSchema, ScreenshotSchema, StateSchema,
} from '../../contract/saves.ts';
import type { StateRow, StateVersionRow } from '../../db/repositories/states-repository.ts';
import type { SaveRow, SaveSyncRow, SaveVersionRow } from '../../db/repositories/saves-repository.ts';
import type { ScreenshotRow } from '../../db/repositories/screenshots-repository.ts';

type AssetKind = 'saves' | 'states' | 'screenshots';

interface AssetBase {
  id: number;
  rom_id: number;
  user_id: number;
  file_name: string;
  file_name_no_tags: string;
  file_name_no_ext: string;
  file_extension: string;
  file_path: string;
  file_size_bytes: number;
  missing_from_fs: number;
  created_at: number;
  updated_at: number;
}

/** RomM's `BaseAsset` fields in order; `download_path` carries Python's `str(updated_at)`, unencoded (§0.3). */
export function baseAsset(kind: AssetKind, a: AssetBase) {
  return {
    id: a.id,
    rom_id: a.rom_id,
    user_id: a.user_id,
    file_name: a.file_name,
    file_name_no_tags: a.file_name_no_tags,
    file_name_no_ext: a.file_name_no_ext,
    file_extension: a.file_extension,
    file_path: a.file_path,
    file_size_bytes: a.file_size_bytes,
    full_path: `${a.file_path}/${a.file_name}`,
    download_path: `/api/${kind}/${a.id}/content?timestamp=${pyStrFromMs(a.updated_at)}`,
    missing_from_fs: a.missing_from_fs === 1,
    created_at: isoFromMs(a.created_at),
    updated_at: isoFromMs(a.updated_at),
  };
}

export function toScreenshotSchema(s: ScreenshotRow): ScreenshotSchema {
  return { ...baseAsset('screenshots', s), is_gallery: s.is_gallery === 1, is_public: s.is_public === 1 };
}

/**
 * The screenshot RomM pairs with a save or state: among the owner's screenshots of the ROM named like it, the one
 * whose name without extension is the asset's full file name, else the newest (highest id).
 */
export function pairedScreenshot(asset: { file_name: string }, candidates: readonly ScreenshotRow[]): ScreenshotRow | null {
  const exact = candidates.filter((s) => s.file_name_no_ext === asset.file_name);
  const pool = exact.length > 0 ? exact : candidates;
  return pool.reduce<ScreenshotRow | null>((best, s) => (!best || s.id > best.id ? s : best), null);
}

/**
 * RomM's `device_syncs` (§6.3): only for a caller with a device; every device's mark, the caller's first, and a
 * placeholder for the caller's device when it has none.
 */
export function deviceSyncs(save: SaveRow, syncs: readonly SaveSyncRow[], device: { id: string; name: string | null } | null): DeviceSyncSchema[] {
  if (!device) return [];
  const entries: DeviceSyncSchema[] = syncs.map((s) => ({
    device_id: s.device_id,
    device_name: s.device_name,
    last_synced_at: isoFromMs(s.last_synced_at),
    is_untracked: s.is_untracked === 1,
    is_current: s.last_synced_at >= save.updated_at,
  }));
  if (!syncs.some((s) => s.device_id === device.id)) {
    entries.push({
      device_id: device.id, device_name: device.name, last_synced_at: isoFromMs(save.updated_at), is_untracked: false, is_current: false,
    });
  }
  const mine = entries.filter((e) => e.device_id === device.id);
  return [...mine, ...entries.filter((e) => e.device_id !== device.id)];
}

export function toSaveSchema(s: SaveRow, screenshot: ScreenshotRow | null, syncs: DeviceSyncSchema[]): SaveSchema {
  return {
    ...baseAsset('saves', s),
    emulator: s.emulator,
    slot: s.slot,
    content_hash: s.content_hash,
    is_public: s.is_public === 1,
    screenshot: screenshot ? toScreenshotSchema(screenshot) : null,
    origin_device_id: s.origin_device_id,
    device_syncs: syncs,
  };
}

export function toSaveVersionSchema(v: SaveVersionRow): AssetVersionSchema {
  return {
    id: v.id,
    asset_id: v.save_id,
    file_name: v.file_name,
    file_size_bytes: v.file_size_bytes,
    content_hash: v.content_hash,
    reason: v.reason === 'delete' ? 'delete' : v.reason === 'restore' ? 'restore' : 'overwrite',
    content_updated_at: isoFromMs(v.content_updated_at),
    created_at: isoFromMs(v.created_at),
    download_path: `/api/saves/${v.save_id}/versions/${v.id}/content`,
  };
}

export function toStateSchema(s: StateRow, screenshot: ScreenshotRow | null): StateSchema {
  return {
    ...baseAsset('states', s),
    emulator: s.emulator,
    is_public: s.is_public === 1,
    screenshot: screenshot ? toScreenshotSchema(screenshot) : null,
  };
}

export function toStateVersionSchema(v: StateVersionRow): AssetVersionSchema {
  return {
    id: v.id,
    asset_id: v.state_id,
    file_name: v.file_name,
    file_size_bytes: v.file_size_bytes,
    content_hash: v.content_hash,
    reason: v.reason === 'delete' ? 'delete' : v.reason === 'restore' ? 'restore' : 'overwrite',
    content_updated_at: isoFromMs(v.content_updated_at),
    created_at: isoFromMs(v.created_at),
    download_path: `/api/states/${v.state_id}/versions/${v.id}/content`,
  };
}

/** DetailedRom's `UserSaveSchema`/`UserStateSchema`/`UserScreenshotSchema`: the asset plus its owner. */
export function withOwner<T extends object>(asset: T, owner: { username: string; avatar_path: string; user_updated_at: number }) {
  return { ...asset, username: owner.username, user_avatar_path: owner.avatar_path ?? '', user_updated_at: isoFromMs(owner.user_updated_at) };
}

/** What every kept version row says about the save or state it came from. */
interface VersionOrigin {
  rom_id: number;
  file_name: string;
  file_path: string;
  emulator: string | null;
  created_at: number;
}

/**
 * Groups versions of deleted saves or states (ordered by asset id, newest version first) into one entry per asset,
 * described by its newest version.
 */
export function toDeletedAssets<V extends VersionOrigin>(
  rows: readonly V[], assetId: (v: V) => number, slot: (v: V) => string | null, toVersion: (v: V) => AssetVersionSchema,
): DeletedAssetSchema[] {
  const out: DeletedAssetSchema[] = [];
  let last: DeletedAssetSchema | undefined;
  for (const v of rows) {
    if (last?.id !== assetId(v)) {
      last = {
        id: assetId(v), rom_id: v.rom_id, file_name: v.file_name, file_path: v.file_path, emulator: v.emulator, slot: slot(v),
        deleted_at: isoFromMs(v.created_at), versions: [],
      };
      out.push(last);
    }
    last.versions.push(toVersion(v));
  }
  return out;
}
