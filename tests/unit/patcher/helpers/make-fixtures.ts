// Regenerates tests/fixtures/patches/ (run: npx tsx tests/unit/patcher/helpers/make-fixtures.ts).
// The VCDIFF and BSDiff fixtures come from the Debian tools xdelta3 and bsdiff.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeApsGba, encodeApsN64, encodeBps, encodeIps, encodePpf, encodeRup, encodeUps } from './encoders.ts';
import { makePatched, makeRom } from './fixture-data.ts';

const dir = join(import.meta.dirname, '../../../fixtures/patches');
mkdirSync(dir, { recursive: true });
const rom = makeRom(64 * 1024);
const patched = makePatched(rom);
const same = Buffer.from(patched.subarray(0, rom.length)); // same-size target for PPF/APS GBA
const w = (name: string, data: Buffer): void => writeFileSync(join(dir, name), data);
w('rom.bin', rom);
w('rom-patched.bin', patched);
w('rom-patched-same-size.bin', same);
w('patch.ips', encodeIps(rom, patched));
w('patch-ips32.ips', encodeIps(rom, patched, { ips32: true }));
w('patch.ups', encodeUps(rom, patched));
w('patch.bps', encodeBps(rom, patched));
w('patch-ppf1.ppf', encodePpf(rom, same, 1));
w('patch-ppf2.ppf', encodePpf(rom, same, 2, { diz: 'romshelf test' }));
w('patch-ppf3.ppf', encodePpf(rom, same, 3, { blockCheck: true, undo: true, diz: 'romshelf test' }));
w('patch-n64.aps', encodeApsN64(rom, patched));
w('patch-gba.aps', encodeApsGba(rom, same));
w('patch.rup', encodeRup(rom, patched));
const tool = (cmd: string, args: string[]): void => {
  execFileSync(cmd, args, { stdio: 'inherit' });
};
const tmpRom = join(dir, 'rom.bin');
const tmpOut = join(dir, 'rom-patched.bin');
for (const s of ['none', 'djw', 'fgk', 'lzma']) {
  tool('xdelta3', ['-e', '-f', '-A', '-S', s, '-s', tmpRom, tmpOut, join(dir, `patch-${s}.xdelta`)]);
}
// Several windows with FGK: xdelta3's own decoder rejects this file (see docs/patching.md).
tool('xdelta3', ['-e', '-f', '-A', '-W', '16384', '-S', 'fgk', '-s', tmpRom, tmpOut, join(dir, 'patch-fgk-windows.xdelta')]);
tool('xdelta3', ['-e', '-f', '-A', '-W', '16384', '-S', 'lzma', '-s', tmpRom, tmpOut, join(dir, 'patch-lzma-windows.xdelta')]);
tool('xdelta3', ['-e', '-f', '-A', '-W', '16384', '-S', 'djw', '-s', tmpRom, tmpOut, join(dir, 'patch-djw-windows.vcdiff')]);
tool('bsdiff', [tmpRom, tmpOut, join(dir, 'patch.bdf')]);
console.log(`fixtures written to ${dir}`);
