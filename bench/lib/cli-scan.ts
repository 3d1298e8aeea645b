import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Runs `romshelf <command>` in a child process, as a user runs it, and measures it from outside: wall time, peak
 * resident memory (the child's own maxRSS, worker threads included, written by a preloaded hook when it exits) and,
 * while it runs, when ROMs become visible in its SQLite database (polled read-only from this process).
 */

export const ROMSHELF_BIN = path.resolve(import.meta.dirname, '..', '..', 'bin', 'romshelf');

// Preloaded into the child: on exit, write the process's peak RSS (KiB) where the parent asked.
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import{writeFileSync}from'node:fs';const f=process.env.ROMSHELF_BENCH_RSS_FILE;" +
  "if(f)process.on('exit',()=>{try{writeFileSync(f,String(process.resourceUsage().maxRSS))}catch{}});",
)}`;

/** The environment a romshelf child gets: the parent's, without database or source settings a developer may have set. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['DATABASE_URL', 'LIBRARY_PATH', 'DATA_PATH', 'LAUNCHBOX_METADATA_PATH', 'LAUNCHBOX_PATH', 'ESDE_MEDIA_PATH', 'LIBRETRO_THUMBNAILS_PATH', 'SCAN_SKIP_HASH_CALCULATION', 'ROMSHELF_FROM_SOURCE']) delete env[key];
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

export interface Visibility {
  /** Seconds from start until `SELECT count(*) FROM roms` was first > 0. */
  first_roms_s: number | null;
  /** ... until every expected ROM was in the table. */
  all_roms_s: number | null;
  /** ... until the first ROM had been through the metadata pass (`metadata_scanned_at` set). */
  first_metadata_s: number | null;
  /** ... until every expected ROM had. */
  all_metadata_s: number | null;
}

export interface ChildRun {
  exit_code: number | null;
  seconds: number;
  peak_rss_mib: number | null;
  visibility?: Visibility;
  /** The summary the scan printed, parsed into numbers per line (`roms: {found, new, …}`), plus its raw lines. */
  summary?: ScanSummary;
  stderr_tail?: string[];
}

export interface ScanSummary { lines: string[]; [line: string]: Record<string, number> | string[] }

/** Reads every `<number> <word>` pair of each `label: …` line; lines other than those are kept raw only. */
export function parseSummary(stdout: string): ScanSummary {
  const lines = stdout.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const out: ScanSummary = { lines };
  for (const line of lines) {
    const m = /^\s*([a-z_ ]+):\s+(.*)$/i.exec(line);
    const finished = /in ([\d.]+) s$/.exec(line);
    if (finished) out.scan = { seconds: Number(finished[1]) };
    if (!m) continue;
    const values: Record<string, number> = {};
    for (const pair of (m[2] as string).matchAll(/([\d.]+) ([A-Za-z_-]+)/g)) values[pair[2] as string] = Number(pair[1]);
    out[(m[1] as string).trim().replace(/ /g, '_')] = values;
  }
  return out;
}

/** Polls the database file read-only; each probe is a couple of counts, cheap next to the scan it watches. */
class VisibilityProbe {
  private db: Database.Database | null = null;
  private hasMetadataColumn = true;
  readonly result: Visibility = { first_roms_s: null, all_roms_s: null, first_metadata_s: null, all_metadata_s: null };

  constructor(private readonly file: string, private readonly expected: number, private readonly started: number) {}

  probe(): void {
    try {
      this.db ??= existsSync(this.file) ? new Database(this.file, { readonly: true, fileMustExist: true }) : null;
      if (!this.db) return;
      const t = Math.round((performance.now() - this.started) / 100) / 10;
      const roms = (this.db.prepare('SELECT count(*) AS c FROM roms').get() as { c: number }).c;
      if (roms > 0) this.result.first_roms_s ??= t;
      if (roms >= this.expected) this.result.all_roms_s ??= t;
      if (!this.hasMetadataColumn || this.result.all_metadata_s !== null) return;
      try {
        const done = (this.db.prepare('SELECT count(*) AS c FROM roms WHERE metadata_scanned_at IS NOT NULL').get() as { c: number }).c;
        if (done > 0) this.result.first_metadata_s ??= t;
        if (done >= this.expected) this.result.all_metadata_s ??= t;
      } catch {
        this.hasMetadataColumn = false;
      }
    } catch {
      // The file or its tables do not exist yet (migrations run first): try again at the next tick.
      this.close();
    }
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}

export interface ChildOptions {
  args: string[];
  env: Record<string, string>;
  /** Where the RSS hook writes (a scratch file). */
  rssFile: string;
  /** Watch this SQLite file for ROM visibility. */
  watch?: { dbFile: string; expectedRoms: number; everyMs?: number };
}

export async function runRomshelf(opts: ChildOptions): Promise<ChildRun & { stdout: string }> {
  rmSync(opts.rssFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', RSS_HOOK, ROMSHELF_BIN, ...opts.args], {
    env: childEnv({ ...opts.env, ROMSHELF_BENCH_RSS_FILE: opts.rssFile }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const stderr: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr.push(...d.split('\n').filter(Boolean));
    if (stderr.length > 200) stderr.splice(0, stderr.length - 200);
  });
  const probe = opts.watch ? new VisibilityProbe(opts.watch.dbFile, opts.watch.expectedRoms, started) : null;
  const timer = probe ? setInterval(() => probe.probe(), opts.watch?.everyMs ?? 200) : null;
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const seconds = (performance.now() - started) / 1000;
  if (timer) clearInterval(timer);
  probe?.probe(); // a scan shorter than one interval is seen at its end
  probe?.close();
  const rssKiB = existsSync(opts.rssFile) ? Number(readFileSync(opts.rssFile, 'utf8')) : NaN;
  return {
    exit_code: exitCode,
    seconds: Math.round(seconds * 100) / 100,
    peak_rss_mib: Number.isFinite(rssKiB) ? Math.round(rssKiB / 1024) : null,
    ...(probe ? { visibility: probe.result } : {}),
    ...(exitCode === 0 ? {} : { stderr_tail: stderr.slice(-15) }),
    stdout,
  };
}
