import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ScanLockRepository } from '../db/repositories/scan-lock-repository.ts';
import { conflict } from '../common/errors.ts';

const HEARTBEAT_MS = 10_000;
/** A lock whose holder has not beaten for this long belongs to a process that died: it may be taken over. */
export const SCAN_LOCK_STALE_MS = 60_000;

/**
 * Holds the database-wide scan lock for the duration of `work`, so a `romshelf scan` and the server's own scans (or
 * two servers on one database) never write the same ROMs at once. Refuses with RomM's message when it is taken.
 */
export async function withScanLock<T>(repo: ScanLockRepository, work: () => Promise<T>): Promise<T> {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  if (!(await repo.acquire(owner, Date.now(), SCAN_LOCK_STALE_MS))) {
    const holder = (await repo.holder())?.owner ?? null;
    // A holder on this machine whose process is gone (killed mid-scan) need not be waited for.
    const takenOver = holder !== null && deadLocalProcess(holder) && (await repo.takeOver(owner, holder, Date.now()));
    if (!takenOver) {
      throw conflict(`A scan is already in progress${holder ? ` (by ${holder.split(':').slice(0, 2).join(' pid ')})` : ''}`);
    }
  }
  const timer = setInterval(() => void repo.heartbeat(owner, Date.now()).catch(() => undefined), HEARTBEAT_MS);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await repo.release(owner).catch(() => undefined);
  }
}

function deadLocalProcess(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
