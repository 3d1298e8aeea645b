import { randomUUID } from 'node:crypto';
import type { AuthContext } from '../../auth/context.ts';
import { KeyedLock } from '../../common/keyed-lock.ts';
import { AppError, badRequest, conflict, notFound, unprocessable } from '../../common/errors.ts';
import type { AssetVersionSchema, DeletedAssetSchema, StateSchema } from '../../contract/saves.ts';
import { hidesNothing } from '../../db/repositories/hidden.ts';
import type { AssetRom, SavesRepository } from '../../db/repositories/saves-repository.ts';
import type { ScreenshotsRepository } from '../../db/repositories/screenshots-repository.ts';
import type { StateRow, StatesRepository } from '../../db/repositories/states-repository.ts';
import { fileDownload, type FileDownload } from '../downloads/downloads-service.ts';
import { mediaFor } from '../downloads/names.ts';
import type { RomVisibility } from '../roms/visibility.ts';
import { assetNameFields, emulatorSegment, fileMd5, userFolder, type AssetStore } from './asset-files.ts';
import { readAssetForm, storeScreenshot, type FormFile, type StagedForm } from './asset-form.ts';
import { pairedScreenshot, toDeletedAssets, toStateSchema, toStateVersionSchema, withOwner } from './mapper.ts';
import { assetFolder, type AssetLimits } from './saves-service.ts';
import type { RomUserRepository } from '../../db/repositories/rom-user-repository.ts';

export interface StatesServiceDeps {
  repo: StatesRepository;
  /** ROM lookup, storage usage and cache versions, shared with saves. */
  shared: Pick<SavesRepository, 'rom' | 'usage' | 'assetsChanged'>;
  /** The screenshots paired with states (by file name), shared with saves and the gallery. */
  shots: ScreenshotsRepository;
  store: AssetStore;
  visibility: Pick<RomVisibility, 'assertRom' | 'hiddenFor' | 'hiddenRomIds'>;
  romUser: Pick<RomUserRepository, 'findOrCreate' | 'update'>;
  limits: AssetLimits;
  now?: () => number;
}

const stateNotFound = (id: number) => notFound(`State with ID ${id} not found`);

/**
 * Emulator states (romm-api-clients.md §6.6) on the same machinery as saves: staged, fsynced uploads, a per-user
 * quota, and previous contents kept as versions. The upsert key is (user, ROM, file name) whatever the emulator.
 */
export class StatesService {
  private readonly now: () => number;
  /** One writer per user at a time once the upload is staged (as for saves). */
  private readonly writes = new KeyedLock();

