import type { DatStatus } from '../../contract/dat-status.ts';
import type { CandidateKeys, CandidateRow, DatVerifyRepository, FileVerdictUpdate, RomVerdictUpdate, VerifyFileRow } from '../../db/repositories/dat-verify-repository.ts';
import { releaseOrder, releaseQuality } from './one-g-one-r.ts';
import { gameCompleteness, romStatus, verifyFile, type DatRomEntry, type FileForVerification, type Verdict } from '../../dats/verify-status.ts';

/**
 * The DAT verification pass: every present file of every platform that has a DAT gets a verdict (dats/verify-
 * status.ts), every ROM the worst of its files', the DAT game it is, its 1G1R group and, for multi-file games,
 * whether every file is there. It reads only stored hashes (the scan's single read computed them), a page of ROMs at
 * a time, and writes only rows whose verdict changed, so a pass over an unchanged library writes nothing.
 */

const PAGE = 300;

export interface DatVerificationResult {
  platforms: number;
  roms: number;
  files: number;
  changed: number;
  counts: Record<DatStatus, number>;
}

interface ArchiveMemberJson {
  name: string;
  size: number;
  crc_hash?: string;
  md5_hash?: string;
  sha1_hash?: string;
  headerless_crc_hash?: string;
  headerless_md5_hash?: string;
  headerless_sha1_hash?: string;
}

const hex = (v: string | null | undefined): string | null => (v ? v.toLowerCase() : null);

function members(file: VerifyFileRow): ArchiveMemberJson[] {
  if (!file.archive_members) return [];
  try {
    const parsed: unknown = JSON.parse(file.archive_members);
    return Array.isArray(parsed) ? parsed.filter((m): m is ArchiveMemberJson => !!m && typeof m === 'object' && typeof (m as ArchiveMemberJson).name === 'string') : [];
  } catch {
    return [];
  }
}

/** What is compared for one library file: the file itself, or each member of an archive (named by the archive too). */
function subjects(file: VerifyFileRow): FileForVerification[] {
  const own: FileForVerification = {
    name: file.file_name,
    digests: { size: file.file_size_bytes, crc: hex(file.crc_hash), md5: hex(file.md5_hash), sha1: hex(file.sha1_hash) },
    headerless: file.headerless_sha1_hash || file.headerless_md5_hash
      ? { size: -1, crc: hex(file.headerless_crc_hash), md5: hex(file.headerless_md5_hash), sha1: hex(file.headerless_sha1_hash) }
      : null,
    chdSha1: hex(file.chd_sha1_hash),
  };
  const inside = members(file);
  if (inside.length === 0) return [own];
  return inside.map((m) => ({
    name: m.name,
    aliases: [file.file_name],
    digests: { size: Number(m.size), crc: hex(m.crc_hash), md5: hex(m.md5_hash), sha1: hex(m.sha1_hash) },
    headerless: m.headerless_sha1_hash || m.headerless_md5_hash
      ? { size: -1, crc: hex(m.headerless_crc_hash), md5: hex(m.headerless_md5_hash), sha1: hex(m.headerless_sha1_hash) }
      : null,
  }));
}

/** The header rules record only hashes, not the body's size: the DAT entry's size stands in for it. */
function withHeaderlessSize(subject: FileForVerification, entrySize: number | null): FileForVerification {
  if (!subject.headerless || entrySize === null) return subject;
  return { ...subject, headerless: { ...subject.headerless, size: entrySize } };
}

function keysOf(files: readonly FileForVerification[]): CandidateKeys {
  const keys: CandidateKeys = { sha1: [], md5: [], crc: [], names: [], games: [] };
  for (const f of files) {
    for (const d of [f.digests, f.headerless]) {
      if (!d) continue;
      if (d.sha1) keys.sha1.push(d.sha1);
      if (d.md5) keys.md5.push(d.md5);
      if (d.crc) keys.crc.push(d.crc);
    }
    if (f.chdSha1) keys.sha1.push(f.chdSha1);
    keys.names.push(f.name, ...(f.aliases ?? []));
    keys.games.push(...[f.name, ...(f.aliases ?? [])].map(stem));
  }
  return keys;
}

