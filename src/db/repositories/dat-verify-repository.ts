import { sql, type Kysely } from 'kysely';
import type { DatStatus } from '../../contract/dat-status.ts';
import type { Database } from '../schema.ts';

/** A library file with every digest DAT matching can use. */
export interface VerifyFileRow {
  id: number;
  rom_id: number;
  file_name: string;
  file_size_bytes: number;
  crc_hash: string | null;
  md5_hash: string | null;
  sha1_hash: string | null;
  headerless_crc_hash: string | null;
  headerless_md5_hash: string | null;
  headerless_sha1_hash: string | null;
  chd_sha1_hash: string | null;
  archive_members: string | null;
  category: string | null;
  rom_fs_name: string;
}

export interface CandidateRow {
  dat_id: number;
  game_id: number;
  game_name: string;
  parent_name: string | null;
  rom_name: string;
  size: number | null;
  crc: string | null;
  md5: string | null;
  sha1: string | null;
  status: string | null;
}

export interface FileVerdictUpdate {
  id: number;
  dat_status: DatStatus;
  dat_game: string | null;
  dat_id: number | null;
}

export interface RomVerdictUpdate {
  id: number;
  dat_status: DatStatus;
  dat_game: string | null;
  dat_parent: string | null;
  dat_quality: number;
  dat_order: number;
  dat_complete: 0 | 1 | null;
}

export interface CandidateKeys {
  sha1: string[];
  md5: string[];
  crc: string[];
  names: string[];
  /** Game names (file names without their extension: an archive or folder named after its game). */
  games: string[];
}

/** Values per `IN (...)` list: far below every engine's bound-parameter limit. */
const SLICE = 400;

