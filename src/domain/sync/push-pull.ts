import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, realpath, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../../common/errors.ts';
import { KeyedLock } from '../../common/keyed-lock.ts';
import { isInside } from '../../common/paths.ts';
import { nowMs } from '../../common/time.ts';
import type { DevicesRepository } from '../../db/repositories/devices-repository.ts';
import type { SlottedSave, TransportDevice } from '../../db/repositories/sync-sessions-repository.ts';
import { sanitizeFilename } from '../downloads/names.ts';
import type { RomVisibility } from '../roms/visibility.ts';
import { contentHash } from '../saves/asset-files.ts';
import type { SavesService } from '../saves/saves-service.ts';
import { compareSaveState } from './comparison.ts';
import { parseKnownHosts } from './known-hosts.ts';
import { SshTransport, type RemoteFile, type SshTarget, type SshTimeouts } from './ssh-transport.ts';
import type { SyncEvents } from './sync-events.ts';
import { isSafeDeviceId, isSafeFileName, isSafePlatformSlug } from './sync-paths.ts';
import { messageOf, pairableSaves, TransportSession, type TransportRepo } from './transport-session.ts';

export interface PushPullOptions {
  /** ENABLE_SYNC_PUSH_PULL: the periodic run; a manual trigger runs regardless (RomM's `force`). */
  enabled: boolean;
  /** SYNC_SSH_KEYS_PATH: the only place a private key is read from, as `<device_id>.pem`. */
  keysPath: string;
  /** SYNC_SSH_KNOWN_HOSTS_PATH: required; a host not in it is never connected to. */
  knownHostsPath: string;
  /** Where remote files are downloaded before they are compared. */
  tempDir: string;
  /** Largest remote file taken (MAX_ASSET_UPLOAD_SIZE_BYTES; 0: no limit). */
  maxBytes: number;
  timeouts: SshTimeouts;
}

export interface PushPullDeps {
  repo: TransportRepo;
  devices: Pick<DevicesRepository, 'update'>;
  saves: Pick<SavesService, 'syncSource' | 'syncMark' | 'replaceFromSync'>;
  visibility: Pick<RomVisibility, 'dropHidden'>;
  events: SyncEvents;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
  /** How a connection is made (tests count or fake it). */
  connect?: typeof SshTransport.connect;
}

/** A device's `save_directories` entry. */
interface SaveDirectory {
  platform_slug: string;
  path: string;
  extension: string;
}

export type PushPullResult =
  | { device_id: string; status: 'completed'; completed: number; failed: number }
  | { device_id: string; status: 'no_directories' }
  | { device_id: string; status: 'failed'; error: string };

export const DEFAULT_SSH_TIMEOUTS: SshTimeouts = { connectMs: 20_000, operationMs: 30_000, transferMs: 300_000 };

/** Remote entries read from one save folder. */
const MAX_REMOTE_FILES = 10_000;
/** A private key file is small; anything bigger is not one. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * RomM 5's push-pull sync mode: the server connects to the device over SSH/SFTP, lists the configured save folders,
 * pairs each file by name with the owner's slot saves of the folder's platform and, as negotiation decides, pulls a
 * newer device file into the save (through the saves service: versions, quota), pushes a newer server save, or
 * reports a conflict; then it pushes the newest save of each slot the device lacks.
 *
 * Beyond RomM: host keys are checked against known_hosts (required; no trust on first use), the private key is only
 * ever `SYNC_SSH_KEYS_PATH/<device_id>.pem` (a `ssh_key_path` in the device's config is ignored), remote names must
 * be plain file names, sizes and every SSH request are bounded, and a save the device deleted after syncing it is not
 * pushed again (as negotiation skips it).
 */
