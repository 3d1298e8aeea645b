import { watch, type FSWatcher } from 'node:fs';
import { lstat, mkdir, readdir } from 'node:fs/promises';
import type { FileTransferSync } from '../domain/sync/file-transfer.ts';
import { isSafeDeviceId } from '../domain/sync/sync-paths.ts';
import type { IncomingFile } from '../domain/sync/sync-paths.ts';

export interface SyncFolderWatcherOptions {
  /** SYNC_FOLDER_SCAN_DELAY in ms: how long a file's size and mtime must stay the same before it is taken. */
  quietMs: number;
  /** How often the folder is walked (file-system events only make the next walk come sooner). */
  pollMs?: number;
  onError: (err: unknown) => void;
  now?: () => number;
}

interface Seen {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen. */
  since: number;
}

/**
 * The sync folder watcher (ENABLE_SYNC_FOLDER_WATCHER): walks `DATA_PATH/sync/<device>/incoming/` and hands each
 * device's files to the file-transfer sync once they are stable — size and mtime unchanged for the scan delay, and
 * across at least two walks — so a file still being copied is never taken. A file is handed over once per content;
 * one left in place (no matching save) is taken again only when it changes. Walking instead of trusting file-system
 * events alone also sees files written over network shares and while the server was down.
 */
export class SyncFolderWatcher {
  private readonly seen = new Map<string, Seen>();
  /** Size and mtime of files already handed over. */
  private readonly handled = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private walking: Promise<void> | null = null;
  private stopped = false;
  private readonly pollMs: number;
  private readonly now: () => number;

  constructor(private readonly sync: FileTransferSync, private readonly options: SyncFolderWatcherOptions) {
    this.pollMs = options.pollMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    const root = this.sync.options.root;
    await mkdir(root, { recursive: true });
    try {
      this.watcher = watch(root, { recursive: true }, () => this.walkSoon());
      this.watcher.on('error', () => undefined);
    } catch {
      // No recursive watching on this platform or file system: the periodic walk alone sees every change.
      this.watcher = null;
    }
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
    void this.tick();
  }

  /** Waits for the walk in progress; nothing more runs afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.watcher?.close();
    await this.walking;
  }

  /** One walk (tests call it to step the watcher). */
  async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.walking) return this.walking;
    this.walking = this.walk().catch(this.options.onError).finally(() => {
      this.walking = null;
    });
    return this.walking;
  }

  private walkSoon(): void {
    if (this.soon || this.stopped) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.tick();
    }, Math.min(250, this.pollMs));
    this.soon.unref();
  }

  private async walk(): Promise<void> {
    const root = this.sync.options.root;
    let entries;
    try {
      entries = await readdir(root, { withFileTypes: true });
    } catch {
      return;
    }
    const now = this.now();
    const quiet = Math.max(this.options.quietMs, this.pollMs);
    const present = new Set<string>();
    const ready = new Map<string, IncomingFile[]>();
    for (const entry of entries) {
      if (!entry.isDirectory() || !isSafeDeviceId(entry.name)) continue;
      for (const file of await this.sync.listIncoming(entry.name)) {
        let st;
        try {
          st = await lstat(file.fullPath);
        } catch {
          continue;
        }
        present.add(file.fullPath);
        const signature = `${st.size}:${st.mtimeMs}`;
        if (this.handled.get(file.fullPath) === signature) continue;
        const before = this.seen.get(file.fullPath);
        if (!before || before.size !== st.size || before.mtimeMs !== st.mtimeMs) {
          this.seen.set(file.fullPath, { size: st.size, mtimeMs: st.mtimeMs, since: now });
          continue;
        }
        if (now - before.since < quiet) continue;
        this.seen.delete(file.fullPath);
        this.handled.set(file.fullPath, signature);
        ready.set(file.deviceId, [...(ready.get(file.deviceId) ?? []), file]);
      }
    }
    for (const key of [...this.seen.keys()]) if (!present.has(key)) this.seen.delete(key);
    for (const key of [...this.handled.keys()]) if (!present.has(key)) this.handled.delete(key);
    for (const [deviceId, files] of ready) {
      if (this.stopped) return;
      try {
        await this.sync.processDevice(deviceId, files);
      } catch (err) {
        this.options.onError(err);
      }
    }
  }
}
