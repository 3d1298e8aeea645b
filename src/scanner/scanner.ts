import path from 'node:path';
import type { FirmwareRepository } from '../db/repositories/firmware-repository.ts';
import type { PlatformsRepository } from '../db/repositories/platforms-repository.ts';
import type { RomWriter, RomChange, RomInsert } from '../db/repositories/rom-writer.ts';
import type { ScanLockRepository } from '../db/repositories/scan-lock-repository.ts';
import type { ScanRepository, KnownFile, KnownRom } from '../db/repositories/scan-repository.ts';
import { buildExclusions, type Exclusions } from '../library/exclusions.ts';
import { detectLayout, type PlatformDir } from '../library/layout.ts';
import { resolvePlatform } from '../library/platform-catalogue.ts';
import { isArchiveRomName } from '../archive/kinds.ts';
import { HashPool } from './hash/pool.ts';
import { EMPTY_HASHES, type HashResult } from './hash/types.ts';
import { ScanIssues, type ScanIssue } from './issues.ts';
import { withScanLock } from './scan-lock.ts';
import { NEVER_HASH_PLATFORMS } from './hash/never-hash.ts';
import {
  facetsChanged, filenameFields, filesUnchanged, fileWrites, fileWritesUnchanged, newRomRow, romDiff, totalSize,
} from './reconcile.ts';
import type { ScanSettings } from './scan-config.ts';
import { emptyStats, type ScanOptions, type ScanProgress, type ScanResult, type ScanStats } from './types.ts';
import { listRomEntries, statFile, walkRomDir, type DiskFile, type RomEntry } from './walk.ts';
import { WriteQueue } from './apply.ts';
import { FirmwareScanner } from './firmware/firmware-scan.ts';
import { KnownBios } from './firmware/known-bios.ts';

/** The repositories a scan reads and writes, built by the composition root. */
export interface ScannerStore {
  scans: ScanRepository;
  platforms: PlatformsRepository;
  writer: RomWriter;
  lock: ScanLockRepository;
  firmware: FirmwareRepository;
}

export interface ScannerDeps {
  store: ScannerStore;
  libraryPath: string;
  settings: ScanSettings;
  /** Known-BIOS lists shared with uploads; when absent the scan reads `settings.knownBiosPath` itself. */
  knownBios?: KnownBios;
  /** RetroAchievements console id of a platform slug: its ROMs then get an `ra_hash`. Absent: no RA hashes. */
  raConsole?: (slug: string) => number | null;
  /** A shared pool; when absent the scan starts its own and closes it at the end. */
  pool?: HashPool;
  onIssue?: (issue: ScanIssue) => void;
  onProgress?: (progress: ScanProgress) => void;
}

interface PlatformPass {
  dir: PlatformDir;
  id: number;
  slug: string;
  /** The platform row's slug (what known-BIOS lists are keyed by). */
  rowSlug: string;
  entries: RomEntry[];
  /** fs_names already in the database (only names are kept: 100k libraries are listed up front). */
  known: Set<string>;
}

/**
 * One scan: walk the disk into plain records, hash what is new or changed on worker threads, diff against the
 * database, apply the differences in batched transactions. Missing files are flagged, never deleted.
 */
export async function runScan(deps: ScannerDeps, options: ScanOptions): Promise<ScanResult> {
  return withScanLock(deps.store.lock, () => runScanLocked(deps, options));
}

/** `runScan` for a caller that already holds the scan lock (a scan followed by its metadata pass). */
export async function runScanLocked(deps: ScannerDeps, options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const run = await (async () => {
    const ownPool = deps.pool ? null : new HashPool(deps.settings.hashWorkers);
    const scan = new ScanRun(deps, options, deps.pool ?? (ownPool as HashPool));
    try {
      await scan.execute();
    } finally {
      await ownPool?.close();
    }
    return scan;
  })();
  return {
    type: options.type,
    stats: run.stats,
    cancelled: run.cancelled,
    durationMs: Date.now() - started,
    issueCounts: run.issues.counts,
    issues: run.issues.samples,
  };
}

function firmwareScannerFor(deps: ScannerDeps, exclusions: Exclusions, issues: ScanIssues): FirmwareScanner {
  return new FirmwareScanner({
    repo: deps.store.firmware, libraryPath: deps.libraryPath, romsFolder: deps.settings.romsFolder,
    firmwareFolder: deps.settings.firmwareFolder, exclusions,
    knownBios: deps.knownBios ?? new KnownBios(deps.settings.knownBiosPath), issues,
  });
}

/**
 * The firmware part alone, for the scans that walk no ROM files (`update`, `unmatched`): every selected platform
 * folder that already has a platform row gets its firmware scanned, as RomM does for every scan type.
 */
