import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AuthContext } from '../../auth/context.ts';
import { KeyedLock } from '../../common/keyed-lock.ts';
import { AppError, badRequest, conflict, forbidden, notFound, unprocessable } from '../../common/errors.ts';
import type {
  AssetVersionSchema, DeletedAssetSchema, SaveListQuery, SaveSchema, SaveSummarySchema, SaveUploadQuery,
} from '../../contract/saves.ts';
import { hidesNothing } from '../../db/repositories/hidden.ts';
import type { RomUserRepository } from '../../db/repositories/rom-user-repository.ts';
import type { AssetRom, SaveRow, SavesRepository } from '../../db/repositories/saves-repository.ts';
import type { ScreenshotRow, ScreenshotsRepository } from '../../db/repositories/screenshots-repository.ts';
import { fileDownload, type FileDownload } from '../downloads/downloads-service.ts';
import { mediaFor } from '../downloads/names.ts';
import type { RomVisibility } from '../roms/visibility.ts';
import {
  assetNameFields, checkNameLength, contentHash, emulatorSegment, fileMd5, userFolder, withDatetimeTag, type AssetStore,
} from './asset-files.ts';
import { readAssetForm, storeScreenshot, type FormFile, type StagedForm } from './asset-form.ts';
import { deviceSyncs, pairedScreenshot, toDeletedAssets, toSaveSchema, toSaveVersionSchema, toScreenshotSchema, withOwner } from './mapper.ts';

export type { FormFile } from './asset-form.ts';

export interface AssetLimits {
  /** MAX_ASSET_UPLOAD_SIZE_BYTES: largest accepted file (0: no limit). */
  maxUploadBytes: number;
  /** USER_STORAGE_QUOTA_BYTES: live saves, states and screenshots per user (0: unlimited). */
  quotaBytes: number;
  /** SAVE_VERSIONS_KEEP: previous contents kept per save or state (0: none). */
  versionsKeep: number;
  /** SAVE_VERSIONS_DAYS: previous contents older than this are dropped (0: no age limit). */
  versionsDays: number;
  /** MAX_AUTOCLEANUP_LIMIT: the highest `autocleanup_limit`. */
  maxAutocleanup: number;
}

export interface SavesServiceDeps {
  repo: SavesRepository;
  /** The screenshots paired with saves (by file name), shared with states and the gallery. */
  shots: ScreenshotsRepository;
  store: AssetStore;
  visibility: Pick<RomVisibility, 'assertRom' | 'hiddenFor' | 'hiddenRomIds'>;
  romUser: Pick<RomUserRepository, 'findOrCreate' | 'update'>;
  limits: AssetLimits;
  now?: () => number;
  /** Sync sessions an upload or download names with `session_id` (RomM counts it as one completed operation). */
  syncSessions?: { countOperation(userId: number, sessionId: number): Promise<void> };
}

type Device = { id: string; name: string | null };

const saveNotFound = (id: number) => notFound(`Save with ID ${id} not found`);
const romNotFound = (id: number) => notFound(`Rom with id '${id}' not found`);

/** The assets-relative folder of a user's saves (or states) of a ROM (§6.1). */
export const assetFolder = (kind: 'saves' | 'states', userId: number, rom: AssetRom, emulator: string | null): string =>
  ['users', userFolder(userId), kind, rom.fs_slug, String(rom.id), ...(emulator ? [emulator] : [])].join('/');


/**
 * Saves (romm-api-clients.md §6.5) with romshelf's guarantees: uploads are staged, size- and quota-checked, fsynced
 * and renamed into place; any content an upload, restore or delete replaces is kept as a version.
 */
export class SavesService {
  private readonly now: () => number;
  /** One writer per user at a time once the upload is staged: same-name uploads, quota and versions never race. */
  private readonly writes = new KeyedLock();