  constructor(private readonly deps: StatesServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async list(caller: AuthContext, q: { rom_id?: number; platform_id?: number }): Promise<StateSchema[]> {
    const rows = await this.visible(caller, await this.deps.repo.list(caller.user.id, { romId: q.rom_id || undefined, platformId: q.platform_id || undefined }));
    return Promise.all(rows.map((r) => this.schema(r)));
  }

  async identifiers(caller: AuthContext): Promise<number[]> {
    return (await this.visible(caller, await this.deps.repo.list(caller.user.id))).map((r) => r.id);
  }

  async get(caller: AuthContext, id: number): Promise<StateSchema> {
    return this.schema(await this.owned(caller, id));
  }

  /** The user's states of a ROM, newest first (DetailedRom `user_states`). */
  async forRom(userId: number, romId: number): Promise<StateSchema[]> {
    return Promise.all((await this.deps.repo.forRom(userId, romId)).map((r) => this.schema(r)));
  }

  /** The ROM's states the user may see (own and others' public), newest first, with owners (`all_user_states`). */
  async sharedForRom(userId: number, romId: number): Promise<object[]> {
    const rows = await this.deps.repo.sharedForRom(userId, romId);
    return Promise.all(rows.map(async (r) => withOwner(await this.schema(r), r)));
  }

  /** The owner's state, or another user's public one; images inline, anything else as an attachment. */
  async content(caller: AuthContext, id: number): Promise<FileDownload> {
    const state = await this.deps.repo.find(id);
    if (!state || (state.user_id !== caller.user.id && state.is_public !== 1)) throw stateNotFound(id);
    await this.deps.visibility.assertRom(state.rom_id, caller.user.id, () => stateNotFound(id));
    const found = await this.deps.store.locate(this.deps.store.abs(state.file_path, state.file_name));
    if (!found) throw notFound('State file not found on disk');
    const media = mediaFor(state.file_name, null);
    return fileDownload(found, `st${state.id}`, state.file_name, media.contentType, media.disposition);
  }

  async upload(caller: AuthContext, q: { rom_id: number; emulator?: string }, parts: AsyncIterable<FormFile>): Promise<StateSchema> {
    const userId = caller.user.id;
    const rom = await this.deps.shared.rom(q.rom_id);
    if (!rom) throw notFound(`Rom with id '${q.rom_id}' not found`);
    await this.deps.visibility.assertRom(rom.id, userId);
    const emulator = emulatorSegment(q.emulator);
    const folder = assetFolder('states', userId, rom, emulator);
    const form = await readAssetForm(this.deps.store, this.deps.shots, parts, folder, userId, rom, 'stateFile', 'State file', 'state', this.deps.limits.maxUploadBytes);
    return this.writes.run(`u${userId}`, () => this.applyUpload(form, userId, rom, emulator, folder));
  }

  private async applyUpload(form: StagedForm, userId: number, rom: AssetRom, emulator: string | null, folder: string): Promise<StateSchema> {
    try {
      if (!form.main) throw unprocessable('Field required: stateFile');
      const { name, staged } = form.main;
      const existing = await this.deps.repo.findByName(userId, rom.id, name);
      await this.checkQuota(userId, form.sizes() - (existing?.file_size_bytes ?? 0) - (await form.replacedShotBytes()));
      const now = this.now();
      const dest = this.deps.store.abs(folder, name);
      let id: number;
      if (existing) {
        await this.replaceContent(existing, staged.temp, dest, staged.md5, 'overwrite', now);
        await this.deps.repo.update(existing.id, {
          file_path: folder, emulator, file_size_bytes: staged.size, content_hash: staged.md5, missing_from_fs: 0, updated_at: now,
        });
        id = existing.id;
      } else {
        await this.deps.store.commit(staged.temp, dest);
        id = await this.deps.repo.insert({
          rom_id: rom.id, user_id: userId, file_name: name, ...assetNameFields(name), file_path: folder, file_size_bytes: staged.size,
          missing_from_fs: 0, emulator, content_hash: staged.md5, is_public: 0, created_at: now, updated_at: now,
        });
        await this.deps.shared.assetsChanged(userId, false);
      }
      form.main = null;
      await storeScreenshot(this.deps.shots, this.deps.store, form, userId, rom, now);
      await this.touchLastPlayed(rom.id, userId);
      return this.schema(await this.mustFind(id));
    } finally {
      await form.discard();
    }
  }

  async update(caller: AuthContext, id: number, parts: AsyncIterable<FormFile>): Promise<StateSchema> {
    const userId = caller.user.id;
    const state = await this.owned(caller, id);
    const rom = await this.deps.shared.rom(state.rom_id);
    if (!rom) throw stateNotFound(id);
    const form = await readAssetForm(this.deps.store, this.deps.shots, parts, state.file_path, userId, rom, 'stateFile', 'State file', 'state', this.deps.limits.maxUploadBytes);
    return this.writes.run(`u${userId}`, () => this.applyUpdate(form, userId, id, rom));
  }

  private async applyUpdate(form: StagedForm, userId: number, id: number, rom: AssetRom): Promise<StateSchema> {
    try {
      const state = await this.deps.repo.findOwned(userId, id);
      if (!state) throw stateNotFound(id);
      await this.checkQuota(userId, form.sizes() - (form.main ? state.file_size_bytes : 0) - (await form.replacedShotBytes()));
      const now = this.now();
      if (form.main) {
        const { staged } = form.main;
        await this.replaceContent(state, staged.temp, this.deps.store.abs(state.file_path, state.file_name), staged.md5, 'overwrite', now);
        form.main = null;
        await this.deps.repo.update(id, { file_size_bytes: staged.size, content_hash: staged.md5, missing_from_fs: 0, updated_at: now });
      }
      await storeScreenshot(this.deps.shots, this.deps.store, form, userId, rom, now);
      await this.touchLastPlayed(rom.id, userId);
      return this.schema(await this.mustFind(id));
    } finally {
      await form.discard();
    }
  }

  async setVisibility(caller: AuthContext, id: number, isPublic: boolean): Promise<StateSchema> {
    const state = await this.owned(caller, id);
    await this.deps.repo.update(id, { is_public: isPublic ? 1 : 0 });
    if ((state.is_public === 1) !== isPublic) await this.deps.shared.assetsChanged(state.user_id, true);
    const shot = await this.screenshotOf(state);
    if (shot) await this.deps.shots.updateScreenshot(shot.id, { is_public: isPublic ? 1 : 0 });
    return this.schema(await this.mustFind(id));
  }

  async delete(caller: AuthContext, ids: readonly number[]): Promise<number[]> {
    return this.writes.run(`u${caller.user.id}`, () => this.deleteLocked(caller, ids));
  }

  private async deleteLocked(caller: AuthContext, ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) throw badRequest('No states were provided');
    for (const id of ids) {
      const state = await this.owned(caller, id);
      const shot = await this.screenshotOf(state);
      await this.keepVersion(state, 'delete', this.now());
      await this.deps.repo.delete(state.id);
      await this.deps.shared.assetsChanged(state.user_id, state.is_public === 1);
      if ((await this.deps.repo.fileUsers(state.file_path, state.file_name, state.id)) === 0) {
        await this.deps.store.remove(this.deps.store.abs(state.file_path, state.file_name));
      }
      if (shot) {
        await this.deps.shots.deleteScreenshot(shot.id);
        await this.deps.store.remove(this.deps.store.abs(shot.file_path, shot.file_name));
      }
    }
    return [...ids];
  }