export class PushPullSync {
  private readonly now: () => number;
  private readonly connect: typeof SshTransport.connect;
  /** One run per device at a time; a trigger during a run waits for it. */
  private readonly devices = new KeyedLock();
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: PushPullDeps, readonly options: PushPullOptions) {
    this.now = deps.now ?? nowMs;
    this.connect = deps.connect ?? SshTransport.connect.bind(SshTransport);
  }

  /** Runs one device in the background (the route's trigger); failures end up on the session. */
  start(device: TransportDevice, sessionId: number): void {
    const run = this.runDevice(device, sessionId).catch((err: unknown) => this.deps.log.error({ err, deviceId: device.id }, 'push-pull failed'));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Settles once every background run has (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** The periodic run (RomM's `run_push_pull_sync`): every enabled push-pull device, one after another. */
  async runAll(): Promise<{ status: 'disabled' } | { status: 'no_devices' } | { status: 'completed'; device_results: PushPullResult[] }> {
    if (!this.options.enabled) return { status: 'disabled' };
    const devices = await this.deps.repo.transportDevicesByMode('push_pull');
    if (devices.length === 0) return { status: 'no_devices' };
    const results: PushPullResult[] = [];
    for (const device of devices) {
      if (!device.sync_enabled) continue;
      // As in RomM, a device without a host gets no session from the periodic run (a manual trigger's session fails).
      if (typeof device.sync_config.ssh_host !== 'string' || !device.sync_config.ssh_host.trim()) {
        this.deps.log.warn({ deviceId: device.id }, 'push-pull: device has no ssh_host, skipped');
        continue;
      }
      results.push(await this.runDevice(device));
    }
    return { status: 'completed', device_results: results };
  }

  async runDevice(device: TransportDevice, sessionId?: number): Promise<PushPullResult> {
    return this.devices.run(device.id, () => this.syncDevice(device, sessionId));
  }

  private async syncDevice(device: TransportDevice, sessionId?: number): Promise<PushPullResult> {
    const { repo, events, log } = this.deps;
    const session = await TransportSession.open(repo, events, device, 'push_pull', this.now, sessionId);
    let ssh: SshTransport;
    let dirs: SaveDirectory[];
    try {
      dirs = saveDirectories(device.sync_config);
      // known_hosts first, as RomM checks it first.
      const known = await this.knownHosts();
      ssh = await this.connect(await this.target(device), known, this.options.timeouts);
    } catch (err) {
      log.warn({ err, deviceId: device.id }, 'push-pull: could not connect');
      await session.abort(err);
      return { device_id: device.id, status: 'failed', error: messageOf(err) };
    }
    try {
      if (dirs.length === 0) {
        await session.finish();
        return { device_id: device.id, status: 'no_directories' };
      }
      const remotes: (RemoteFile & { platform: string })[] = [];
      for (const dir of dirs) {
        const files = await ssh.list(dir.path, dir.extension, MAX_REMOTE_FILES);
        if (files === null) log.warn({ deviceId: device.id, path: dir.path }, 'push-pull: remote folder not found');
        for (const f of files ?? []) remotes.push({ ...f, platform: dir.platform_slug });
      }
      await session.start(remotes.length);
      for (const remote of remotes) {
        try {
          if ((await this.processRemote(device, session, ssh, remote)) !== 'skipped') session.completed++;
        } catch (err) {
          log.warn({ err, deviceId: device.id, file: remote.name }, 'push-pull: file failed');
          session.fileFailed(remote.name, err);
        }
        session.progress(remote.name);
      }
      await this.pushMissing(device, session, ssh, remotes, dirs);
    } catch (err) {
      await session.abort(err);
      return { device_id: device.id, status: 'failed', error: messageOf(err) };
    } finally {
      ssh.close();
    }
    await session.finish();
    await this.deps.devices.update(device.user_id, device.id, { last_seen: this.now() });
    return { device_id: device.id, status: 'completed', completed: session.completed, failed: session.failed };
  }

  private async processRemote(
    device: TransportDevice, session: TransportSession, ssh: SshTransport, remote: RemoteFile & { platform: string },
  ): Promise<'skipped' | 'no_op' | 'pulled' | 'pushed' | 'conflict'> {
    const { repo, saves, visibility, log } = this.deps;
    // Only plain names that stay the same once sanitized as an upload's name is may pair with a save.
    if (!isPlainName(remote.name)) {
      log.warn({ deviceId: device.id, file: remote.name }, 'push-pull: remote file name refused');
      return 'skipped';
    }
    const platformId = await repo.platformIdByFsSlug(remote.platform);
    if (platformId === undefined) return 'skipped';
    const { saves: candidates, marks } = await pairableSaves(repo, visibility, device, platformId);
    const save = candidates.find((s) => s.file_name === remote.name);
    if (!save) {
      log.info({ deviceId: device.id, file: remote.name }, 'push-pull: no matching server save, skipped');
      return 'skipped';
    }
    const max = this.options.maxBytes;
    if (max > 0 && remote.size > max) throw new AppError(413, `Save file exceeds the maximum allowed size of ${max} bytes`);
    await mkdir(this.options.tempDir, { recursive: true });
    const temp = path.join(this.options.tempDir, randomUUID());
    try {
      const got = await ssh.download(remote.path, temp, max);
      const hash = await contentHash(temp, got.md5);
      const result = compareSaveState(hash, Math.floor(remote.mtimeMs), save.content_hash, save.updated_at, marks.get(save.id)?.last_synced_at ?? null);
      switch (result.action) {
        case 'no_op':
          await saves.syncMark(device.user_id, device.id, save.id);
          return 'no_op';
        case 'upload':
          await saves.replaceFromSync(device.user_id, save.id, device.id, createReadStream(temp));
          return 'pulled';
        case 'download':
          await this.push(device, ssh, save, remote.path);
          return 'pushed';
        case 'conflict':
          log.warn({ deviceId: device.id, file: remote.name, reason: result.reason }, 'push-pull: conflict');
          session.conflict(remote.name, save.rom_id, result.reason);
          return 'conflict';
      }
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** The newest save of each slot of the configured platforms that the device lacks, unless it dropped it on purpose. */
  private async pushMissing(
    device: TransportDevice, session: TransportSession, ssh: SshTransport, remotes: readonly (RemoteFile & { platform: string })[],
    dirs: readonly SaveDirectory[],
  ): Promise<void> {
    const { repo, visibility, log } = this.deps;
    const onDevice = new Set(remotes.map((r) => `${r.platform}\u0000${r.name}`));
    const firstDir = new Map<string, SaveDirectory>();
    for (const d of dirs) if (!firstDir.has(d.platform_slug)) firstDir.set(d.platform_slug, d);
    for (const dir of firstDir.values()) {
      const platformId = await repo.platformIdByFsSlug(dir.platform_slug);
      if (platformId === undefined) continue;
      const { saves, marks } = await pairableSaves(repo, visibility, device, platformId);
      const newest = new Map<string, SlottedSave>();
      for (const s of saves) {
        const key = JSON.stringify([s.rom_id, s.slot]);
        const current = newest.get(key);
        if (!current || s.updated_at > current.updated_at) newest.set(key, s);
      }
      for (const save of newest.values()) {
        if (onDevice.has(`${dir.platform_slug}\u0000${save.file_name}`)) continue;
        if (dir.extension && !save.file_name.endsWith(dir.extension)) continue;
        const mark = marks.get(save.id);
        if (mark?.is_untracked) continue;
        if (mark && save.updated_at <= mark.last_synced_at) continue;
        try {
          await this.push(device, ssh, save, `${dir.path.replace(/\/+$/, '')}/${save.file_name}`);
          session.completed++;
          log.info({ deviceId: device.id, file: save.file_name }, 'push-pull: pushed a save missing on the device');
        } catch (err) {
          log.warn({ err, deviceId: device.id, file: save.file_name }, 'push-pull: push failed');
          session.fileFailed(save.file_name, err);
        }
        session.progress(save.file_name);
      }
    }
  }

  private async push(device: TransportDevice, ssh: SshTransport, save: SlottedSave, remotePath: string): Promise<void> {
    const source = await this.deps.saves.syncSource(device.user_id, save.id);
    if (!source) throw new Error('Save file not found on disk');
    await ssh.upload(source.path, remotePath);
    await this.deps.saves.syncMark(device.user_id, device.id, save.id);
  }

  /** Host, port and user from the device's config; the key from the keys folder only, else `ssh_password` (RomM). */
  private async target(device: TransportDevice): Promise<SshTarget> {
    const c = device.sync_config;
    const host = typeof c.ssh_host === 'string' ? c.ssh_host.trim() : '';
    if (!host) throw new AppError(400, 'No ssh_host in the device\'s sync_config');
    // A host name or an address, never options or spaces.
    if (!/^[A-Za-z0-9._:-]{1,255}$/.test(host) || host.startsWith('-')) throw new AppError(400, 'Invalid ssh_host in the device\'s sync_config');
    const port = c.ssh_port === undefined || c.ssh_port === null ? 22 : Number(c.ssh_port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new AppError(400, 'Invalid ssh_port in the device\'s sync_config');
    const username = c.ssh_username === undefined || c.ssh_username === null ? 'root' : typeof c.ssh_username === 'string' ? c.ssh_username : '';
    if (!/^[A-Za-z0-9._-][A-Za-z0-9._@-]{0,63}$/.test(username)) throw new AppError(400, 'Invalid ssh_username in the device\'s sync_config');
    const privateKey = await this.privateKey(device.id);
    if (privateKey) return { host, port, username, privateKey };
    if (typeof c.ssh_password === 'string' && c.ssh_password) return { host, port, username, password: c.ssh_password };
    throw new AppError(400, `No SSH private key for this device: put it at ${device.id}.pem in SYNC_SSH_KEYS_PATH`);
  }

  /** `<keys>/<device_id>.pem`, which may be a symlink inside the keys folder (as mounted secrets are); null when absent. */
  private async privateKey(deviceId: string): Promise<Buffer | null> {
    if (!isSafeDeviceId(deviceId)) return null;
    let root: string;
    let real: string;
    try {
      root = await realpath(this.options.keysPath);
      real = await realpath(path.join(this.options.keysPath, `${deviceId}.pem`));
    } catch {
      return null;
    }
    if (!isInside(root, real)) throw new AppError(400, 'The device\'s SSH key file points outside SYNC_SSH_KEYS_PATH');
    const fh = await open(real, 'r');
    try {
      const st = await fh.stat();
      if (!st.isFile() || st.size > MAX_KEY_BYTES) throw new AppError(400, 'The device\'s SSH key file is not a private key');
      return await fh.readFile();
    } finally {
      await fh.close();
    }
  }

  private async knownHosts() {
    let text: string;
    try {
      text = await readFile(this.options.knownHostsPath, 'utf8');
    } catch {
      throw new AppError(400, 'SSH known_hosts file not found: mount one at SYNC_SSH_KNOWN_HOSTS_PATH; push-pull never connects to a host it cannot verify');
    }
    return parseKnownHosts(text);
  }
}

/** The device's `save_directories`: entries with a valid platform folder and a remote path; others are ignored. */
function saveDirectories(config: Record<string, unknown>): SaveDirectory[] {
  const raw = config.save_directories;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new AppError(400, 'save_directories in the device\'s sync_config must be a list');
  const out: SaveDirectory[] = [];
  for (const entry of raw.slice(0, 100)) {
    if (!entry || typeof entry !== 'object') continue;
    const { platform_slug: slug, path: dir, extension } = entry as Record<string, unknown>;
    if (typeof slug !== 'string' || !isSafePlatformSlug(slug)) continue;
    // eslint-disable-next-line no-control-regex
    if (typeof dir !== 'string' || !dir || dir.length > 1024 || /[\u0000-\u001f]/.test(dir)) continue;
    out.push({ platform_slug: slug, path: dir, extension: typeof extension === 'string' ? extension.slice(0, 32) : '' });
  }
  return out;
}

function isPlainName(name: string): boolean {
  if (!isSafeFileName(name)) return false;
  try {
    return sanitizeFilename(name) === name;
  } catch {
    return false;
  }
}