  constructor(private readonly deps: SavesServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  // Reads

  async list(caller: AuthContext, q: SaveListQuery): Promise<SaveSchema[]> {
    const device = await this.resolveDevice(caller, q.device_id, 'read');
    const rows = await this.visible(caller, await this.deps.repo.list(caller.user.id, {
      romId: q.rom_id || undefined, platformId: q.platform_id || undefined, slot: q.slot,
    }));
    return Promise.all(rows.map((r) => this.schema(r, device)));
  }

  async identifiers(caller: AuthContext): Promise<number[]> {
    const ids = await this.deps.repo.list(caller.user.id);
    return (await this.visible(caller, ids)).map((r) => r.id);
  }

  async summary(caller: AuthContext, romId: number): Promise<SaveSummarySchema> {
    await this.deps.visibility.assertRom(romId, caller.user.id);
    const rows = await this.deps.repo.forRom(caller.user.id, romId);
    const groups = new Map<string | null, SaveRow[]>();
    for (const r of rows) groups.set(r.slot, [...(groups.get(r.slot) ?? []), r]);
    const slots = await Promise.all([...groups].map(async ([slot, list]) => ({
      slot, count: list.length, latest: await this.schema(list[0] as SaveRow, null),
    })));
    return { total_count: rows.length, slots };
  }

  async get(caller: AuthContext, id: number, deviceId?: string): Promise<SaveSchema> {
    const device = await this.resolveDevice(caller, deviceId, 'read');
    return this.schema(await this.owned(caller, id), device);
  }

  /** The user's saves of a ROM, newest first (DetailedRom `user_saves`). */
  async forRom(userId: number, romId: number): Promise<SaveSchema[]> {
    const rows = await this.deps.repo.forRom(userId, romId);
    return Promise.all(rows.map((r) => this.schema(r, null)));
  }

  /** The ROM's saves the user may see (own and others' public), newest first, with owners (`all_user_saves`). */
  async sharedForRom(userId: number, romId: number): Promise<object[]> {
    const rows = await this.deps.repo.sharedForRom(userId, romId);
    return Promise.all(rows.map(async (r) => withOwner(await this.schema(r, null), r)));
  }

  /**
   * The file of a save: the owner's, or another user's public one. With a device and `optimistic`, the owner's
   * device is marked as having this content before the body is sent.
   */
  async content(caller: AuthContext, id: number, q: { device_id?: string; session_id?: number; optimistic?: boolean }): Promise<FileDownload> {
    const device = await this.resolveDevice(caller, q.device_id, 'read');
    const save = await this.deps.repo.find(id);
    if (!save || (save.user_id !== caller.user.id && save.is_public !== 1)) throw saveNotFound(id);
    await this.deps.visibility.assertRom(save.rom_id, caller.user.id, () => saveNotFound(id));
    const found = await this.deps.store.locate(this.deps.store.abs(save.file_path, save.file_name));
    if (!found) throw notFound('Save file not found on disk');
    if (device && (q.optimistic ?? true) && save.user_id === caller.user.id) {
      await this.markSynced(caller.user.id, device.id, save);
    }
    if (q.session_id) await this.deps.syncSessions?.countOperation(caller.user.id, q.session_id);
    const media = mediaFor(save.file_name, null);
    return fileDownload(found, `s${save.id}`, save.file_name, media.contentType, media.disposition);
  }

  // Uploads

  /** `POST /api/saves` (§6.5), steps in RomM's order. */
  async upload(caller: AuthContext, q: SaveUploadQuery, parts: AsyncIterable<FormFile>): Promise<SaveSchema> {
    const userId = caller.user.id;
    const device = await this.resolveDevice(caller, q.device_id, 'write');
    const rom = await this.deps.repo.rom(q.rom_id);
    if (!rom) throw romNotFound(q.rom_id);
    await this.deps.visibility.assertRom(rom.id, userId);
    const emulator = emulatorSegment(q.emulator);
    const slot = q.slot ?? null;
    const overwrite = q.overwrite ?? false;
    const limit = Math.min(Math.max(q.autocleanup_limit ?? 10, 1), this.deps.limits.maxAutocleanup);
    const folder = assetFolder('saves', userId, rom, emulator);

    const form = await readAssetForm(this.deps.store, this.deps.shots, parts, folder, userId, rom, 'saveFile', 'Save file', 'save', this.deps.limits.maxUploadBytes);
    return this.writes.run(`u${userId}`, () => this.applyUpload(form, { userId, device, rom, emulator, slot, overwrite, limit, folder, q }));
  }

  private async applyUpload(form: StagedForm, a: {
    userId: number; device: Device | null; rom: AssetRom; emulator: string | null; slot: string | null; overwrite: boolean;
    limit: number; folder: string; q: SaveUploadQuery;
  }): Promise<SaveSchema> {
    const { userId, device, rom, emulator, slot, overwrite, limit, folder, q } = a;
    try {
      if (!form.main) throw unprocessable('Field required: saveFile');
      const now = this.now();
      const fileName = slot !== null ? withDatetimeTag(form.main.name, now) : form.main.name;
      try {
        checkNameLength(fileName);
      } catch (err) {
        throw badRequest(`Invalid save filename: ${(err as Error).message}`);
      }
      let existing = await this.deps.repo.findByName(userId, rom.id, fileName, slot);

      if (device && !overwrite) await this.conflictGuard(device, userId, rom.id, slot, existing);

      const hash = await contentHash(form.main.staged.temp, form.main.staged.md5);
      if (slot !== null && !overwrite) {
        const same = (await this.deps.repo.inSlot(userId, rom.id, slot)).find((s) => s.content_hash === hash);
        if (same) {
          await form.discard();
          return this.schema(same, device);
        }
      }
      existing ??= await this.deps.repo.findByPath(userId, rom.id, folder, fileName);
      await this.checkQuota(userId, form.sizes() - (existing?.file_size_bytes ?? 0) - (await form.replacedShotBytes()));

      const dest = this.deps.store.abs(folder, fileName);
      let saveId: number;
      if (existing) {
        await this.replaceContent(existing, form.main.staged.temp, dest, hash, 'overwrite', now);
        await this.deps.repo.update(existing.id, {
          file_name: fileName, ...assetNameFields(fileName), file_path: folder, file_size_bytes: form.main.staged.size,
          content_hash: hash, emulator, ...(slot !== null ? { slot } : {}), missing_from_fs: 0, updated_at: now,
        });
        saveId = existing.id;
      } else {
        await this.deps.store.commit(form.main.staged.temp, dest);
        saveId = await this.deps.repo.insert({
          rom_id: rom.id, user_id: userId, file_name: fileName, ...assetNameFields(fileName), file_path: folder,
          file_size_bytes: form.main.staged.size, missing_from_fs: 0, emulator, slot, content_hash: hash,
          origin_device_id: device?.id ?? null, is_public: 0, created_at: now, updated_at: now,
        });
        await this.deps.repo.assetsChanged(userId, false);
      }
      form.main = null;
      const save = await this.mustFind(saveId);
      if (device) await this.markSynced(userId, device.id, save);
      if (q.session_id) await this.deps.syncSessions?.countOperation(userId, q.session_id);
      if (slot !== null && q.autocleanup) {
        for (const old of (await this.deps.repo.inSlot(userId, rom.id, slot)).slice(limit)) await this.removeSave(old);
      }
      await storeScreenshot(this.deps.shots, this.deps.store, form, userId, rom, this.now());
      await this.touchLastPlayed(rom.id, userId);
      return this.schema(save, device);
    } finally {
      await form.discard();
    }
  }

  /** `PUT /api/saves/{id}`: new content in place (the upload's own name is ignored) and/or a new screenshot. */
  async update(caller: AuthContext, id: number, deviceId: string | undefined, parts: AsyncIterable<FormFile>): Promise<SaveSchema> {
    const userId = caller.user.id;
    const device = await this.resolveDevice(caller, deviceId, 'write');
    const save = await this.owned(caller, id);
    const rom = await this.deps.repo.rom(save.rom_id);
    if (!rom) throw saveNotFound(id);
    const form = await readAssetForm(this.deps.store, this.deps.shots, parts, save.file_path, userId, rom, 'saveFile', 'Save file', 'save', this.deps.limits.maxUploadBytes);
    return this.writes.run(`u${userId}`, () => this.applyUpdate(form, save, device, rom));
  }

  private async applyUpdate(form: StagedForm, stale: SaveRow, device: Device | null, rom: AssetRom): Promise<SaveSchema> {
    const userId = stale.user_id;
    const id = stale.id;
    try {
      // Re-read under the lock: another write may have changed or deleted it meanwhile.
      const save = await this.deps.repo.findOwned(userId, id);
      if (!save) throw saveNotFound(id);
      await this.checkQuota(userId, form.sizes() - (form.main ? save.file_size_bytes : 0) - (await form.replacedShotBytes()));
      const now = this.now();
      if (form.main) {
        const hash = await contentHash(form.main.staged.temp, form.main.staged.md5);
        await this.replaceContent(save, form.main.staged.temp, this.deps.store.abs(save.file_path, save.file_name), hash, 'overwrite', now);
        form.main = null;
        await this.deps.repo.update(id, { file_size_bytes: (await this.sizeOf(save)) ?? 0, content_hash: hash, missing_from_fs: 0, updated_at: now });
      }
      const fresh = await this.mustFind(id);
      if (device) await this.markSynced(userId, device.id, fresh);
      await storeScreenshot(this.deps.shots, this.deps.store, form, userId, rom, this.now());
      await this.touchLastPlayed(rom.id, userId);
      return this.schema(fresh, device);
    } finally {
      await form.discard();
    }
  }

  async setVisibility(caller: AuthContext, id: number, isPublic: boolean): Promise<SaveSchema> {
    const save = await this.owned(caller, id);
    await this.deps.repo.update(id, { is_public: isPublic ? 1 : 0 });
    if ((save.is_public === 1) !== isPublic) await this.deps.repo.assetsChanged(save.user_id, true);
    const shot = await this.screenshotOf(save);
    if (shot) await this.deps.shots.updateScreenshot(shot.id, { is_public: isPublic ? 1 : 0 });
    return this.schema(await this.mustFind(id), null);
  }

  /** `POST /api/saves/delete`: in order, not atomic (RomM); each deleted content is kept as a version. */
  async delete(caller: AuthContext, ids: readonly number[]): Promise<number[]> {
    return this.writes.run(`u${caller.user.id}`, () => this.deleteLocked(caller, ids));
  }

  private async deleteLocked(caller: AuthContext, ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) throw badRequest('No saves were provided');
    for (const id of ids) {
      const save = await this.owned(caller, id);
      const shot = await this.screenshotOf(save);
      await this.removeSave(save);
      if (shot) {
        await this.deps.shots.deleteScreenshot(shot.id);
        await this.deps.store.remove(this.deps.store.abs(shot.file_path, shot.file_name));
      }
    }
    return [...ids];
  }

