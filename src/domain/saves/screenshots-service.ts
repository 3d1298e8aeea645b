import type { AuthContext } from '../../auth/context.ts';
import { AppError, badRequest, notFound, unprocessable } from '../../common/errors.ts';
import type { ScreenshotSchema } from '../../contract/saves.ts';
import type { SavesRepository } from '../../db/repositories/saves-repository.ts';
import type { ScreenshotsRepository } from '../../db/repositories/screenshots-repository.ts';
import { fileDownload, type FileDownload } from '../downloads/downloads-service.ts';
import { mediaFor } from '../downloads/names.ts';
import type { RomVisibility } from '../roms/visibility.ts';
import type { AssetStore } from './asset-files.ts';
import { readAssetForm, screenshotFolder, storeScreenshot, type FormFile } from './asset-form.ts';
import { toScreenshotSchema, withOwner } from './mapper.ts';
import type { AssetLimits } from './saves-service.ts';

export interface ScreenshotsServiceDeps {
  repo: ScreenshotsRepository;
  shared: Pick<SavesRepository, 'rom' | 'usage'>;
  store: AssetStore;
  visibility: Pick<RomVisibility, 'assertRom'>;
  limits: AssetLimits;
  now?: () => number;
}

const IMAGE_EXTENSIONS = ['.avif', '.bmp', '.gif', '.jpeg', '.jpg', '.png', '.tif', '.tiff', '.webp'];
const screenshotNotFound = () => notFound('Screenshot not found');

/** A user's screenshot gallery (romm-api-clients.md §6.7); there is no list route, DetailedRom carries them. */
export class ScreenshotsService {
  private readonly now: () => number;

  constructor(private readonly deps: ScreenshotsServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The user's screenshots of a ROM (gallery and save/state thumbnails), newest first (DetailedRom). */
  async forRom(userId: number, romId: number): Promise<ScreenshotSchema[]> {
    return (await this.deps.repo.screenshotsForRom(userId, romId)).map(toScreenshotSchema);
  }

  /** Gallery screenshots the user may see (own and others' public), newest first, with owners (`all_user_screenshots`). */
  async sharedGallery(userId: number, romId: number): Promise<object[]> {
    return (await this.deps.repo.sharedGallery(userId, romId)).map((r) => withOwner(toScreenshotSchema(r), r));
  }

  async upload(caller: AuthContext, romId: number, parts: AsyncIterable<FormFile>): Promise<ScreenshotSchema> {
    const userId = caller.user.id;
    const rom = await this.deps.shared.rom(romId);
    if (!rom) throw notFound(`Rom with id '${romId}' not found`);
    await this.deps.visibility.assertRom(rom.id, userId);
    const form = await readAssetForm(
      this.deps.store, this.deps.repo, parts, screenshotFolder(userId, rom), userId, rom, 'screenshotFile', 'Screenshot file',
      'screenshot', this.deps.limits.maxUploadBytes,
    );
    try {
      if (!form.main) throw unprocessable('Field required: screenshotFile');
      const dot = form.main.name.lastIndexOf('.');
      const ext = dot > 0 ? form.main.name.slice(dot).toLowerCase() : '';
      if (!IMAGE_EXTENSIONS.includes(ext)) throw badRequest(`Unsupported image file type. Allowed: ${IMAGE_EXTENSIONS.join(', ')}`);
      const replaced = (await this.deps.repo.screenshotByName(userId, rom.id, form.main.name))?.file_size_bytes ?? 0;
      await this.checkQuota(userId, form.main.staged.size - replaced);
      form.shot = form.main;
      form.main = null;
      const id = await storeScreenshot(this.deps.repo, this.deps.store, form, userId, rom, this.now(), true);
      const row = id === null ? undefined : await this.deps.repo.screenshot(id);
      if (!row) throw screenshotNotFound();
      return toScreenshotSchema(row);
    } finally {
      await form.discard();
    }
  }

  /** The owner's screenshot or another user's public one; images inline with nosniff. */
  async content(caller: AuthContext, id: number): Promise<FileDownload> {
    const row = await this.deps.repo.screenshot(id);
    if (!row || (row.user_id !== caller.user.id && row.is_public !== 1)) throw screenshotNotFound();
    await this.deps.visibility.assertRom(row.rom_id, caller.user.id, screenshotNotFound);
    const found = await this.deps.store.locate(this.deps.store.abs(row.file_path, row.file_name));
    if (!found) throw notFound('Screenshot file not found on disk');
    const media = mediaFor(row.file_name, null);
    return fileDownload(found, `ss${row.id}`, row.file_name, media.contentType, media.disposition);
  }

  async setVisibility(caller: AuthContext, id: number, isPublic: boolean): Promise<ScreenshotSchema> {
    const row = await this.owned(caller, id);
    await this.deps.repo.updateScreenshot(id, { is_public: isPublic ? 1 : 0 });
    return toScreenshotSchema({ ...row, is_public: isPublic ? 1 : 0 });
  }

  async delete(caller: AuthContext, id: number): Promise<void> {
    const row = await this.owned(caller, id);
    await this.deps.repo.deleteScreenshot(id);
    await this.deps.store.remove(this.deps.store.abs(row.file_path, row.file_name));
  }

  private async owned(caller: AuthContext, id: number) {
    const row = await this.deps.repo.screenshot(id);
    if (!row || row.user_id !== caller.user.id) throw screenshotNotFound();
    await this.deps.visibility.assertRom(row.rom_id, caller.user.id, screenshotNotFound);
    return row;
  }

  private async checkQuota(userId: number, growth: number): Promise<void> {
    const quota = this.deps.limits.quotaBytes;
    if (quota <= 0 || growth <= 0) return;
    const used = await this.deps.shared.usage(userId);
    if (used + growth > quota) {
      throw new AppError(413, `Storage quota exceeded: this upload needs ${growth} more bytes, ${Math.max(quota - used, 0)} of your ${quota} bytes are free`);
    }
  }
}