const toEntry = (c: CandidateRow): DatRomEntry => ({
  datId: c.dat_id, gameId: c.game_id, gameName: c.game_name, romName: c.rom_name, size: c.size, crc: c.crc, md5: c.md5, sha1: c.sha1, status: c.status,
});

/** A subject's verdict; candidates are matched with the headerless body sized as each entry says. */
function judge(subject: FileForVerification, candidates: readonly CandidateRow[]): Verdict {
  if (!subject.headerless) return verifyFile(subject, candidates.map(toEntry));
  let best: Verdict = { status: 'unknown', entry: null, matchedBy: null };
  const rank: Record<DatStatus, number> = { verified: 0, renamed: 1, bad_dump: 2, unknown: 3 };
  for (const c of candidates) {
    const v = verifyFile(withHeaderlessSize(subject, c.size), [toEntry(c)]);
    if (rank[v.status] < rank[best.status]) best = v;
  }
  return best;
}

export class DatVerification {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly repo: DatVerifyRepository, private readonly onError: (err: unknown) => void = () => undefined) {}

  /**
   * Runs the pass in the background after a DAT changed; requests while one runs fold into one more run, so a batch
   * of uploads verifies the library twice at most. Answers when the library reflects every request made so far.
   */
  schedule(): Promise<void> {
    this.again = true;
    this.running ??= this.loop();
    return this.running;
  }

  private async loop(): Promise<void> {
    try {
      // No await between the last check and the reset: a request can never fall between them.
      while (this.again) {
        this.again = false;
        await this.run().catch(this.onError);
      }
    } finally {
      this.running = null;
    }
  }

  /** Verifies the given platforms (all with a DAT when omitted) and clears verdicts of platforms without one. */
  async run(opts: { platformIds?: readonly number[]; signal?: AbortSignal } = {}): Promise<DatVerificationResult> {
    const byPlatform = await this.repo.platformsWithDats();
    await this.repo.clearPlatformsWithout([...byPlatform.keys()]);
    const result: DatVerificationResult = { platforms: 0, roms: 0, files: 0, changed: 0, counts: { verified: 0, renamed: 0, bad_dump: 0, unknown: 0 } };
    for (const [platformId, datIds] of byPlatform) {
      if (opts.platformIds && !opts.platformIds.includes(platformId)) continue;
      result.platforms++;
      let after = 0;
      for (;;) {
        if (opts.signal?.aborted) return result;
        const roms = await this.repo.romsPage(platformId, after, PAGE);
        if (roms.length === 0) break;
        after = roms[roms.length - 1]!.id;
        await this.verifyPage(roms, datIds, result);
      }
    }
    return result;
  }

  private async verifyPage(roms: readonly { id: number; fs_name: string }[], datIds: readonly number[], result: DatVerificationResult): Promise<void> {
    const files = await this.repo.filesOf(roms.map((r) => r.id));
    const subjectsOf = new Map(files.map((f) => [f.id, subjects(f)]));
    const candidates = await this.repo.candidates(datIds, keysOf([...subjectsOf.values()].flat()));
    const parentOf = new Map(candidates.map((c) => [c.game_id, c.parent_name]));
    const byKey = indexCandidates(candidates);

    const fileUpdates: FileVerdictUpdate[] = [];
    const perRom = new Map<number, { status: DatStatus; verdicts: Verdict[]; names: string[] }[]>();
    for (const file of files) {
      const verdicts = (subjectsOf.get(file.id) ?? []).map((s) => judge(s, lookup(byKey, s)));
      const status = romStatus(verdicts.map((v) => v.status));
      const main = verdicts.find((v) => v.status === status && v.entry) ?? verdicts.find((v) => v.entry);
      fileUpdates.push({ id: file.id, dat_status: status, dat_game: main?.entry?.gameName ?? null, dat_id: main?.entry?.datId ?? null });
      const list = perRom.get(file.rom_id) ?? [];
      list.push({ status, verdicts, names: (subjectsOf.get(file.id) ?? []).map((s) => s.name) });
      perRom.set(file.rom_id, list);
      result.files++;
    }

    // Multi-file games: compare what the ROM's files matched with every file the DAT lists for that game.
    const gameIds = new Set<number>();
    for (const list of perRom.values()) {
      const games = new Set(list.flatMap((f) => f.verdicts).map((v) => v.entry?.gameId).filter((g): g is number => g !== undefined));
      if (games.size === 1 && list.flatMap((f) => f.verdicts).length > 1) gameIds.add([...games][0]!);
    }
    const listed = gameIds.size ? await this.repo.gameRomNames([...gameIds]) : new Map<number, string[]>();

    const romUpdates: RomVerdictUpdate[] = [];
    for (const rom of roms) {
      const list = perRom.get(rom.id) ?? [];
      const verdicts = list.flatMap((f) => f.verdicts);
      const status = romStatus(list.map((f) => f.status));
      const main = verdicts.find((v) => v.status === status && v.entry) ?? verdicts.find((v) => v.entry);
      const game = main?.entry ?? null;
      let complete: 0 | 1 | null = null;
      const expected = game ? listed.get(game.gameId) : undefined;
      if (game && expected && expected.length > 1) {
        const present = new Map<string, DatStatus>();
        for (const v of verdicts) if (v.entry && v.entry.gameId === game.gameId) present.set(v.entry.romName, v.status);
        complete = gameCompleteness(game.gameName, expected, present).complete ? 1 : 0;
      }
      // 1G1R reads the release from the DAT's game name when there is one: it carries the canonical tags.
      const releaseName = game?.gameName ?? rom.fs_name;
      romUpdates.push({
        id: rom.id, dat_status: status, dat_game: game?.gameName ?? null,
        dat_parent: game ? (parentOf.get(game.gameId) ?? game.gameName) : null,
        dat_quality: releaseQuality(releaseName, status), dat_order: releaseOrder(releaseName), dat_complete: complete,
      });
      result.counts[status]++;
      result.roms++;
    }
    result.changed += await this.repo.write(fileUpdates, romUpdates);
  }
}

