import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { HashPool } from '../../src/scanner/hash/pool.ts';
import { runHashJob } from '../../src/scanner/hash/read.ts';

/** Large files of pseudo-random bytes (written once, then page-cached like a warm NAS read). */
export function makeLargeFiles(dir: string, count: number, mib: number): string[] {
  const files: string[] = [];
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `large-${i}.bin`);
    files.push(file);
    if (existsSync(file) && statSync(file).size === mib * 1024 * 1024) continue;
    const fd = openSync(file, 'w');
    let x = 2463534242 + i;
    for (let m = 0; m < mib; m++) {
      for (let o = 0; o < chunk.length; o += 4) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        chunk.writeInt32LE(x | 0, o);
      }
      writeSync(fd, chunk);
    }
    closeSync(fd);
  }
  return files;
}

function timed(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

/** MiB/s of: the worker pool over the files, one thread one pass, and md5sum then sha1sum on the same files. */
export async function measureThroughput(files: string[]): Promise<Record<string, number>> {
  const totalMiB = files.reduce((s, f) => s + statSync(f).size, 0) / 1024 / 1024;
  execFileSync('cat', files, { stdio: ['ignore', 'ignore', 'ignore'] }); // warm the page cache
  const pool = new HashPool();
  await pool.hash({ files: [], folder: false, archiveRom: false }); // worker start-up outside the timing
  const poolSeconds = await timedAsync(() => Promise.all(files.map((abs) => pool.hash({ files: [{ abs, feedsRom: true }], folder: false, archiveRom: false }))));
  await pool.close();
  const oneThread = await timedAsync(async () => { for (const abs of files) await runHashJob({ id: 0, files: [{ abs, feedsRom: true }], folder: false, archiveRom: false }); });
  const md5sum = timed(() => execFileSync('md5sum', files));
  const sha1sum = timed(() => execFileSync('sha1sum', files));
  const r = (s: number) => Math.round(totalMiB / s);
  return {
    total_mib: Math.round(totalMiB),
    romshelf_workers_mib_s: r(poolSeconds),
    romshelf_one_thread_mib_s: r(oneThread),
    md5sum_mib_s: r(md5sum),
    sha1sum_mib_s: r(sha1sum),
    md5sum_then_sha1sum_mib_s: r(md5sum + sha1sum),
    ratio_vs_romm_110: Math.round((totalMiB / poolSeconds / 110) * 100) / 100,
    ratio_vs_md5sum_then_sha1sum: Math.round(((md5sum + sha1sum) / poolSeconds) * 100) / 100,
  };
}
