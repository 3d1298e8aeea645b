import { randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { KeyedLock } from '../../common/keyed-lock.ts';
import { AppError } from '../../common/errors.ts';
import { isInside } from '../../common/paths.ts';
import { nowMs } from '../../common/time.ts';
import type { TransportDevice } from '../../db/repositories/sync-sessions-repository.ts';
import { contentHash } from '../saves/asset-files.ts';
import type { SavesService } from '../saves/saves-service.ts';
import type { RomVisibility } from '../roms/visibility.ts';
import { compareSaveState } from './comparison.ts';
import type { SyncEvents } from './sync-events.ts';
import { deviceFolder, isSafeDeviceId, isSafeFileName, isSafePlatformSlug, parseIncomingPath, type IncomingFile } from './sync-paths.ts';
import { pairableSaves, TransportSession, type TransportRepo } from './transport-session.ts';
import { cappedMd5 } from './capped-md5.ts';

export interface FileTransferOptions {
  /** `DATA_PATH/sync`. */
  root: string;
  /** ENABLE_SYNC_FOLDER_WATCHER: off, the manual scan answers `disabled` and the watcher does not run. */
  enabled: boolean;
  /** Largest file taken from `incoming/` (MAX_ASSET_UPLOAD_SIZE_BYTES; 0: no limit). */
  maxBytes: number;
}

export interface FileTransferDeps {
  repo: TransportRepo;
  saves: Pick<SavesService, 'syncSource' | 'syncMark' | 'replaceFromSync'>;
  visibility: Pick<RomVisibility, 'dropHidden'>;
  events: SyncEvents;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
}

export type FolderScanResult = { status: 'disabled' } | { status: 'no_devices' } | { status: 'completed'; files_processed: number };

/** What happened to one incoming file. */
type Outcome = 'no_op' | 'upload' | 'download' | 'conflict' | 'skipped' | 'gone';

/** Folders below a platform folder are followed this deep, as RomM takes files at any depth by their base name. */
const MAX_DEPTH = 8;
/** Files taken from one device folder per batch; the rest wait for the next. */
const MAX_FILES_PER_DEVICE = 10_000;
/** Where incoming files are copied before they are read (hidden: the walk never takes it for a device). */
const TEMP_FOLDER = '.romshelf-tmp';

/** A stable, private copy of an incoming file. */
interface Snapshot {
  /** The file's path with its folders' symlinks resolved (checked to be inside the sync root). */
  real: string;
  temp: string;
  hash: string;
  size: number;
  mtimeMs: number;
}

/**
 * RomM 5's file-transfer sync mode: a device drops saves in `<sync>/<device_id>/incoming/<platform_fs_slug>/`; each
 * is paired by file name with the owner's slot saves of that platform and compared as negotiation compares: the same
 * content is removed, newer device content replaces the server's (through the saves service: versions, quota), newer
 * server content is written to `outgoing/` (atomically), and a conflict is moved to `conflicts/`. Files without a
 * matching save stay where they are, as in RomM.
 *
 * Paths are the attack surface: every name from the folder is checked, symlinks are never followed (the walk skips
 * them, files are opened with O_NOFOLLOW, folders written to are real folders inside the sync root), and files over
 * the save size limit are refused.
 */
export class FileTransferSync {
  private readonly now: () => number;
  /** One batch per device at a time: the watcher and the manual scan never process a file twice at once. */
  private readonly devices = new KeyedLock();

  constructor(private readonly deps: FileTransferDeps, readonly options: FileTransferOptions) {
    this.now = deps.now ?? nowMs;
  }

  /** RomM's "Sync Folder Scan" task: every enabled file-transfer device's incoming files, one session each. */
  async scanAll(): Promise<FolderScanResult> {
    if (!this.options.enabled) return { status: 'disabled' };
    const devices = await this.deps.repo.transportDevicesByMode('file_transfer');
    if (devices.length === 0) return { status: 'no_devices' };
    let total = 0;
    for (const device of devices) {
      if (!device.sync_enabled || !isSafeDeviceId(device.id)) continue;
      const files = await this.listIncoming(device.id);
      if (files.length === 0) continue;
      await this.processDevice(device.id, files);
      total += files.length;
    }
    return { status: 'completed', files_processed: total };
  }

  /** The regular files under a device's `incoming/` (symlinks and unsafe names skipped), at most 10,000. */
  async listIncoming(deviceId: string): Promise<IncomingFile[]> {
    if (!isSafeDeviceId(deviceId)) return [];
    const incoming = deviceFolder(this.options.root, deviceId, 'incoming');
    if (!(await this.isRealDir(incoming))) return [];
    const out: IncomingFile[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (out.length >= MAX_FILES_PER_DEVICE) return;
        const full = path.join(dir, entry.name);
        // Dirent types come from lstat: a symlink is neither a file nor a directory here.
        if (entry.isDirectory() && depth < MAX_DEPTH && isSafeFileName(entry.name)) await walk(full, depth + 1);
        else if (entry.isFile() && depth > 0) {
          const parsed = parseIncomingPath(this.options.root, full);
          if (parsed) out.push(parsed);
        }
      }
    };
    let platforms;
    try {
      platforms = await readdir(incoming, { withFileTypes: true });
    } catch {
      return [];
    }
    for (const p of platforms) {
      if (p.isDirectory() && isSafePlatformSlug(p.name)) await walk(path.join(incoming, p.name), 1);
    }
    return out;
  }

  /**
   * One batch of a device's incoming files in one session (RomM's `_process_device_incoming`). Unknown devices and
   * devices not in file-transfer mode or with sync disabled are skipped.
   */
  async processDevice(deviceId: string, files: readonly IncomingFile[]): Promise<number | null> {
    if (!isSafeDeviceId(deviceId)) return null;
    return this.devices.run(deviceId, async () => {
      const { repo, events, log } = this.deps;
      const device = await repo.transportDevice(deviceId);
      if (!device) {
        log.warn({ deviceId }, 'sync folder: unknown device, skipped');
        return null;
      }
      if (device.sync_mode !== 'file_transfer' || !device.sync_enabled) {
        log.info({ deviceId }, 'sync folder: device is not an enabled file-transfer device, skipped');
        return null;
      }
      const mine = files.filter((f) => f.deviceId === deviceId);
      const session = await TransportSession.open(repo, events, device, 'file_transfer', this.now);
      await session.start(mine.length);
      for (const file of mine) {
        try {
          const outcome = await this.processFile(device, session, file);
          if (outcome !== 'gone') session.completed++;
        } catch (err) {
          log.warn({ err, deviceId, file: file.fileName }, 'sync folder: file failed');
          session.fileFailed(file.fileName, err);
        }
        session.progress(file.fileName);
      }
      await session.finish();
      return session.id;
    });
  }

  private async processFile(device: TransportDevice, session: TransportSession, file: IncomingFile): Promise<Outcome> {
    const { repo, saves, visibility, log } = this.deps;
    const platformId = await repo.platformIdByFsSlug(file.platformSlug);
    if (platformId === undefined) {
      log.warn({ platform: file.platformSlug }, 'sync folder: unknown platform folder, file left in place');
      return 'skipped';
    }
    const snap = await this.snapshot(file.fullPath);
    if (!snap) return 'gone';
    try {
      const { saves: candidates, marks } = await pairableSaves(repo, visibility, device, platformId);
      const save = candidates.find((s) => s.file_name === file.fileName);
      if (!save) {
        log.info({ file: file.fileName, platform: file.platformSlug }, 'sync folder: no matching save, file left in place');
        return 'skipped';
      }
      const result = compareSaveState(snap.hash, Math.floor(snap.mtimeMs), save.content_hash, save.updated_at, marks.get(save.id)?.last_synced_at ?? null);
      switch (result.action) {
        case 'no_op':
          await saves.syncMark(device.user_id, device.id, save.id);
          await this.removeIfUnchanged(snap);
          return 'no_op';
        case 'upload':
          await saves.replaceFromSync(device.user_id, save.id, device.id, createReadStream(snap.temp));
          await this.removeIfUnchanged(snap);
          return 'upload';
        case 'download': {
          const source = await saves.syncSource(device.user_id, save.id);
          if (!source) throw new Error('Save file not found on disk');
          await this.writeOutgoing(device.id, file.platformSlug, file.fileName, source.path);
          await saves.syncMark(device.user_id, device.id, save.id);
          await this.removeIfUnchanged(snap);
          return 'download';
        }
        case 'conflict': {
          const dir = await this.ensureDeviceDir(device.id, 'conflicts', file.platformSlug);
          await rename(snap.real, path.join(dir, file.fileName));
          log.warn({ file: file.fileName, deviceId: device.id, reason: result.reason }, 'sync folder: conflict, moved to conflicts/');
          session.conflict(file.fileName, save.rom_id, result.reason);
          return 'conflict';
        }
      }
    } finally {
      await unlink(snap.temp).catch(() => undefined);
    }
  }

  /**
   * Copies the incoming file, opened without following a symlink and only when it is a regular file within the size
   * limit whose folder really is inside the sync root, to a private temporary file; hashes it as saves are hashed.
   * Null when the file is gone.
   */
  private async snapshot(full: string): Promise<Snapshot | null> {
    const root = await realpath(this.options.root);
    let realDir: string;
    try {
      realDir = await realpath(path.dirname(full));
    } catch {
      return null;
    }
    if (!isInside(root, realDir)) throw new AppError(400, 'File is outside the sync folder');
    const real = path.join(realDir, path.basename(full));
    let fh;
    try {
      fh = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'ELOOP') throw new AppError(400, 'File is a symbolic link');
      throw err;
    }
    const tempDir = path.join(this.options.root, TEMP_FOLDER);
    await mkdir(tempDir, { recursive: true });
    const temp = path.join(tempDir, randomUUID());
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new AppError(400, 'Not a regular file');
      const max = this.options.maxBytes;
      if (max > 0 && st.size > max) throw new AppError(413, `Save file exceeds the maximum allowed size of ${max} bytes`);
      const counter = cappedMd5(max);
      await pipeline(fh.createReadStream({ start: 0, autoClose: false }), counter.stream, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
      return { real, temp, hash: await contentHash(temp, counter.md5()), size: counter.size(), mtimeMs: st.mtimeMs };
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    } finally {
      await fh.close();
    }
  }

  /** The device may have written the file again meanwhile: then it stays for the next batch. */
  private async removeIfUnchanged(snap: Snapshot): Promise<void> {
    try {
      const st = await lstat(snap.real);
      if (st.isFile() && st.size === snap.size && st.mtimeMs === snap.mtimeMs) await unlink(snap.real);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** The server's content at `outgoing/<platform>/<name>`, through a temporary file renamed into place. */
  private async writeOutgoing(deviceId: string, platformSlug: string, fileName: string, source: string): Promise<void> {
    const dir = await this.ensureDeviceDir(deviceId, 'outgoing', platformSlug);
    const temp = path.join(dir, `.romshelf-${randomUUID()}.tmp`);
    try {
      await pipeline(createReadStream(source), createWriteStream(temp, { flags: 'wx', mode: 0o644 }));
      const fh = await open(temp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, path.join(dir, fileName));
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  }

  /** `<root>/<device>/<kind>/<platform>`, created segment by segment; any existing segment must be a real folder. */
  private async ensureDeviceDir(deviceId: string, kind: 'outgoing' | 'conflicts', platformSlug: string): Promise<string> {
    let dir = path.resolve(this.options.root);
    await mkdir(dir, { recursive: true });
    for (const segment of [deviceId, kind, platformSlug]) {
      dir = path.join(dir, segment);
      try {
        await mkdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      if (!(await this.isRealDir(dir))) throw new AppError(400, `${path.relative(this.options.root, dir)} is not a folder inside the sync folder`);
    }
    return deviceFolder(this.options.root, deviceId, kind, platformSlug);
  }

  private async isRealDir(dir: string): Promise<boolean> {
    try {
      return (await lstat(dir)).isDirectory();
    } catch {
      return false;
    }
  }
}