  // Device marks

  async downloaded(caller: AuthContext, id: number, deviceId: string): Promise<SaveSchema> {
    const save = await this.owned(caller, id);
    const device = await this.device(caller.user.id, deviceId);
    await this.markSynced(caller.user.id, device.id, save);
    return this.schema(save, device);
  }

  async track(caller: AuthContext, id: number, deviceId: string, untrack: boolean): Promise<SaveSchema> {
    const save = await this.owned(caller, id);
    const device = await this.device(caller.user.id, deviceId);
    const now = this.now();
    if (untrack) await this.deps.repo.upsertSync(device.id, save.id, { isUntracked: true }, now);
    else await this.deps.repo.setUntracked(device.id, save.id, false, now);
    return this.schema(save, device);
  }

  // Versions

  /** The previous contents of one of the caller's saves, newest first; also for a deleted save. */
  async versions(caller: AuthContext, id: number): Promise<AssetVersionSchema[]> {
    const list = await this.deps.repo.versions(caller.user.id, id);
    const live = await this.deps.repo.findOwned(caller.user.id, id);
    if (!live && list.length === 0) throw saveNotFound(id);
    const romId = live?.rom_id ?? list[0]?.rom_id ?? 0;
    await this.deps.visibility.assertRom(romId, caller.user.id, () => saveNotFound(id));
    return list.map(toSaveVersionSchema);
  }

