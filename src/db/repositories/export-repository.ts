import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** What the gamelist and Pegasus exports read of a platform. */
export interface ExportPlatformRow {
  id: number;
  slug: string;
  fs_slug: string;
  name: string;
  custom_name: string;
}

/** The columns of one ROM the exports write; JSON columns stay text (parsed by the service). */
export interface ExportRomRow {
  id: number;
  fs_name: string;
  fs_name_no_ext: string;
  fs_name_no_tags: string;
  fs_path: string;
  name: string | null;
  summary: string | null;
  gamelist_id: string | null;
  regions: string;
  languages: string;
  tags: string;
  first_release_date: number | null;
  average_rating: number | null;
  player_count: string;
  path_cover_l: string;
  path_screenshots: string;
  path_manual: string;
  url_cover: string;
  url_screenshots: string;
  url_manual: string;
  igdb_metadata: string;
  moby_metadata: string;
  ss_metadata: string;
  ra_metadata: string;
  launchbox_metadata: string;
  flashpoint_metadata: string;
  gamelist_metadata: string;
  manual_metadata: string;
}

export class ExportRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async platform(id: number): Promise<ExportPlatformRow | undefined> {
    return this.db.selectFrom('platforms').select(['id', 'slug', 'fs_slug', 'name', 'custom_name'])
      .where('id', '=', id).executeTakeFirst();
  }

  /** Library-relative folder of the platform's ROMs as the scanner recorded it; undefined when it has none. */
  async romsFolder(platformId: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('roms').select('fs_path').where('platform_id', '=', platformId)
      .orderBy('id').limit(1).executeTakeFirst();
    return row?.fs_path;
  }

  /** The platform's ROMs present on disk, by id, one page at a time (keyset), so memory stays flat. */
  async *roms(platformId: number, pageSize = 500): AsyncGenerator<ExportRomRow[]> {
    let after = 0;
    for (;;) {
      const page = await this.db.selectFrom('roms')
        .select([
          'id', 'fs_name', 'fs_name_no_ext', 'fs_name_no_tags', 'fs_path', 'name', 'summary', 'gamelist_id', 'regions',
          'languages', 'tags', 'first_release_date', 'average_rating', 'player_count', 'path_cover_l',
          'path_screenshots', 'path_manual', 'url_cover', 'url_screenshots', 'url_manual', 'igdb_metadata',
          'moby_metadata', 'ss_metadata', 'ra_metadata', 'launchbox_metadata', 'flashpoint_metadata',
          'gamelist_metadata', 'manual_metadata',
        ])
        .where('platform_id', '=', platformId)
        .where('missing_from_fs', '=', 0)
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      if (page.length === 0) return;
      yield page.map((r) => ({
        ...r,
        id: Number(r.id),
        first_release_date: r.first_release_date === null ? null : Number(r.first_release_date),
        average_rating: r.average_rating === null ? null : Number(r.average_rating),
      }));
      const last = page[page.length - 1];
      if (!last || page.length < pageSize) return;
      after = Number(last.id);
    }
  }
}
