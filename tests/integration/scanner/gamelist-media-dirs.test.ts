import { expect, it } from 'vitest';
import { describeEachEngine } from '../../helpers/engines.ts';
import { clearLibrary, freshLibrary, scan, writeTree } from './fixtures.ts';

describeEachEngine('media folders beside a gamelist.xml', (ctx) => {
  it('are artwork, not multi-file ROMs, only where a gamelist.xml sits', async () => {
    const { db, dir } = ctx();
    await clearLibrary(db);
    const library = freshLibrary(dir, 'gl-media');
    writeTree(library, {
      'roms/snes/gamelist.xml': '<gameList/>',
      'roms/snes/Game (USA).sfc': 'g',
      'roms/snes/images/Game (USA)-image.png': 'png',
      'roms/snes/Videos/Game (USA)-video.mp4': 'mp4',
      'roms/snes/Disc Game/track.bin': 'bin',
      'roms/gba/images/part.bin': 'a folder ROM called images',
    });
    await scan(db, library, 'quick');
    const names = (await db.kysely.selectFrom('roms').innerJoin('platforms', 'platforms.id', 'roms.platform_id')
      .select(['platforms.fs_slug', 'roms.fs_name']).orderBy('platforms.fs_slug').orderBy('roms.fs_name').execute())
      .map((r) => `${r.fs_slug}/${r.fs_name}`);
    expect(names).toEqual(['gba/images', 'snes/Disc Game', 'snes/Game (USA).sfc']);
  });
});