  /**
   * The caller's deleted saves that still have versions (optionally of one ROM), newest id first; ROMs hidden from
   * the caller are left out.
   */
  async deleted(caller: AuthContext, romId?: number): Promise<DeletedAssetSchema[]> {
    const rows = await this.visible(caller, await this.deps.repo.deletedVersions(caller.user.id, romId || undefined));
    return toDeletedAssets(rows, (v) => v.save_id, (v) => v.slot, toSaveVersionSchema);
  }

  async versionContent(caller: AuthContext, id: number, versionId: number): Promise<FileDownload> {
    const v = await this.version(caller, id, versionId);
    const found = await this.deps.store.locate(this.deps.store.abs('versions', v.storage_name));
    if (!found) throw notFound('Save version file not found on disk');
    return fileDownload(found, `sv${v.id}`, v.file_name, 'application/octet-stream', 'attachment');
  }

  /**
   * Makes a version the save's content again (the replaced content becomes a version itself). A deleted save comes
   * back under its old id, unless another save now has its file name (409).
   */
  async restore(caller: AuthContext, id: number, versionId: number): Promise<SaveSchema> {
    return this.writes.run(`u${caller.user.id}`, () => this.restoreLocked(caller, id, versionId));
  }

  private async restoreLocked(caller: AuthContext, id: number, versionId: number): Promise<SaveSchema> {
    const userId = caller.user.id;
    const v = await this.version(caller, id, versionId);
    const source = this.deps.store.abs('versions', v.storage_name);
    if (!(await this.deps.store.locate(source))) throw notFound('Save version file not found on disk');
    const save = await this.deps.repo.findOwned(userId, id);
    // Taken after the copy is staged: a file is never newer than its row (the start-up check relies on it).
    let now: number;
    if (save) {
      const dir = await this.deps.store.ensureDir(save.file_path);
      await this.checkQuota(userId, v.file_size_bytes - save.file_size_bytes);
      const temp = await this.deps.store.stageCopy(dir, source);
      now = this.now();
      await this.replaceContent(save, temp, this.deps.store.abs(save.file_path, save.file_name), v.content_hash, 'restore', now);
      await this.deps.repo.update(id, { file_size_bytes: v.file_size_bytes, content_hash: v.content_hash, missing_from_fs: 0, updated_at: now });
    } else {
      const taken = await this.deps.repo.findByPath(userId, v.rom_id, v.file_path, v.file_name);
      if (taken) throw conflict(`Save with ID ${taken.id} now has the file name '${v.file_name}'`);
      await this.checkQuota(userId, v.file_size_bytes);
      const dir = await this.deps.store.ensureDir(v.file_path);
      const temp = await this.deps.store.stageCopy(dir, source);
      now = this.now();
      await this.deps.store.commit(temp, this.deps.store.abs(v.file_path, v.file_name));
      await this.deps.repo.insert({
        id, rom_id: v.rom_id, user_id: userId, file_name: v.file_name, ...assetNameFields(v.file_name), file_path: v.file_path,
        file_size_bytes: v.file_size_bytes, missing_from_fs: 0, emulator: v.emulator, slot: v.slot, content_hash: v.content_hash,
        origin_device_id: null, is_public: 0, created_at: now, updated_at: now,
      });
      await this.deps.repo.assetsChanged(userId, false);
    }
    return this.schema(await this.mustFind(id), null);
  }

