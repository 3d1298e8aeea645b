import { parseArgs } from 'node:util';
import { DatsRepository } from '../db/repositories/dats-repository.ts';
import { DatImporter, type DatFolderResult } from '../domain/dats/dat-import.ts';
import { ensureWritableDir, explainAndExit, loadConfigOrExplain, openConfiguredDatabase } from '../startup.ts';

const USAGE = 'usage: romshelf dat import    import new and changed DAT files of DATS_PATH, remove DATs whose file is gone';

/** A summary line per imported or failed file, then the totals. */
export function datSummary(r: DatFolderResult): string {
  const lines = r.imported.map((i) => `imported ${i.path}: ${i.games} games, ${i.roms} ROMs`);
  lines.push(...r.failed.map((f) => `failed ${f.path}: ${f.error}`));
  lines.push(`${r.imported.length} imported, ${r.unchanged} unchanged, ${r.removed} removed, ${r.failed.length} failed`);
  return lines.join('\n');
}

/** `romshelf dat import`: exits 1 when a DAT failed to import (the others are imported all the same). */
export async function runDatCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '-h' || sub === '--help' || sub === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (sub !== 'import') {
    console.error(USAGE);
    return 2;
  }
  try {
    parseArgs({ args: rest, options: {}, strict: true });
  } catch (err) {
    console.error(`romshelf dat import: ${(err as Error).message}`);
    return 2;
  }
  try {
    const config = loadConfigOrExplain();
    await ensureWritableDir(config.dataPath, 'DATA_PATH');
    const db = await openConfiguredDatabase(config, (message) => console.error(`romshelf dat: warning: ${message}`));
    try {
      const importer = new DatImporter(new DatsRepository(db.kysely), config.dats.path);
      const started = performance.now();
      const result = await importer.syncFolder();
      console.log(datSummary(result));
      console.log(`DATS_PATH ${config.dats.path}, ${Math.round(performance.now() - started)} ms`);
      return result.failed.length > 0 ? 1 : 0;
    } finally {
      await db.destroy();
    }
  } catch (err) {
    return explainAndExit(err, 'romshelf dat import');
  }
}
