import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { hidesNothing, NOTHING_HIDDEN, romNotHidden, type HiddenSets } from './hidden.ts';

/** Provider id columns counted by the metadata coverage breakdown, in RomM's order. */
export const METADATA_SOURCE_COLUMNS = {
  igdb: 'igdb_id',
  ss: 'ss_id',
  moby: 'moby_id',
  launchbox: 'launchbox_id',
  ra: 'ra_id',
  hasheous: 'hasheous_id',
  tgdb: 'tgdb_id',
  flashpoint: 'flashpoint_id',
  hltb: 'hltb_id',
  gamelist: 'gamelist_id',
  libretro: 'libretro_id',
} as const;

export type MetadataSource = keyof typeof METADATA_SOURCE_COLUMNS;

export interface LibraryTotals {
  platforms: number;
  roms: number;
  totalFileSizeBytes: number;
}

/**
 * Aggregate counts over the library; one query body per figure, the same on every engine. `hidden`: ROMs and
 * platforms hidden from the caller are not counted (RomM 5); no condition is added without hides.
 */
export class StatsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async totals(hidden: HiddenSets = NOTHING_HIDDEN): Promise<LibraryTotals> {
    const hides = !hidesNothing(hidden);
    let romsQ = this.db
      .selectFrom('roms')
      .select((eb) => [eb.fn.countAll<number | string>().as('roms'), eb.fn.count<number | string>('platform_id').distinct().as('platforms')]);
    if (hides) romsQ = romsQ.where(romNotHidden(hidden, 'roms.id', 'roms.platform_id'));
    const roms = await romsQ.executeTakeFirstOrThrow();
    const size = hides
      ? await this.db
        .selectFrom('rom_files')
        .innerJoin('roms', 'roms.id', 'rom_files.rom_id')
        .where(romNotHidden(hidden, 'roms.id', 'roms.platform_id'))
        .select((eb) => eb.fn.sum<number | string | null>('rom_files.file_size_bytes').as('bytes'))
        .executeTakeFirstOrThrow()
      : await this.db
        .selectFrom('rom_files')
        .select((eb) => eb.fn.sum<number | string | null>('file_size_bytes').as('bytes'))
        .executeTakeFirstOrThrow();
    return { platforms: Number(roms.platforms), roms: Number(roms.roms), totalFileSizeBytes: Number(size.bytes ?? 0) };
  }

  /** Per platform: how many ROMs carry each provider id. */
  async metadataCoverage(hidden: HiddenSets = NOTHING_HIDDEN): Promise<Map<number, Record<MetadataSource, number>>> {
    let q = this.db.selectFrom('roms');
    if (!hidesNothing(hidden)) q = q.where(romNotHidden(hidden, 'roms.id', 'roms.platform_id'));
    const rows = await q
      .select((eb) => [
        'platform_id',
        ...Object.entries(METADATA_SOURCE_COLUMNS).map(([key, col]) => eb.fn.count<number | string>(col).as(key)),
      ])
      .groupBy('platform_id')
      .execute();
    const out = new Map<number, Record<MetadataSource, number>>();
    for (const row of rows as unknown as Array<Record<string, number | string>>) {
      const counts = {} as Record<MetadataSource, number>;
      for (const key of Object.keys(METADATA_SOURCE_COLUMNS) as MetadataSource[]) counts[key] = Number(row[key] ?? 0);
      out.set(Number(row.platform_id), counts);
    }
    return out;
  }

  /** Per platform and region: how many ROMs name that region in their file name. */
  async regionCounts(hidden: HiddenSets = NOTHING_HIDDEN): Promise<Array<{ platformId: number; region: string; count: number }>> {
    let q = this.db
      .selectFrom('rom_facets')
      .innerJoin('roms', 'roms.id', 'rom_facets.rom_id')
      .where('rom_facets.kind', '=', 'region');
    if (!hidesNothing(hidden)) q = q.where(romNotHidden(hidden, 'roms.id', 'roms.platform_id'));
    const rows = await q
      .select((eb) => ['roms.platform_id', 'rom_facets.value', eb.fn.countAll<number | string>().as('n')])
      .groupBy(['roms.platform_id', 'rom_facets.value'])
      .execute();
    return rows.map((r) => ({ platformId: Number(r.platform_id), region: r.value, count: Number(r.n) }));
  }
}