  /**
   * Start-up check after a crash: a save file newer than its row was renamed into place by a write the process did
   * not live to record (every write stages the file before it takes the row's time). Such a row takes the file's
   * size and hash (the replaced content is already a version). Returns how many rows were corrected.
   */
  async reconcileFiles(): Promise<number> {
    let fixed = 0;
    for (const stamp of await this.deps.repo.stamps()) {
      const changed = await this.writes.run(`u${stamp.user_id}`, async () => {
        const save = await this.deps.repo.findOwned(stamp.user_id, stamp.id);
        if (!save) return false;
        const found = await this.deps.store.locate(this.deps.store.abs(save.file_path, save.file_name));
        if (!found || found.mtimeMs <= save.updated_at) return false;
        const hash = await contentHash(found.path, await fileMd5(found.path));
        if (hash === save.content_hash && found.size === save.file_size_bytes) return false;
        await this.deps.repo.update(save.id, { file_size_bytes: found.size, content_hash: hash, missing_from_fs: 0, updated_at: Math.ceil(found.mtimeMs) });
        return true;
      });
      if (changed) fixed++;
    }
    return fixed;
  }

  // Sync transports (file transfer, push-pull): the device's owner acts, with no request behind it.

  /** The stored file of one of the user's saves; null when the save or its file is gone. */
  async syncSource(userId: number, saveId: number): Promise<{ path: string; size: number } | null> {
    const save = await this.deps.repo.findOwned(userId, saveId);
    if (!save) return null;
    const found = await this.deps.store.locate(this.deps.store.abs(save.file_path, save.file_name));
    return found ? { path: found.path, size: found.size } : null;
  }

