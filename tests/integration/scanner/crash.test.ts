import { spawn } from 'node:child_process';
import { renameSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../helpers/engines.ts';
import { clearLibrary, freshLibrary, scan, snapshot, writeTree } from './fixtures.ts';

// node itself with tsx's loader: one process, so SIGKILL really stops the scan (the tsx CLI would leave its child running).
const tsxLoader = 'tsx';
const child = path.resolve('tests/integration/scanner/crash-child.ts');

describeEachEngine('scanner crash safety', (ctx) => {
  it('a scan killed with SIGKILL and run again converges to the state of a clean scan', async () => {
    const { db, dir, target } = ctx();
    await clearLibrary(db);
    const lib = freshLibrary(dir, 'lib-crash');
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) files[`roms/${['nes', 'snes', 'gb'][i % 3]}/Game ${i} (USA) (Rev ${i % 4}).bin`] = `data ${i}`;
    for (let i = 0; i < 20; i++) files[`roms/psx/Disc ${i} (Europe)/track ${i}.bin`] = `disc ${i}`;
    writeTree(lib, files);
    // A first state with a rename pending, so the killed scan is also mid re-association.
    await scan(db, lib, 'quick');
    renameSync(path.join(lib, 'roms/nes/Game 0 (USA) (Rev 0).bin'), path.join(lib, 'roms/nes/Game 0 (USA) (Rev 9).bin'));
    writeTree(lib, Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`roms/gba/New ${i} (Japan).gba`, `new ${i}`])));

    const before = Number((await db.kysely.selectFrom('roms').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const proc = spawn(process.execPath, ['--import', tsxLoader, child, JSON.stringify(target), lib], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    // Kill once some of its batches are committed.
    for (let i = 0; i < 500; i++) {
      const n = Number((await db.kysely.selectFrom('roms').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      if (n > before + 50) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    proc.kill('SIGKILL');
    await exited;

    await scan(db, lib, 'complete');
    const recovered = await snapshot(db);
    const romIds = await db.kysely.selectFrom('roms').select(['fs_name']).execute();
    expect(new Set(romIds.map((r) => r.fs_name)).size).toBe(romIds.length);

    await clearLibrary(db);
    await scan(db, lib, 'complete');
    expect(recovered).toEqual(await snapshot(db));
  }, 120_000);
});