  async versions(caller: AuthContext, id: number): Promise<AssetVersionSchema[]> {
    const list = await this.deps.repo.versions(caller.user.id, id);
    const live = await this.deps.repo.findOwned(caller.user.id, id);
    if (!live && list.length === 0) throw stateNotFound(id);
    await this.deps.visibility.assertRom(live?.rom_id ?? list[0]?.rom_id ?? 0, caller.user.id, () => stateNotFound(id));
    return list.map(toStateVersionSchema);
  }

  /** The caller's deleted states that still have versions (optionally of one ROM); hidden ROMs left out. */
  async deleted(caller: AuthContext, romId?: number): Promise<DeletedAssetSchema[]> {
    const rows = await this.visible(caller, await this.deps.repo.deletedVersions(caller.user.id, romId || undefined));
    return toDeletedAssets(rows, (v) => v.state_id, () => null, toStateVersionSchema);
  }

  async versionContent(caller: AuthContext, id: number, versionId: number): Promise<FileDownload> {
    const v = await this.version(caller, id, versionId);
    const found = await this.deps.store.locate(this.deps.store.abs('versions', v.storage_name));
    if (!found) throw notFound('State version file not found on disk');
    return fileDownload(found, `stv${v.id}`, v.file_name, 'application/octet-stream', 'attachment');
  }

  async restore(caller: AuthContext, id: number, versionId: number): Promise<StateSchema> {
    return this.writes.run(`u${caller.user.id}`, () => this.restoreLocked(caller, id, versionId));
  }

  private async restoreLocked(caller: AuthContext, id: number, versionId: number): Promise<StateSchema> {
    const userId = caller.user.id;
    const v = await this.version(caller, id, versionId);
    const source = this.deps.store.abs('versions', v.storage_name);
    if (!(await this.deps.store.locate(source))) throw notFound('State version file not found on disk');
    const state = await this.deps.repo.findOwned(userId, id);
    // Taken after the copy is staged: a file is never newer than its row (the start-up check relies on it).
    let now: number;
    if (state) {
      await this.checkQuota(userId, v.file_size_bytes - state.file_size_bytes);
      const temp = await this.deps.store.stageCopy(await this.deps.store.ensureDir(state.file_path), source);
      now = this.now();
      await this.replaceContent(state, temp, this.deps.store.abs(state.file_path, state.file_name), v.content_hash, 'restore', now);
      await this.deps.repo.update(id, { file_size_bytes: v.file_size_bytes, content_hash: v.content_hash, missing_from_fs: 0, updated_at: now });
    } else {
      const taken = await this.deps.repo.findByName(userId, v.rom_id, v.file_name);
      if (taken) throw conflict(`State with ID ${taken.id} now has the file name '${v.file_name}'`);
      await this.checkQuota(userId, v.file_size_bytes);
      const temp = await this.deps.store.stageCopy(await this.deps.store.ensureDir(v.file_path), source);
      now = this.now();
      await this.deps.store.commit(temp, this.deps.store.abs(v.file_path, v.file_name));
      await this.deps.repo.insert({
        id, rom_id: v.rom_id, user_id: userId, file_name: v.file_name, ...assetNameFields(v.file_name), file_path: v.file_path,
        file_size_bytes: v.file_size_bytes, missing_from_fs: 0, emulator: v.emulator, content_hash: v.content_hash,
        is_public: 0, created_at: now, updated_at: now,
      });
      await this.deps.shared.assetsChanged(userId, false);
    }
    return this.schema(await this.mustFind(id));
  }

  /** The start-up check of saves (SavesService.reconcileFiles) for states; the hash is the plain MD5. */
  async reconcileFiles(): Promise<number> {
    let fixed = 0;
    for (const stamp of await this.deps.repo.stamps()) {
      const changed = await this.writes.run(`u${stamp.user_id}`, async () => {
        const state = await this.deps.repo.findOwned(stamp.user_id, stamp.id);
        if (!state) return false;
        const found = await this.deps.store.locate(this.deps.store.abs(state.file_path, state.file_name));
        if (!found || found.mtimeMs <= state.updated_at) return false;
        const hash = await fileMd5(found.path);
        if (hash === state.content_hash && found.size === state.file_size_bytes) return false;
        await this.deps.repo.update(state.id, { file_size_bytes: found.size, content_hash: hash, missing_from_fs: 0, updated_at: Math.ceil(found.mtimeMs) });
        return true;
      });
      if (changed) fixed++;
    }
    return fixed;
  }