/** The reads and writes of the DAT verification pass (domain/dats/dat-verification.ts). */
export class DatVerifyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Platforms with at least one DAT, each with its DATs' ids. */
  async platformsWithDats(): Promise<Map<number, number[]>> {
    const rows = await this.db.selectFrom('dats').select(['id', 'platform_id']).where('platform_id', 'is not', null).orderBy('id').execute();
    const out = new Map<number, number[]>();
    for (const r of rows) {
      const pid = Number(r.platform_id);
      out.set(pid, [...(out.get(pid) ?? []), Number(r.id)]);
    }
    return out;
  }

  /** One keyset page of a platform's present ROMs: id and file name. */
  async romsPage(platformId: number, afterId: number, limit: number): Promise<{ id: number; fs_name: string }[]> {
    const rows = await this.db.selectFrom('roms').select(['id', 'fs_name'])
      .where('platform_id', '=', platformId).where('missing_from_fs', '=', 0).where('id', '>', afterId)
      .orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ id: Number(r.id), fs_name: r.fs_name }));
  }

  /** The present files of the given ROMs. */
  async filesOf(romIds: readonly number[]): Promise<VerifyFileRow[]> {
    const out: VerifyFileRow[] = [];
    for (let i = 0; i < romIds.length; i += SLICE) {
      const rows = await this.db.selectFrom('rom_files as f').innerJoin('roms as r', 'r.id', 'f.rom_id')
        .select([
          'f.id', 'f.rom_id', 'f.file_name', 'f.file_size_bytes', 'f.crc_hash', 'f.md5_hash', 'f.sha1_hash',
          'f.headerless_crc_hash', 'f.headerless_md5_hash', 'f.headerless_sha1_hash', 'f.chd_sha1_hash', 'f.archive_members',
          'f.category', 'r.fs_name as rom_fs_name',
        ])
        .where('f.rom_id', 'in', romIds.slice(i, i + SLICE)).where('f.missing_from_fs', '=', 0).orderBy('f.id').execute();
      for (const r of rows) out.push({ ...r, id: Number(r.id), rom_id: Number(r.rom_id), file_size_bytes: Number(r.file_size_bytes) });
    }
    return out;
  }

  /** DAT entries of the given DATs sharing any hash or name with the page's files, with their game and parent. */
  async candidates(datIds: readonly number[], keys: CandidateKeys): Promise<CandidateRow[]> {
    if (datIds.length === 0) return [];
    const seen = new Set<string>();
    const out: CandidateRow[] = [];
    const lists: [string, string[]][] = [['dr.sha1', keys.sha1], ['dr.md5', keys.md5], ['dr.crc', keys.crc], ['dr.name', keys.names], ['g.name', keys.games]];
    for (const [column, values] of lists) {
      const unique = [...new Set(values.filter((v) => v !== ''))];
      for (let i = 0; i < unique.length; i += SLICE) {
        const rows = await this.db.selectFrom('dat_roms as dr').innerJoin('dat_games as g', 'g.id', 'dr.game_id')
          .select(['dr.id as id', 'dr.dat_id', 'dr.game_id', 'g.name as game_name', 'g.parent_name', 'dr.name as rom_name', 'dr.size', 'dr.crc', 'dr.md5', 'dr.sha1', 'dr.status'])
          .where('dr.dat_id', 'in', [...datIds])
          .where(sql.ref(column), 'in', unique.slice(i, i + SLICE))
          .execute();
        for (const r of rows) {
          const key = String(r.id);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({
            dat_id: Number(r.dat_id), game_id: Number(r.game_id), game_name: r.game_name, parent_name: r.parent_name,
            rom_name: r.rom_name, size: r.size === null ? null : Number(r.size), crc: r.crc, md5: r.md5, sha1: r.sha1, status: r.status,
          });
        }
      }
    }
    return out;
  }

  /** The file names each game lists, for multi-file completeness. */
  async gameRomNames(gameIds: readonly number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (let i = 0; i < gameIds.length; i += SLICE) {
      const rows = await this.db.selectFrom('dat_roms').select(['game_id', 'name'])
        .where('game_id', 'in', gameIds.slice(i, i + SLICE)).where('status', '<>', 'nodump').orderBy('id').execute();
      for (const r of rows) out.set(Number(r.game_id), [...(out.get(Number(r.game_id)) ?? []), r.name]);
    }
    return out;
  }

  /** Writes one page of verdicts in one transaction; rows whose verdict is unchanged are not touched. */
  async write(files: readonly FileVerdictUpdate[], roms: readonly RomVerdictUpdate[]): Promise<number> {
    if (files.length === 0 && roms.length === 0) return 0;
    return this.db.transaction().execute(async (trx) => {
      let changed = 0;
      for (const f of files) {
        const res = await trx.updateTable('rom_files').set({ dat_status: f.dat_status, dat_game: f.dat_game, dat_id: f.dat_id })
          .where('id', '=', f.id)
          .where((eb) => eb.or([
            eb(sql`coalesce(dat_status, '')`, '<>', f.dat_status),
            eb(sql`coalesce(dat_game, '')`, '<>', f.dat_game ?? ''),
            eb(sql`coalesce(dat_id, 0)`, '<>', f.dat_id ?? 0),
          ]))
          .executeTakeFirst();
        changed += Number(res.numUpdatedRows);
      }
      for (const r of roms) {
        const res = await trx.updateTable('roms').set({
          dat_status: r.dat_status, dat_game: r.dat_game, dat_parent: r.dat_parent, dat_quality: r.dat_quality,
          dat_order: r.dat_order, dat_complete: r.dat_complete,
        }).where('id', '=', r.id)
          .where((eb) => eb.or([
            eb(sql`coalesce(dat_status, '')`, '<>', r.dat_status),
            eb(sql`coalesce(dat_game, '')`, '<>', r.dat_game ?? ''),
            eb(sql`coalesce(dat_parent, '')`, '<>', r.dat_parent ?? ''),
            eb(sql`coalesce(dat_quality, -1)`, '<>', r.dat_quality),
            eb(sql`coalesce(dat_order, -1)`, '<>', r.dat_order),
            eb(sql`coalesce(dat_complete, -1)`, '<>', r.dat_complete ?? -1),
          ]))
          .executeTakeFirst();
        changed += Number(res.numUpdatedRows);
      }
      return changed;
    });
  }

  /** Clears verdicts of platforms that no longer have a DAT (one was deleted or remapped). */
  async clearPlatformsWithout(platformIds: readonly number[]): Promise<void> {
    const keep = platformIds.length ? platformIds : [-1];
    await this.db.updateTable('roms').set({ dat_status: null, dat_game: null, dat_parent: null, dat_quality: null, dat_order: null, dat_complete: null })
      .where('dat_status', 'is not', null).where('platform_id', 'not in', [...keep]).execute();
    await this.db.updateTable('rom_files').set({ dat_status: null, dat_game: null, dat_id: null })
      .where('dat_status', 'is not', null)
      .where('rom_id', 'in', (eb) => eb.selectFrom('roms').select('id').where('platform_id', 'not in', [...keep]))
      .execute();
  }

  /** Per-status ROM counts of a platform (`unknown` includes ROMs never checked). */
  async statusCounts(platformId: number): Promise<Record<DatStatus, number>> {
    const rows = await this.db.selectFrom('roms').select([sql<string>`coalesce(dat_status, 'unknown')`.as('status'), sql<number>`count(*)`.as('n')])
      .where('platform_id', '=', platformId).where('missing_from_fs', '=', 0).groupBy(sql`coalesce(dat_status, 'unknown')`).execute();
    const out: Record<DatStatus, number> = { verified: 0, renamed: 0, bad_dump: 0, unknown: 0 };
    for (const r of rows) out[r.status as DatStatus] = (out[r.status as DatStatus] ?? 0) + Number(r.n);
    return out;
  }

  /** Games of the given DATs that no present file matched by name or hashes, in DAT order, a page at a time. */
  async missingGames(datIds: readonly number[], afterId: number, limit: number): Promise<{ id: number; dat_id: number; name: string; description: string | null; parent_name: string | null }[]> {
    if (datIds.length === 0) return [];
    const rows = await this.db.selectFrom('dat_games as g')
      .select(['g.id', 'g.dat_id', 'g.name', 'g.description', 'g.parent_name'])
      .where('g.dat_id', 'in', [...datIds]).where('g.id', '>', afterId)
      .where((eb) => eb.not(eb.exists(
        eb.selectFrom('rom_files as f').select(sql`1`.as('one'))
          .whereRef('f.dat_id', '=', 'g.dat_id').whereRef('f.dat_game', '=', 'g.name').where('f.missing_from_fs', '=', 0),
      )))
      .orderBy('g.id').limit(limit).execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), dat_id: Number(r.dat_id) }));
  }

  /** The ROMs each game's files belong to, for a report of present games. */
  async presentGames(platformId: number, afterRomId: number, limit: number): Promise<{ id: number; fs_name: string; dat_status: DatStatus | null; dat_game: string | null; dat_complete: number | null }[]> {
    const rows = await this.db.selectFrom('roms').select(['id', 'fs_name', 'dat_status', 'dat_game', 'dat_complete'])
      .where('platform_id', '=', platformId).where('missing_from_fs', '=', 0).where('id', '>', afterRomId)
      .orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), dat_complete: r.dat_complete === null ? null : Number(r.dat_complete) }));
  }

  /** The platform's `renamed` ROMs with their file count and the DAT game their files matched. */
  async renamedRoms(platformId: number): Promise<RenameCandidateRow[]> {
    const rows = await this.db.selectFrom('roms as r').innerJoin('rom_files as f', 'f.rom_id', 'r.id')
      .select(['r.id as rom_id', 'r.fs_name', 'r.fs_extension', 'f.file_name', 'r.dat_game', sql<number>`count(*) over (partition by r.id)`.as('file_count')])
      .where('r.platform_id', '=', platformId).where('r.dat_status', '=', 'renamed').where('r.missing_from_fs', '=', 0)
      .where('f.missing_from_fs', '=', 0).where('r.dat_game', 'is not', null)
      .orderBy('r.id').execute();
    return rows.map((r) => ({ rom_id: Number(r.rom_id), fs_name: r.fs_name, fs_extension: r.fs_extension, file_name: r.file_name, dat_game: r.dat_game ?? '', file_count: Number(r.file_count) }));
  }

  /** The DAT file name a single-file ROM's file matched (its `dat_game` and `dat_id` say which game). */
  async matchedRomName(fileName: string, datGame: string, platformId: number): Promise<string | null> {
    const row = await this.db.selectFrom('dat_roms as dr').innerJoin('dat_games as g', 'g.id', 'dr.game_id').innerJoin('dats as d', 'd.id', 'dr.dat_id')
      .select('dr.name').where('d.platform_id', '=', platformId).where('g.name', '=', datGame)
      .orderBy(sql`case when dr.name = ${fileName} then 0 else 1 end`).orderBy('dr.id').executeTakeFirst();
    return row?.name ?? null;
  }

  /** A platform's name and the DATs mapped to it. */
  async platformDats(platformId: number): Promise<{ platform: { id: number; slug: string; name: string } | undefined; dats: { id: number; name: string; version: string | null }[] }> {
    const p = await this.db.selectFrom('platforms').select(['id', 'slug', 'name', 'custom_name']).where('id', '=', platformId).executeTakeFirst();
    const dats = await this.db.selectFrom('dats').select(['id', 'name', 'version']).where('platform_id', '=', platformId).orderBy('id').execute();
    return {
      platform: p ? { id: Number(p.id), slug: p.slug, name: p.custom_name || p.name } : undefined,
      dats: dats.map((d) => ({ id: Number(d.id), name: d.name, version: d.version })),
    };
  }

  async platformIdBySlug(slug: string): Promise<number | null> {
    const row = await this.db.selectFrom('platforms').select('id').where((eb) => eb.or([eb('slug', '=', slug), eb('fs_slug', '=', slug)])).orderBy('id').executeTakeFirst();
    return row ? Number(row.id) : null;
  }

  async datRoms(gameIds: readonly number[]): Promise<Map<number, { name: string; size: number | null; crc: string | null; md5: string | null; sha1: string | null }[]>> {
    const out = new Map<number, { name: string; size: number | null; crc: string | null; md5: string | null; sha1: string | null }[]>();
    for (let i = 0; i < gameIds.length; i += SLICE) {
      const rows = await this.db.selectFrom('dat_roms').select(['game_id', 'name', 'size', 'crc', 'md5', 'sha1'])
        .where('game_id', 'in', gameIds.slice(i, i + SLICE)).orderBy('id').execute();
      for (const r of rows) {
        const list = out.get(Number(r.game_id)) ?? [];
        list.push({ name: r.name, size: r.size === null ? null : Number(r.size), crc: r.crc, md5: r.md5, sha1: r.sha1 });
        out.set(Number(r.game_id), list);
      }
    }
    return out;
  }
}

/** A ROM whose file matched a DAT entry under another name, for the rename action. */
export interface RenameCandidateRow {
  rom_id: number;
  fs_name: string;
  fs_extension: string;
  file_count: number;
  file_name: string;
  dat_game: string;
}
