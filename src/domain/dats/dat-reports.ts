import { badRequest, notFound } from '../../common/errors.ts';
import type { DatStatus } from '../../contract/dat-status.ts';
import type { DatVerifyRepository } from '../../db/repositories/dat-verify-repository.ts';
import { FIXDAT_TAIL, fixdatGame, fixdatHead } from './fixdat.ts';
import { reportCsvChunks, type ReportRow } from '../../dats/report-csv.ts';

/**
 * Reports over the verification pass's results, per platform: counts, missing games (listed by a DAT, matched by no
 * file), a fixdat of them and a CSV of everything; and the "rename to the DAT's name" plan. Lists are read a page at
 * a time and streamed, so a 60,000-game DAT never sits in memory whole.
 */

const PAGE = 500;
const ARCHIVE_EXTENSIONS = new Set(['zip', '7z', 'rar']);

export interface DatReport {
  platform_id: number;
  platform_slug: string;
  platform_name: string;
  dats: { id: number; name: string; version: string | null }[];
  counts: Record<DatStatus, number> & { missing: number };
  missing_games: string[];
}

export interface RenamePlanEntry {
  rom_id: number;
  from: string;
  to: string;
}

export interface RenameResult {
  dry_run: boolean;
  renames: RenamePlanEntry[];
  /** Renames that could not be done (the name is taken, the file moved): the ROM keeps its name. */
  failed: (RenamePlanEntry & { detail: string })[];
}

/** The ROM rename of `PUT /api/roms/{id}` (atomic on disk and in the database). */
export type RenameRom = (romId: number, fsName: string) => Promise<void>;

export class DatReports {
  constructor(private readonly repo: DatVerifyRepository, private readonly renameRom: RenameRom) {}

  async platformId(ref: { platformId?: number; slug?: string }): Promise<number> {
    if (ref.platformId !== undefined) return ref.platformId;
    if (ref.slug) {
      const id = await this.repo.platformIdBySlug(ref.slug);
      if (id === null) throw notFound(`Platform ${ref.slug} not found`);
      return id;
    }
    throw badRequest('platform_id is required');
  }

  private async context(platformId: number) {
    const { platform, dats } = await this.repo.platformDats(platformId);
    if (!platform) throw notFound(`Platform with ID ${platformId} not found`);
    if (dats.length === 0) throw notFound(`No DAT is mapped to platform ${platform.name}`);
    return { platform, dats };
  }

  async report(platformId: number): Promise<DatReport> {
    const { platform, dats } = await this.context(platformId);
    const missing: string[] = [];
    for await (const g of this.missing(dats.map((d) => d.id))) missing.push(g.name);
    return {
      platform_id: platform.id, platform_slug: platform.slug, platform_name: platform.name, dats,
      counts: { ...(await this.repo.statusCounts(platformId)), missing: missing.length },
      missing_games: missing,
    };
  }

  private async *missing(datIds: number[]) {
    let after = 0;
    for (;;) {
      const page = await this.repo.missingGames(datIds, after, PAGE);
      if (page.length === 0) return;
      after = page[page.length - 1]!.id;
      yield* page;
    }
  }

  /** A Logiqx fixdat of the platform's missing games, for clrmamepro, RomVault or igir. */
  async fixdat(platformId: number): Promise<{ fileName: string; chunks: AsyncGenerator<string> }> {
    const { platform, dats } = await this.context(platformId);
    const first = dats[0]!;
    const repo = this.repo;
    const missing = this.missing(dats.map((d) => d.id));
    async function* chunks(): AsyncGenerator<string> {
      const header = { datName: dats.map((d) => d.name).join(' + '), datVersion: dats.length === 1 ? first.version : null, platformName: platform.name, date: new Date() };
      yield fixdatHead(header);
      let batch: { id: number; name: string; description: string | null; parent_name: string | null }[] = [];
      const flush = async (): Promise<string> => {
        const roms = await repo.datRoms(batch.map((g) => g.id));
        const out = batch.map((g) => fixdatGame({ name: g.name, description: g.description, cloneOf: g.parent_name, roms: roms.get(g.id) ?? [] })).join('');
        batch = [];
        return out;
      };
      for await (const g of missing) {
        batch.push(g);
        if (batch.length >= PAGE) yield await flush();
      }
      if (batch.length) yield await flush();
      yield FIXDAT_TAIL;
    }
    return { fileName: `fixdat_${platform.slug}.dat`, chunks: chunks() };
  }

  /** Every present ROM with its status, then every missing game. */
  async csv(platformId: number): Promise<{ fileName: string; chunks: AsyncGenerator<string> }> {
    const { platform, dats } = await this.context(platformId);
    const repo = this.repo;
    const missing = this.missing(dats.map((d) => d.id));
    async function* rows(): AsyncGenerator<ReportRow> {
      let after = 0;
      for (;;) {
        const page = await repo.presentGames(platformId, after, PAGE);
        if (page.length === 0) break;
        after = page[page.length - 1]!.id;
        for (const r of page) {
          yield { game: r.dat_game ?? '', status: r.dat_status ?? 'unknown', file: r.fs_name, romId: r.id, complete: r.dat_complete === null ? null : r.dat_complete === 1 };
        }
      }
      for await (const g of missing) yield { game: g.name, status: 'missing', file: '', romId: null, complete: false };
    }
    async function* chunks(): AsyncGenerator<string> {
      const buffered: ReportRow[] = [];
      let header = true;
      for await (const row of rows()) {
        buffered.push(row);
        if (buffered.length >= PAGE) {
          yield* dropHeader(reportCsvChunks(buffered.splice(0)), header);
          header = false;
        }
      }
      yield* dropHeader(reportCsvChunks(buffered), header);
    }
    return { fileName: `dat-report_${platform.slug}.csv`, chunks: chunks() };
  }

  /**
   * Renames the platform's `renamed` ROMs to the names the DAT gives them: a plain file takes the DAT's file name, an
   * archive or a folder the game's name. A dry run only lists the plan.
   */
  async renameToDat(platformId: number, dryRun: boolean): Promise<RenameResult> {
    await this.context(platformId);
    const plan: RenamePlanEntry[] = [];
    for (const r of await this.repo.renamedRoms(platformId)) {
      let to: string | null;
      if (r.file_count > 1) to = r.dat_game;
      else if (ARCHIVE_EXTENSIONS.has(r.fs_extension.toLowerCase())) to = `${r.dat_game}.${r.fs_extension}`;
      else to = await this.repo.matchedRomName(r.file_name, r.dat_game, platformId);
      if (!to || to === r.fs_name || plan.some((p) => p.rom_id === r.rom_id)) continue;
      plan.push({ rom_id: r.rom_id, from: r.fs_name, to });
    }
    if (dryRun) return { dry_run: true, renames: plan, failed: [] };
    const done: RenamePlanEntry[] = [];
    const failed: RenameResult['failed'] = [];
    for (const p of plan) {
      try {
        await this.renameRom(p.rom_id, p.to);
        done.push(p);
      } catch (err) {
        failed.push({ ...p, detail: (err as Error).message });
      }
    }
    return { dry_run: false, renames: done, failed };
  }
}

function* dropHeader(chunks: Generator<string>, keep: boolean): Generator<string> {
  let first = true;
  for (const c of chunks) {
    if (first && !keep) {
      first = false;
      continue;
    }
    first = false;
    yield c;
  }
}