export async function runFirmwarePass(deps: ScannerDeps, options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const stats = emptyStats();
  const issues = new ScanIssues((issue) => {
    stats.errors++;
    deps.onIssue?.(issue);
  });
  const exclusions = buildExclusions(deps.settings.exclusions);
  const firmware = firmwareScannerFor(deps, exclusions, issues);
  const layout = await detectLayout(deps.libraryPath, exclusions, { romsFolder: deps.settings.romsFolder });
  const bySlug = new Map((await deps.store.scans.listPlatforms()).map((p) => [p.fs_slug, p]));
  const onlySlugs = options.platformFsSlugs?.length ? new Set(options.platformFsSlugs) : null;
  const onlyIds = options.platformIds?.length ? new Set(options.platformIds) : null;
  const selected = layout.platforms.map((d) => bySlug.get(d.fsSlug)).filter((p): p is NonNullable<typeof p> =>
    p !== undefined && (!onlySlugs || onlySlugs.has(p.fs_slug)) && (!onlyIds || onlyIds.has(p.id)));
  stats.total_platforms = selected.length;
  const aborted = () => options.signal?.aborted === true;
  if (selected.length > 0) await firmware.prepare();
  for (const p of selected) {
    if (aborted()) break;
    const fw = await firmware.scanPlatform({ id: p.id, slug: p.slug, fs_slug: p.fs_slug }, options.type, aborted);
    stats.scanned_firmware += fw.scanned;
    stats.new_firmware += fw.created;
    stats.scanned_platforms++;
    deps.onProgress?.({ phase: 'files', stats: { ...stats }, platform: p.fs_slug, discovered: 0, platformNewFirmware: fw.created });
  }
  return {
    type: options.type, stats, cancelled: aborted(), durationMs: Date.now() - started, issueCounts: issues.counts,
    issues: issues.samples,
  };
}

class ScanRun {
  readonly stats: ScanStats = emptyStats();
  readonly issues: ScanIssues;
  cancelled = false;
  private readonly scanRepo: ScanRepository;
  private readonly platforms: PlatformsRepository;
  private readonly writer: RomWriter;
  private readonly exclusions: Exclusions;
  private readonly queue: WriteQueue;
  private readonly firmware: FirmwareScanner;
  private currentPlatform: string | null = null;
  private lastProgress = 0;
  /** Missing ROMs already re-associated in this scan (their flag may not be written yet). */
  private readonly claimed = new Set<number>();
  private reassociate = false;

  constructor(private readonly deps: ScannerDeps, private readonly options: ScanOptions, private readonly pool: HashPool) {
    this.issues = new ScanIssues((issue) => {
      this.stats.errors++;
      deps.onIssue?.(issue);
    });
    this.scanRepo = deps.store.scans;
    this.platforms = deps.store.platforms;
    this.writer = deps.store.writer;
    this.exclusions = buildExclusions(deps.settings.exclusions);
    this.queue = new WriteQueue(this.writer, deps.settings.batchSize);
    this.firmware = firmwareScannerFor(deps, this.exclusions, this.issues);
  }

  private get aborted(): boolean {
    if (this.options.signal?.aborted) this.cancelled = true;
    return this.cancelled;
  }