  /** The device now holds the save's current content. */
  async syncMark(userId: number, deviceId: string, saveId: number): Promise<void> {
    const save = await this.deps.repo.findOwned(userId, saveId);
    if (save) await this.markSynced(userId, deviceId, save);
  }

  /**
   * New content for one of the user's saves from a device's sync transport, written as an upload is: staged next to
   * the save (MAX_ASSET_UPLOAD_SIZE_BYTES applies), quota-checked, the replaced content kept as a version, renamed
   * into place; then the device is marked as holding it. Identical content only marks the device.
   */
  async replaceFromSync(userId: number, saveId: number, deviceId: string, source: Readable): Promise<{ id: number; content_hash: string | null; updated_at: number }> {
    const stale = await this.deps.repo.findOwned(userId, saveId);
    if (!stale) {
      source.resume();
      throw saveNotFound(saveId);
    }
    const dir = await this.deps.store.ensureDir(stale.file_path);
    const staged = await this.deps.store.stage(dir, { filename: stale.file_name, file: source, truncated: () => false }, this.deps.limits.maxUploadBytes, 'Save file');
    return this.writes.run(`u${userId}`, async () => {
      try {
        const save = await this.deps.repo.findOwned(userId, saveId);
        if (!save) throw saveNotFound(saveId);
        const hash = await contentHash(staged.temp, staged.md5);
        if (hash !== save.content_hash) {
          await this.checkQuota(userId, staged.size - save.file_size_bytes);
          const now = this.now();
          await this.replaceContent(save, staged.temp, this.deps.store.abs(save.file_path, save.file_name), hash, 'overwrite', now);
          await this.deps.repo.update(save.id, { file_size_bytes: staged.size, content_hash: hash, missing_from_fs: 0, updated_at: now });
        }
        const fresh = await this.mustFind(save.id);
        await this.markSynced(userId, deviceId, fresh);
        return { id: fresh.id, content_hash: fresh.content_hash, updated_at: fresh.updated_at };
      } finally {
        await this.deps.store.discard(staged.temp);
      }
    });
  }

  // Internals

