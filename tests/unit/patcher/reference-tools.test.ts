// Cross-checks against the Debian reference tools on files generated at test time: patches made by
// xdelta3 (plain and each secondary compressor, several window layouts) and bsdiff must apply to
// byte-identical output. Skipped, with a message, where the tools are not installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../src/patcher/index.ts';
import { makePatched, makeRom, prng, wordSalad } from './helpers/fixture-data.ts';
import { tempDir } from './helpers/tmp.ts';

const has = (tool: string): boolean => spawnSync(tool, ['-V'], { stdio: 'ignore' }).error === undefined;
const hasXdelta = has('xdelta3');
const hasBsdiff = spawnSync('bsdiff', [], { stdio: 'ignore' }).error === undefined;
if (!hasXdelta) console.warn('reference-tools: xdelta3 not installed (apt-get install xdelta3); VCDIFF cross-checks skipped');
if (!hasBsdiff) console.warn('reference-tools: bsdiff not installed (apt-get install bsdiff); BSDiff cross-checks skipped');

const tmp = tempDir('reference');

/** A 3 MiB ROM and a target with edits spread over it, moved blocks, new text and a size change. */
function makePair(): { src: string; tgt: string; expected: Buffer } {
  const rom = makeRom(3 << 20, 11);
  const next = prng(5);
  const edited = makePatched(rom, 9, 200_000);
  for (let i = 0; i < 2000; i++) edited[next() % edited.length] = next() & 0xff;
  // Move a block backwards and insert text, so copies are not all at the same offset.
  const target = Buffer.concat([
    edited.subarray(0, 1 << 20),
    wordSalad(300_000, 21),
    edited.subarray(2 << 20, (2 << 20) + 500_000),
    edited.subarray(1 << 20, 2 << 20),
    edited.subarray((2 << 20) + 500_000),
  ]);
  return { src: tmp.file('src.bin', rom), tgt: tmp.file('tgt.bin', target), expected: target };
}

const pair = hasXdelta || hasBsdiff ? makePair() : undefined;

describe.skipIf(!hasXdelta)('VCDIFF patches made by xdelta3', () => {
  const layouts: Array<[string, string[]]> = [
    ['default windows', []],
    ['64 KiB target windows', ['-W', '65536']],
    ['small source window', ['-B', '524288', '-W', '131072']],
  ];
  for (const secondary of ['none', 'djw', 'fgk', 'lzma']) {
    for (const [label, args] of layouts) {
      it(`-S ${secondary}, ${label}`, async () => {
        const { src, tgt, expected } = pair!;
        const patchPath = tmp.path(`p-${secondary}-${args.join('')}.xdelta`);
        execFileSync('xdelta3', ['-e', '-f', '-S', secondary, ...args, '-s', src, tgt, patchPath]);
        const targetPath = tmp.path(`o-${secondary}-${args.join('')}`);
        const result = await applyPatch({ sourcePath: src, patchPath, targetPath });
        expect(result.format).toBe('vcdiff');
        expect(readFileSync(targetPath).equals(expected)).toBe(true);
      });
    }
  }

  it('source segments larger than the window limit are read through the block cache', async () => {
    const { src, tgt, expected } = pair!;
    const patchPath = tmp.path('bigseg.xdelta');
    execFileSync('xdelta3', ['-e', '-f', '-W', '32768', '-S', 'djw', '-s', src, tgt, patchPath]);
    const headers = execFileSync('xdelta3', ['printhdrs', patchPath], { maxBuffer: 64 << 20 }).toString();
    const segments = [...headers.matchAll(/copy window length:\s+(\d+)/g)].map((m) => Number(m[1]));
    expect(segments.some((len) => len > 65536)).toBe(true);
    const targetPath = tmp.path('bigseg.out');
    await applyPatch({ sourcePath: src, patchPath, targetPath, limits: { maxWindowSize: 65536 } });
    expect(readFileSync(targetPath).equals(expected)).toBe(true);
  });

  it('no-checksum (-n) and target-only (no source) patches', async () => {
    const { src, tgt, expected } = pair!;
    const p1 = tmp.path('nock.xdelta');
    execFileSync('xdelta3', ['-e', '-f', '-n', '-s', src, tgt, p1]);
    await applyPatch({ sourcePath: src, patchPath: p1, targetPath: tmp.path('nock.out') });
    expect(readFileSync(tmp.path('nock.out')).equals(expected)).toBe(true);
    const p2 = tmp.path('nosrc.xdelta');
    execFileSync('xdelta3', ['-e', '-f', '-S', 'lzma', tgt, p2]);
    const empty = tmp.file('empty.bin', Buffer.alloc(0));
    await applyPatch({ sourcePath: empty, patchPath: p2, targetPath: tmp.path('nosrc.out') });
    expect(readFileSync(tmp.path('nosrc.out')).equals(expected)).toBe(true);
  });
});

describe.skipIf(!hasBsdiff)('BSDiff patches made by bsdiff', () => {
  it('apply byte-identical to bspatch', async () => {
    const { src, tgt, expected } = pair!;
    const patchPath = tmp.path('p.bdf');
    execFileSync('bsdiff', [src, tgt, patchPath]);
    await applyPatch({ sourcePath: src, patchPath, targetPath: tmp.path('bdf.out') });
    const out = readFileSync(tmp.path('bdf.out'));
    execFileSync('bspatch', [src, tmp.path('bspatch.out'), patchPath]);
    expect(out.equals(readFileSync(tmp.path('bspatch.out')))).toBe(true);
    expect(out.equals(expected)).toBe(true);
  });
});