  private progress(force = false, platformNewFirmware?: number): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < 200) return;
    this.lastProgress = now;
    this.deps.onProgress?.({
      phase: 'files', stats: { ...this.stats }, platform: this.currentPlatform, discovered: this.stats.total_roms,
      ...(platformNewFirmware === undefined ? {} : { platformNewFirmware }),
    });
  }

  async execute(): Promise<void> {
    const { settings, libraryPath } = this.deps;
    const layout = await detectLayout(libraryPath, this.exclusions, { romsFolder: settings.romsFolder, create: true });
    const dbPlatforms = await this.scanRepo.listPlatforms();
    const dbBySlug = new Map(dbPlatforms.map((p) => [p.fs_slug, p]));
    const only = this.options.platformFsSlugs?.length ? new Set(this.options.platformFsSlugs) : null;
    let selected = layout.platforms.filter((p) => !only || only.has(p.fsSlug));
    if (this.options.type === 'new_platforms') selected = selected.filter((p) => !dbBySlug.has(p.fsSlug));
    this.stats.total_platforms = selected.length;
    const now = Date.now();

    // Platforms whose folder is gone (only judged on a whole-library scan).
    if (!only) {
      const onDisk = new Set(layout.platforms.map((p) => p.fsSlug));
      for (const p of dbPlatforms) {
        if (onDisk.has(p.fs_slug)) continue;
        if (!p.missing_from_fs) await this.platforms.setMissing(p.id, true, now);
        await this.writer.setPlatformRomsMissing(p.id, now);
        this.stats.missing_platforms++;
      }
    }

    // Pass 1: list every selected platform and write missing flips, so a file moved between platforms is
    // already seen as missing from its old place when its new place is scanned.
    const passes: PlatformPass[] = [];
    for (const dir of selected) {
      if (this.aborted) return;
      passes.push(await this.listPlatform(dir, dbBySlug.get(dir.fsSlug), now));
      this.progress();
    }
    this.reassociate = (await this.scanRepo.countMissingRoms()) > 0;

    // Pass 2: firmware, then hash and write the ROMs.
    if (passes.length > 0) await this.firmware.prepare();
    for (const pass of passes) {
      if (this.aborted) break;
      this.currentPlatform = pass.dir.fsSlug;
      const fw = await this.firmware.scanPlatform({ id: pass.id, slug: pass.rowSlug, fs_slug: pass.dir.fsSlug }, this.options.type, () => this.aborted);
      this.stats.scanned_firmware += fw.scanned;
      this.stats.new_firmware += fw.created;
      this.progress(true, fw.created);
      await this.scanPlatform(pass);
      this.stats.scanned_platforms++;
      this.progress(true);
    }
    await this.queue.flush();
    this.stats.errors = this.issues.total;
    this.progress(true);
  }

  private async listPlatform(dir: PlatformDir, existing: { id: number; slug: string; missing_from_fs: number } | undefined, now: number): Promise<PlatformPass> {
    const info = resolvePlatform(dir.fsSlug, this.deps.settings.bindings);
    let id: number;
    if (existing) {
      id = existing.id;
      if (existing.missing_from_fs) await this.platforms.setMissing(id, false, now);
    } else {
      const created = await this.platforms.ensure({
        ...info, fs_slug: dir.fsSlug, custom_name: '', description: '', url_logo: null, aspect_ratio: '2 / 3',
        sgdb_id: null, moby_id: null, ss_id: null, ra_id: null, launchbox_id: null, hasheous_id: null, tgdb_id: null,
        flashpoint_id: null, moby_slug: null, hltb_slug: null, libretro_slug: null, missing_from_fs: 0,
        created_at: now, updated_at: now,
      });
      id = created.id;
      if (created.created) this.stats.new_platforms++;
    }
    const entries = await listRomEntries(dir.absPath, this.exclusions, this.issues);
    const known = new Map((await this.scanRepo.listRomNames(id)).map((r) => [r.fs_name, r]));
    const present = new Set(entries.map((e) => e.fsName));
    const goneIds: number[] = [];
    const backIds: number[] = [];
    for (const [name, rom] of known) {
      if (!present.has(name) && !rom.missing_from_fs) goneIds.push(rom.id);
      if (present.has(name) && rom.missing_from_fs) backIds.push(rom.id);
    }
    await this.writer.setRomsMissing(goneIds, true, now);
    await this.writer.setRomsMissing(backIds, false, now);
    for (const name of known.keys()) if (!present.has(name)) this.stats.missing_roms++;
    this.stats.total_roms += entries.length;
    return { dir, id, slug: info.slug, rowSlug: existing?.slug ?? info.slug, entries, known: new Set(known.keys()) };
  }

  private async scanPlatform(pass: PlatformPass): Promise<void> {
    const deep = this.options.type === 'complete' || this.options.type === 'hashes';
    let roms = new Map<string, KnownRom>();
    let files = new Map<number, KnownFile[]>();
    if (deep) {
      roms = new Map((await this.scanRepo.listRoms(pass.id)).map((r) => [r.fs_name, r]));
      files = new Map();
      for (const f of await this.scanRepo.listFiles(pass.id)) {
        const list = files.get(f.rom_id) ?? [];
        list.push(f);
        files.set(f.rom_id, list);
      }
    }
    const hash = !this.deps.settings.skipHash && !NEVER_HASH_PLATFORMS.has(pass.slug);
    // A counter and one waiter instead of Promise.race over the in-flight set: O(1) per ROM.
    const limit = this.pool.size * 8;
    let running = 0;
    let wake: (() => void) | null = null;
    const settle = () => {
      running--;
      this.stats.scanned_roms++;
      this.progress();
      const w = wake;
      wake = null;
      w?.();
    };
    for (const entry of pass.entries) {
      if (this.aborted) break;
      const knownName = pass.known.has(entry.fsName);
      if (knownName && !deep) {
        this.stats.unchanged_roms++;
        this.stats.scanned_roms++;
        continue;
      }
      running++;
      void this.scanEntry(pass, entry, knownName ? roms.get(entry.fsName) : undefined, files, hash)
        .catch((err: unknown) => this.issues.add('write-failed', path.join(pass.dir.absPath, entry.fsName), err))
        .finally(settle);
      while (running >= limit) await new Promise<void>((resolve) => { wake = resolve; });
      await this.queue.backpressure();
    }
    while (running > 0) await new Promise<void>((resolve) => { wake = resolve; });
  }

  private async diskFiles(pass: PlatformPass, entry: RomEntry): Promise<DiskFile[] | null> {
    const abs = path.join(pass.dir.absPath, entry.fsName);
    if (entry.isDir) return walkRomDir(abs, `${pass.dir.romsRelPath}/${entry.fsName}`, this.exclusions, this.issues);
    const f = await statFile(abs, pass.dir.romsRelPath, entry.fsName, this.issues);
    return f ? [f] : null;
  }

  private async hashFiles(pass: PlatformPass, entry: RomEntry, disk: DiskFile[], hash: boolean): Promise<HashResult> {
    if (!hash || disk.length === 0) {
      return {
        id: 0, rom: EMPTY_HASHES, raHash: null,
        files: disk.map(() => ({ ...EMPTY_HASHES, chdSha1: '', archiveMembers: null, headerSkipped: null, headerless: null, ra: null })),
      };
    }
    const result = await this.pool.hash({
      files: disk.map((f) => ({ abs: f.abs, feedsRom: !entry.isDir || f.relDir === `${pass.dir.romsRelPath}/${entry.fsName}` })),
      folder: entry.isDir,
      archiveRom: !entry.isDir && isArchiveRomName(entry.fsName),
      platform: pass.slug,
      raConsole: this.deps.raConsole?.(pass.slug) ?? null,
    });
    result.files.forEach((r, i) => {
      const f = disk[i];
      if (!f) return;
      if (r.error) this.issues.add('hash-failed', f.abs, r.error);
      else { this.stats.hashed_files++; this.stats.hashed_bytes += f.size; }
    });
    return result;
  }

  private async scanEntry(pass: PlatformPass, entry: RomEntry, known: KnownRom | undefined,
    filesByRom: Map<number, KnownFile[]>, hash: boolean): Promise<void> {
    const disk = await this.diskFiles(pass, entry);
    if (!disk) return;
    const now = Date.now();
    const fields = filenameFields(entry.fsName);
    if (known) {
      const knownFiles = filesByRom.get(known.id) ?? [];
      const reuse = this.options.type === 'complete' && filesUnchanged(disk, knownFiles);
      const hashed = reuse ? null : await this.hashFiles(pass, entry, disk, hash);
      const set = romDiff(known, {
        platformId: pass.id, fsPath: pass.dir.romsRelPath, fsName: entry.fsName, size: totalSize(disk),
        rom: hashed ? hashed.rom : null, raHash: hashed?.raHash ?? null, fields,
      });
      const change: RomChange = { id: known.id, set };
      if (hashed) {
        const writes = fileWrites(disk, hashed.files, knownFiles, now);
        if (!fileWritesUnchanged(writes, knownFiles)) change.files = writes;
      }
      if (facetsChanged(known, fields)) change.facets = fields.facets;
      if (Object.keys(set).length === 0 && !change.files && !change.facets) {
        this.stats.unchanged_roms++;
        return;
      }
      set.updated_at = now;
      this.stats.updated_roms++;
      await this.queue.change(change);
      return;
    }

    const hashed = await this.hashFiles(pass, entry, disk, hash);
    const match = await this.findMoved(hashed);
    if (match) {
      this.claimed.add(match.id);
      const oldFiles = await this.scanRepo.filesOfRom(match.id);
      const set = romDiff(match, {
        platformId: pass.id, fsPath: pass.dir.romsRelPath, fsName: entry.fsName, size: totalSize(disk),
        rom: hashed.rom, raHash: hashed.raHash, fields,
      });
      set.updated_at = now;
      this.stats.reassociated_roms++;
      this.stats.missing_roms = Math.max(0, this.stats.missing_roms - 1);
      await this.queue.change({ id: match.id, set, files: fileWrites(disk, hashed.files, oldFiles, now), facets: fields.facets });
      return;
    }
    const insert: RomInsert = {
      row: newRomRow({ platformId: pass.id, fsPath: pass.dir.romsRelPath, fsName: entry.fsName, files: disk, rom: hashed.rom, raHash: hashed.raHash, now }, fields),
      files: fileWrites(disk, hashed.files, [], now).map(({ id: _id, ...f }) => f),
      facets: fields.facets,
    };
    this.stats.new_roms++;
    await this.queue.insert(insert);
  }

  /** The one missing ROM with the same CRC, MD5 and SHA-1, if exactly one exists (spec §10.6). */
  private async findMoved(hashed: HashResult): Promise<KnownRom | null> {
    const { crc, md5, sha1 } = hashed.rom;
    if (!this.reassociate || !crc || !md5 || !sha1) return null;
    // No flush needed: pending writes only add new ROMs or touch claimed ones, neither changes the candidates.
    const candidates = (await this.scanRepo.findMissingByHashes(crc, md5, sha1)).filter((r) => !this.claimed.has(r.id));
    return candidates.length === 1 ? (candidates[0] ?? null) : null;
  }
}