  private async owned(caller: AuthContext, id: number): Promise<StateRow> {
    const state = await this.deps.repo.findOwned(caller.user.id, id);
    if (!state) throw stateNotFound(id);
    await this.deps.visibility.assertRom(state.rom_id, caller.user.id, () => stateNotFound(id));
    return state;
  }

  private async mustFind(id: number): Promise<StateRow> {
    const state = await this.deps.repo.find(id);
    if (!state) throw stateNotFound(id);
    return state;
  }

  private async version(caller: AuthContext, id: number, versionId: number) {
    const v = await this.deps.repo.version(caller.user.id, id, versionId);
    if (!v) throw notFound(`Version with ID ${versionId} of state ${id} not found`);
    await this.deps.visibility.assertRom(v.rom_id, caller.user.id, () => stateNotFound(id));
    return v;
  }

  private async visible<R extends { rom_id: number }>(caller: AuthContext, rows: R[]): Promise<R[]> {
    const hidden = await this.deps.visibility.hiddenFor(caller.user.id);
    if (hidesNothing(hidden)) return rows;
    const ids = await this.deps.visibility.hiddenRomIds(hidden);
    return rows.filter((r) => !ids.has(r.rom_id));
  }

  private async screenshotOf(state: StateRow) {
    const names = [...new Set([state.file_name, state.file_name_no_ext])];
    return pairedScreenshot(state, await this.deps.shots.screenshotsNamed(state.user_id, state.rom_id, names));
  }

  private async schema(state: StateRow): Promise<StateSchema> {
    return toStateSchema(state, await this.screenshotOf(state));
  }

  private async checkQuota(userId: number, growth: number): Promise<void> {
    const quota = this.deps.limits.quotaBytes;
    if (quota <= 0 || growth <= 0) return;
    const used = await this.deps.shared.usage(userId);
    if (used + growth > quota) {
      throw new AppError(413, `Storage quota exceeded: this upload needs ${growth} more bytes, ${Math.max(quota - used, 0)} of your ${quota} bytes are free`);
    }
  }

  /** As for saves: the replaced content (unless identical) becomes a version; a moved state's old file goes. */
  private async replaceContent(state: StateRow, temp: string, dest: string, newHash: string | null, reason: 'overwrite' | 'restore', now: number): Promise<void> {
    const current = this.deps.store.abs(state.file_path, state.file_name);
    if (state.content_hash === null || state.content_hash !== newHash) await this.keepVersion(state, reason, now);
    await this.deps.store.commit(temp, dest);
    if (current !== dest && (await this.deps.repo.fileUsers(state.file_path, state.file_name, state.id)) === 0) {
      await this.deps.store.remove(current);
    }
  }

  private async keepVersion(state: StateRow, reason: 'overwrite' | 'delete' | 'restore', now: number): Promise<void> {
    const { versionsKeep, versionsDays } = this.deps.limits;
    if (versionsKeep <= 0) return;
    const storageName = `${userFolder(state.user_id)}/states/${state.id}/${randomUUID()}`;
    const kept = await this.deps.store.preserve(this.deps.store.abs(state.file_path, state.file_name), this.deps.store.abs('versions', storageName));
    if (!kept) return;
    await this.deps.repo.insertVersion({
      state_id: state.id, user_id: state.user_id, rom_id: state.rom_id, file_name: state.file_name, file_path: state.file_path,
      emulator: state.emulator, storage_name: storageName, file_size_bytes: state.file_size_bytes, content_hash: state.content_hash,
      reason, content_updated_at: state.updated_at, created_at: now,
    });
    const cutoff = versionsDays > 0 ? now - versionsDays * 86_400_000 : -Infinity;
    for (const [i, v] of (await this.deps.repo.versions(state.user_id, state.id)).entries()) {
      if (i < versionsKeep && v.created_at >= cutoff) continue;
      await this.deps.repo.deleteVersion(v.id);
      await this.deps.store.remove(this.deps.store.abs('versions', v.storage_name));
    }
  }

  private async touchLastPlayed(romId: number, userId: number): Promise<void> {
    const now = this.now();
    await this.deps.romUser.findOrCreate(romId, userId, now);
    await this.deps.romUser.update(romId, userId, { last_played: now, updated_at: now });
  }
}
