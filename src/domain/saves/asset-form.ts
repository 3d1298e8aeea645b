import { badRequest } from '../../common/errors.ts';
import type { AssetRom } from '../../db/repositories/saves-repository.ts';
import type { NewScreenshot, ScreenshotRow } from '../../db/repositories/screenshots-repository.ts';
import type { ScreenshotsTable } from '../../db/schema.ts';
import type { Updateable } from 'kysely';
import { assetFileName, assetNameFields, userFolder, type AssetStore, type StagedFile, type UploadPart } from './asset-files.ts';

/** A file part of an upload form, with its field name. */
export interface FormFile extends UploadPart {
  field: string;
}

/** The screenshot rows an upload's `screenshotFile` writes. */
export interface ScreenshotWriter {
  screenshotByName(userId: number, romId: number, fileName: string): Promise<ScreenshotRow | undefined>;
  insertScreenshot(row: NewScreenshot): Promise<void>;
  updateScreenshot(id: number, set: Updateable<ScreenshotsTable>): Promise<void>;
}

export const screenshotFolder = (userId: number, rom: AssetRom): string =>
  ['users', userFolder(userId), 'screenshots', rom.slug, String(rom.id)].join('/');

/** The staged files of one upload form. */
export class StagedForm {
  main: { name: string; staged: StagedFile } | null = null;
  shot: { name: string; staged: StagedFile } | null = null;

  constructor(private readonly store: AssetStore, private readonly shotBytes: (name: string) => Promise<number>) {}

  sizes(): number {
    return (this.main?.staged.size ?? 0) + (this.shot?.staged.size ?? 0);
  }

  /** Bytes of the screenshot the staged one replaces. */
  async replacedShotBytes(): Promise<number> {
    return this.shot ? this.shotBytes(this.shot.name) : 0;
  }

  async discard(): Promise<void> {
    if (this.main) await this.store.discard(this.main.staged.temp);
    if (this.shot) await this.store.discard(this.shot.staged.temp);
    this.main = null;
    this.shot = null;
  }
}

/**
 * Reads an upload form: the main file field and `screenshotFile` are staged next to their destinations (sanitized
 * names, size-limited); other parts are drained. The caller discards what it does not commit.
 */
export async function readAssetForm(
  store: AssetStore, shots: ScreenshotWriter, parts: AsyncIterable<FormFile>, folder: string, userId: number, rom: AssetRom,
  field: string, label: string, what: string, maxBytes: number,
): Promise<StagedForm> {
  const shotFolder = screenshotFolder(userId, rom);
  const form = new StagedForm(store, async (name) => (await shots.screenshotByName(userId, rom.id, name))?.file_size_bytes ?? 0);
  try {
    for await (const part of parts) {
      if (part.field === field && !form.main) {
        if (!part.filename) throw badRequest(`${label} has no filename`);
        const name = assetFileName(part.filename, what);
        const dir = await store.ensureDir(folder);
        form.main = { name, staged: await store.stage(dir, part, maxBytes, label) };
      } else if (part.field === 'screenshotFile' && !form.shot && part.filename) {
        const name = assetFileName(part.filename, 'screenshot');
        const dir = await store.ensureDir(shotFolder);
        form.shot = { name, staged: await store.stage(dir, part, maxBytes, 'Screenshot file') };
      } else {
        part.file.resume();
      }
    }
  } catch (err) {
    await form.discard();
    throw err;
  }
  return form;
}

/** Upserts the screenshot row of a staged `screenshotFile` by (rom, user, file name) and moves the file in place. */
export async function storeScreenshot(
  shots: ScreenshotWriter, store: AssetStore, form: StagedForm, userId: number, rom: AssetRom, now: number, isGallery = false,
): Promise<number | null> {
  const shot = form.shot;
  if (!shot) return null;
  const folder = screenshotFolder(userId, rom);
  await store.commit(shot.staged.temp, store.abs(folder, shot.name));
  form.shot = null;
  const existing = await shots.screenshotByName(userId, rom.id, shot.name);
  if (existing) {
    await shots.updateScreenshot(existing.id, {
      file_path: folder, file_size_bytes: shot.staged.size, missing_from_fs: 0, updated_at: now, ...(isGallery ? { is_gallery: 1 } : {}),
    });
    return existing.id;
  }
  await shots.insertScreenshot({
    rom_id: rom.id, user_id: userId, file_name: shot.name, ...assetNameFields(shot.name), file_path: folder,
    file_size_bytes: shot.staged.size, missing_from_fs: 0, is_gallery: isGallery ? 1 : 0, is_public: 0, created_at: now, updated_at: now,
  });
  return (await shots.screenshotByName(userId, rom.id, shot.name))?.id ?? null;
}