  /** RomM's `_resolve_device` (§6.4): scope first, then the caller's own device. */
  private async resolveDevice(caller: AuthContext, deviceId: string | undefined, mode: 'read' | 'write'): Promise<Device | null> {
    if (deviceId === undefined || deviceId === '') return null;
    if (!caller.scopes.has(mode === 'read' ? 'devices.read' : 'devices.write')) throw forbidden('Forbidden');
    return this.device(caller.user.id, deviceId);
  }

  private async device(userId: number, deviceId: string): Promise<Device> {
    const device = await this.deps.repo.device(userId, deviceId);
    if (!device) throw notFound(`Device with ID ${deviceId} not found`);
    return device;
  }

  private async owned(caller: AuthContext, id: number): Promise<SaveRow> {
    const save = await this.deps.repo.findOwned(caller.user.id, id);
    if (!save) throw saveNotFound(id);
    await this.deps.visibility.assertRom(save.rom_id, caller.user.id, () => saveNotFound(id));
    return save;
  }

  private async mustFind(id: number): Promise<SaveRow> {
    const save = await this.deps.repo.find(id);
    if (!save) throw saveNotFound(id);
    return save;
  }

  private async version(caller: AuthContext, id: number, versionId: number) {
    const v = await this.deps.repo.version(caller.user.id, id, versionId);
    if (!v) throw notFound(`Version with ID ${versionId} of save ${id} not found`);
    await this.deps.visibility.assertRom(v.rom_id, caller.user.id, () => saveNotFound(id));
    return v;
  }

  /** RomM's "continue playing" image: the screenshot paired with the user's latest save of the ROM, if it has one. */
  async latestScreenshotPath(userId: number, romId: number): Promise<string | null> {
    const [latest] = await this.deps.repo.forRom(userId, romId);
    if (!latest) return null;
    const shot = await this.screenshotOf(latest);
    return shot ? toScreenshotSchema(shot).download_path : null;
  }

  /** Rows of ROMs hidden from the caller are left out. */
  private async visible<R extends { rom_id: number }>(caller: AuthContext, rows: R[]): Promise<R[]> {
    const hidden = await this.deps.visibility.hiddenFor(caller.user.id);
    if (hidesNothing(hidden)) return rows;
    const ids = await this.deps.visibility.hiddenRomIds(hidden);
    return rows.filter((r) => !ids.has(r.rom_id));
  }

  private async schema(save: SaveRow, device: Device | null): Promise<SaveSchema> {
    const syncs = device ? await this.deps.repo.syncs(save.id) : [];
    return toSaveSchema(save, await this.screenshotOf(save), deviceSyncs(save, syncs, device));
  }

  private async screenshotOf(save: SaveRow): Promise<ScreenshotRow | null> {
    const names = [...new Set([save.file_name, save.file_name_no_ext])];
    return pairedScreenshot(save, await this.deps.shots.screenshotsNamed(save.user_id, save.rom_id, names));
  }

  private async markSynced(userId: number, deviceId: string, save: SaveRow): Promise<void> {
    const now = this.now();
    await this.deps.repo.upsertSync(deviceId, save.id, { lastSyncedAt: save.updated_at, isUntracked: false }, now);
    await this.deps.repo.touchDevice(userId, deviceId, now);
  }

  /** RomM's conflict guard (§6.5 step 4), for a device upload without `overwrite`. */
  private async conflictGuard(device: Device, userId: number, romId: number, slot: string | null, existing: SaveRow | undefined): Promise<void> {
    if (slot !== null) {
      const latest = (await this.deps.repo.inSlot(userId, romId, slot))[0];
      if (!latest) return;
      const mark = await this.deps.repo.sync(device.id, latest.id);
      if (!mark || mark.last_synced_at < latest.updated_at) throw conflict('Slot has a newer save since your last sync');
      return;
    }
    if (!existing) return;
    const mark = await this.deps.repo.sync(device.id, existing.id);
    if (mark && mark.last_synced_at < existing.updated_at) throw conflict('Save has been updated since your last sync');
  }

