/**
 * Content-addressed objects under `<resources>/media/<2 hex>/<sha256>.<variant>.<ext>`, hard-linked into the
 * ROM layout so identical media are stored once. Every write is a temp file renamed into place; a layout file is
 * always replaced by rename, never written in place, so the shared inode never changes under another ROM.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, lstat, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const MEDIA_DIR = 'media';

export const tempName = (dir: string, base: string): string => path.join(dir, `.${base}.${randomBytes(6).toString('hex')}.tmp`);

export class ContentStore {
  /** In-flight puts by object path: concurrent calls for the same content share one encode. */
  private readonly pending = new Map<string, Promise<void>>();
  /** Object folders known to exist (256 of them at most), so a put does not mkdir each time. */
  private readonly madeDirs = new Set<string>();

  constructor(private readonly resourcesRoot: string) {}

  /** Absolute path of an object. */
  objectPath(key: string, suffix: string): string {
    return path.join(this.resourcesRoot, MEDIA_DIR, key.slice(0, 2), `${key}.${suffix}`);
  }

  async exists(abs: string): Promise<boolean> {
    try {
      return (await stat(abs)).isFile();
    } catch {
      return false;
    }
  }

  /**
   * Makes sure every object in `paths` exists, running `produce` (which writes them with writeAtomic) only when one
   * is missing, once per set however many callers ask at the same time.
   */
  async ensure(paths: string[], produce: () => Promise<void>): Promise<void> {
    const id = paths.join('\n');
    const running = this.pending.get(id);
    if (running) return running;
    const job = (async () => {
      for (const p of paths) {
        if (!(await this.exists(p))) return produce();
      }
    })();
    this.pending.set(id, job);
    try {
      await job;
    } finally {
      this.pending.delete(id);
    }
  }

  async writeAtomic(abs: string, data: Uint8Array): Promise<void> {
    await this.mkdirOnce(path.dirname(abs));
    const tmp = tempName(path.dirname(abs), path.basename(abs));
    try {
      await writeFile(tmp, data);
      await rename(tmp, abs);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async mkdirOnce(dir: string): Promise<void> {
    if (this.madeDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  /** Puts `object` at `target` (absolute): a hard link, or a copy where links fail; atomic either way. */
  async place(object: string, target: string): Promise<void> {
    const t = await lstat(target).catch(() => null);
    if (t) {
      const o = await stat(object);
      if (t.ino === o.ino && t.dev === o.dev) return;
    }
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true });
    const tmp = tempName(dir, path.basename(target));
    try {
      try {
        await link(object, tmp);
      } catch {
        // Another device, a file system without hard links, or the link count limit: a private copy.
        await copyFile(object, tmp);
      }
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
