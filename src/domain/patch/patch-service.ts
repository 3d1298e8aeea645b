import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { DownloadsRepository } from '../../db/repositories/downloads-repository.ts';
import { applyPatch, PatchError, SUPPORTED_PATCH_EXTENSIONS, type PatchResult } from '../../patcher/index.ts';
import type { LibraryFiles } from '../downloads/files.ts';
import { AppError, badRequest, notFound } from '../../common/errors.ts';
import type { RomVisibility } from '../roms/visibility.ts';

export interface PatchSettings {
  maxFileSizeBytes: number;
  maxConcurrency: number;
  timeoutSeconds: number;
  /** Where uploads and outputs are staged (DATA_PATH/tmp): never RAM-backed, removed after each request. */
  tempRoot: string;
}

export interface PatchRequest {
  /** The caller: files of ROMs hidden from them read as missing. */
  userId: number;
  romFileId: number;
  patchFileId?: number | undefined;
  upload?: { path: string; name: string; size: number } | undefined;
  outputFileName?: string | undefined;
}

export interface PatchOutcome {
  result: PatchResult;
  outputPath: string;
  outputName: string;
}

/** Queued patches beyond the running ones; more than this and the server says so instead of piling up work. */
const MAX_WAITING = 8;

const stem = (name: string): string => {
  const ext = path.extname(name);
  return ext ? name.slice(0, -ext.length) : name;
};

/** RomM's output name rule (spec §6.8). */
export function patchedFileName(romName: string, patchName: string, outputFileName?: string): string {
  const suffix = path.extname(romName);
  const chosen = outputFileName?.trim() ? path.basename(outputFileName.trim().replace(/\\/g, '/')) : '';
  if (chosen && chosen !== '.' && chosen !== '..') return `${stem(chosen)}${suffix}`;
  return `${stem(romName)} (patched-${stem(patchName)})${suffix}`;
}

/**
 * Server-side patching (spec §6.8): files come from the database and are confined to the library; patches apply
 * by streaming (any ROM size); each user runs one patch at a time and the server a bounded number.
 */
export class PatchService {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly activeUsers = new Set<number>();

  constructor(
    private readonly repo: DownloadsRepository,
    private readonly files: LibraryFiles,
    private readonly settings: PatchSettings,
    private readonly logger: Logger,
    private readonly visibility: Pick<RomVisibility, 'assertFile'>,
  ) {}

  get maxFileSizeBytes(): number {
    return this.settings.maxFileSizeBytes;
  }

  /** Claims the user's single patch slot before the upload is read; release it with the returned function. */
  claimUserSlot(userId: number): () => void {
    if (this.activeUsers.has(userId)) {
      throw new AppError(429, 'A patch is already in progress for this user; wait for it to finish');
    }
    this.activeUsers.add(userId);
    let released = false;
    return () => {
      if (!released) this.activeUsers.delete(userId);
      released = true;
    };
  }

  async stagingDir(): Promise<string> {
    await mkdir(this.settings.tempRoot, { recursive: true });
    return mkdtemp(path.join(this.settings.tempRoot, 'patch-'));
  }

  async apply(req: PatchRequest, dir: string): Promise<PatchOutcome> {
    const max = this.settings.maxFileSizeBytes;
    if ((req.patchFileId === undefined) === (req.upload === undefined)) {
      throw badRequest('Provide exactly one of a library patch file or an uploaded patch file');
    }
    const rom = await this.libraryFile(req.romFileId, 'ROM', req.userId);
    if (rom.size > max) throw badRequest(`ROM file is too large to patch (${rom.size} bytes, max ${max})`);

    let patchPath: string;
    let patchName: string;
    if (req.upload) {
      patchName = req.upload.name || 'uploaded-patch';
      patchPath = req.upload.path;
      this.checkExtension(patchName);
      if (req.upload.size === 0) throw badRequest('Uploaded patch file is empty');
      if (req.upload.size > max) throw badRequest(`Patch file is too large to patch (${req.upload.size} bytes, max ${max})`);
    } else {
      const patch = await this.libraryFile(req.patchFileId ?? 0, 'Patch', req.userId);
      patchName = patch.name;
      patchPath = patch.path;
      this.checkExtension(patchName);
      if (patch.size > max) throw badRequest(`Patch file is too large to patch (${patch.size} bytes, max ${max})`);
    }

    const outputPath = path.join(dir, 'output.bin');
    await this.acquire();
    try {
      const result = await applyPatch({
        sourcePath: rom.path,
        patchPath,
        targetPath: outputPath,
        limits: { maxTargetSize: max },
        signal: AbortSignal.timeout(this.settings.timeoutSeconds * 1000),
      });
      return { result, outputPath, outputName: patchedFileName(rom.name, patchName, req.outputFileName) };
    } catch (err) {
      if (err instanceof PatchError) throw badRequest(err.message);
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new AppError(503, `Patching took longer than ${this.settings.timeoutSeconds} s and was stopped`);
      }
      this.logger.error({ err }, 'patching failed');
      throw new AppError(500, 'Patching failed');
    } finally {
      this.release();
    }
  }

  async discard(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  private checkExtension(name: string): void {
    const ext = path.extname(name).toLowerCase();
    if (!SUPPORTED_PATCH_EXTENSIONS.includes(ext)) {
      throw badRequest(`Unsupported patch format '${ext}'. Supported: ${[...SUPPORTED_PATCH_EXTENSIONS].sort().join(', ')}`);
    }
  }

  /** A RomFile on disk: 404 for an unknown id (or parent ROM), a distinct 404 when the file left the disk. */
  private async libraryFile(id: number, label: 'ROM' | 'Patch', userId: number): Promise<{ path: string; name: string; size: number }> {
    const file = await this.repo.findFile(id);
    const missing = () => notFound(`${label} file with id ${id} not found`);
    if (!file || !(await this.repo.findRom(file.rom_id))) throw missing();
    await this.visibility.assertFile(id, userId, missing);
    const resolved = await this.files.resolve(file);
    if (!resolved) throw notFound(`${label} file '${file.file_name}' is missing from filesystem`);
    return { path: resolved.path, name: file.file_name, size: resolved.size };
  }

  private async acquire(): Promise<void> {
    if (this.running < this.settings.maxConcurrency) {
      this.running++;
      return;
    }
    if (this.waiting.length >= MAX_WAITING) throw new AppError(503, 'The server is busy patching; try again shortly');
    // The slot is handed over by release(), so `running` stays counted for the waiter.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
