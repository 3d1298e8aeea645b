import type { Kysely } from 'kysely';
import type { Database, FacetKind } from '../../../src/db/schema.ts';

export interface SeedRom {
  name: string;
  cover?: boolean;
  facets?: Partial<Record<FacetKind, string[]>>;
  platformSlug?: string;
}

const platformIds = new Map<string, number>();

async function platformId(db: Kysely<Database>, slug: string): Promise<number> {
  const existing = await db.selectFrom('platforms').select('id').where('fs_slug', '=', slug).executeTakeFirst();
  if (existing) return Number(existing.id);
  const now = Date.now();
  await db.insertInto('platforms').values({ slug, fs_slug: slug, name: slug.toUpperCase(), created_at: now, updated_at: now } as never).execute();
  const row = await db.selectFrom('platforms').select('id').where('fs_slug', '=', slug).executeTakeFirstOrThrow();
  platformIds.set(slug, Number(row.id));
  return Number(row.id);
}

/** Inserts ROM rows with facets directly (the scanner and metadata writers are not under test here); their ids. */
export async function seedRoms(db: Kysely<Database>, roms: SeedRom[]): Promise<number[]> {
  const ids: number[] = [];
  const now = Date.now();
  for (const r of roms) {
    const pid = await platformId(db, r.platformSlug ?? 'snes');
    const fsName = `${r.name}.sfc`;
    await db.insertInto('roms').values({
      platform_id: pid, fs_name: fsName, fs_name_no_tags: r.name, fs_name_no_ext: r.name, fs_extension: 'sfc',
      fs_path: `roms/${r.platformSlug ?? 'snes'}`, fs_size_bytes: 1024, name: r.name, name_sort_key: r.name.toLowerCase(),
      search_text: `${r.name} ${fsName}`.toLowerCase(), igdb_metadata: '{}', moby_metadata: '{}', ss_metadata: '{}',
      ra_metadata: '{}', launchbox_metadata: '{}', hasheous_metadata: '{}', flashpoint_metadata: '{}',
      hltb_metadata: '{}', gamelist_metadata: '{}', manual_metadata: '{}',
      path_cover_s: r.cover ? `roms/${pid}/${r.name}/cover/small.png` : '',
      path_cover_l: r.cover ? `roms/${pid}/${r.name}/cover/big.png` : '',
      url_cover: '', path_manual: '', url_manual: '', path_screenshots: '[]', url_screenshots: '[]',
      regions: '[]', languages: '[]', tags: '[]', created_at: now, updated_at: now,
    } as never).execute();
    const row = await db.selectFrom('roms').select('id').where('platform_id', '=', pid).where('fs_name', '=', fsName).executeTakeFirstOrThrow();
    const id = Number(row.id);
    ids.push(id);
    const facetRows = Object.entries(r.facets ?? {}).flatMap(([kind, values]) => [...new Set(values)].map((value) => ({ rom_id: id, kind: kind as FacetKind, value })));
    if (facetRows.length) await db.insertInto('rom_facets').values(facetRows).execute();
  }
  return ids;
}