  private async checkQuota(userId: number, growth: number): Promise<void> {
    const quota = this.deps.limits.quotaBytes;
    if (quota <= 0 || growth <= 0) return;
    const used = await this.deps.repo.usage(userId);
    if (used + growth > quota) {
      throw new AppError(413, `Storage quota exceeded: this upload needs ${growth} more bytes, ${Math.max(quota - used, 0)} of your ${quota} bytes are free`);
    }
  }

  private async sizeOf(save: SaveRow): Promise<number | null> {
    return (await this.deps.store.locate(this.deps.store.abs(save.file_path, save.file_name)))?.size ?? null;
  }

  /**
   * Puts a staged file at `dest`, the new content of `save`. The content it replaces (at `dest`, or at the save's old
   * place when it moves) is first kept as a version, unless it is identical (same hash); an old file no other save
   * uses is removed after the move.
   */
  private async replaceContent(save: SaveRow, temp: string, dest: string, newHash: string | null, reason: 'overwrite' | 'restore', now: number): Promise<void> {
    const store = this.deps.store;
    const current = store.abs(save.file_path, save.file_name);
    if (save.content_hash === null || save.content_hash !== newHash) await this.keepVersion(save, reason, now);
    await store.commit(temp, dest);
    if (current !== dest && (await this.deps.repo.fileUsers(save.file_path, save.file_name, save.id)) === 0) {
      await store.remove(current);
    }
  }

  /** Keeps the save's current file as a version (when versions are on and the file exists), then prunes. */
  private async keepVersion(save: SaveRow, reason: 'overwrite' | 'delete' | 'restore', now: number): Promise<void> {
    if (this.deps.limits.versionsKeep <= 0) return;
    const storageName = `${userFolder(save.user_id)}/saves/${save.id}/${randomUUID()}`;
    const kept = await this.deps.store.preserve(this.deps.store.abs(save.file_path, save.file_name), this.deps.store.abs('versions', storageName));
    if (!kept) return;
    await this.deps.repo.insertVersion({
      save_id: save.id, user_id: save.user_id, rom_id: save.rom_id, file_name: save.file_name, file_path: save.file_path,
      emulator: save.emulator, slot: save.slot, storage_name: storageName, file_size_bytes: save.file_size_bytes,
      content_hash: save.content_hash, reason, content_updated_at: save.updated_at, created_at: now,
    });
    await this.prune(save.user_id, save.id, now);
  }

  /** Drops versions beyond SAVE_VERSIONS_KEEP (newest kept) and those older than SAVE_VERSIONS_DAYS. */
  private async prune(userId: number, saveId: number, now: number): Promise<void> {
    const { versionsKeep, versionsDays } = this.deps.limits;
    const cutoff = versionsDays > 0 ? now - versionsDays * 86_400_000 : -Infinity;
    const list = await this.deps.repo.versions(userId, saveId);
    for (const [i, v] of list.entries()) {
      if (i < versionsKeep && v.created_at >= cutoff) continue;
      await this.deps.repo.deleteVersion(v.id);
      await this.deps.store.remove(this.deps.store.abs('versions', v.storage_name));
    }
  }

  /** Deletes a save: its content becomes a version first, then the row and (unless shared) the file go. */
  private async removeSave(save: SaveRow): Promise<void> {
    await this.keepVersion(save, 'delete', this.now());
    await this.deps.repo.delete(save.id);
    await this.deps.repo.assetsChanged(save.user_id, save.is_public === 1);
    if ((await this.deps.repo.fileUsers(save.file_path, save.file_name, save.id)) === 0) {
      await this.deps.store.remove(this.deps.store.abs(save.file_path, save.file_name));
    }
  }

  private async touchLastPlayed(romId: number, userId: number): Promise<void> {
    const now = this.now();
    await this.deps.romUser.findOrCreate(romId, userId, now);
    await this.deps.romUser.update(romId, userId, { last_played: now, updated_at: now });
  }
}