interface CandidateIndex {
  bySha1: Map<string, CandidateRow[]>;
  byMd5: Map<string, CandidateRow[]>;
  byCrc: Map<string, CandidateRow[]>;
  byName: Map<string, CandidateRow[]>;
}

function indexCandidates(rows: readonly CandidateRow[]): CandidateIndex {
  const idx: CandidateIndex = { bySha1: new Map(), byMd5: new Map(), byCrc: new Map(), byName: new Map() };
  const add = (map: Map<string, CandidateRow[]>, key: string | null, row: CandidateRow) => {
    if (!key) return;
    const k = key.toLowerCase();
    map.set(k, [...(map.get(k) ?? []), row]);
  };
  for (const r of rows) {
    add(idx.bySha1, r.sha1, r);
    add(idx.byMd5, r.md5, r);
    add(idx.byCrc, r.crc, r);
    add(idx.byName, r.rom_name, r);
    add(idx.byName, stem(r.rom_name), r);
    add(idx.byName, r.game_name, r);
  }
  return idx;
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The candidates that share something with one subject. */
function lookup(idx: CandidateIndex, s: FileForVerification): CandidateRow[] {
  const found = new Set<CandidateRow>();
  const take = (map: Map<string, CandidateRow[]>, key: string | null | undefined) => {
    if (key) for (const r of map.get(key.toLowerCase()) ?? []) found.add(r);
  };
  for (const d of [s.digests, s.headerless]) {
    if (!d) continue;
    take(idx.bySha1, d.sha1);
    take(idx.byMd5, d.md5);
    take(idx.byCrc, d.crc);
  }
  take(idx.bySha1, s.chdSha1);
  for (const n of [s.name, ...(s.aliases ?? [])]) {
    take(idx.byName, n);
    take(idx.byName, stem(n));
  }
  return [...found];
}
