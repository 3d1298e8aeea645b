import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPatch, detectPatchFormat } from '../../../src/patcher/index.ts';
import { FIXTURES, tempDir } from './helpers/tmp.ts';

const fixture = (name: string): string => join(FIXTURES, name);
const tmp = tempDir('formats');

const cases: Array<{ patch: string; expected: string; format: string; formatName: string }> = [
  { patch: 'patch.ips', expected: 'rom-patched.bin', format: 'ips', formatName: 'IPS' },
  { patch: 'patch-ips32.ips', expected: 'rom-patched.bin', format: 'ips', formatName: 'IPS32' },
  { patch: 'patch.ups', expected: 'rom-patched.bin', format: 'ups', formatName: 'UPS' },
  { patch: 'patch.bps', expected: 'rom-patched.bin', format: 'bps', formatName: 'BPS' },
  { patch: 'patch-ppf1.ppf', expected: 'rom-patched-same-size.bin', format: 'ppf', formatName: 'PPF 1.0' },
  { patch: 'patch-ppf2.ppf', expected: 'rom-patched-same-size.bin', format: 'ppf', formatName: 'PPF 2.0' },
  { patch: 'patch-ppf3.ppf', expected: 'rom-patched-same-size.bin', format: 'ppf', formatName: 'PPF 3.0' },
  { patch: 'patch-n64.aps', expected: 'rom-patched.bin', format: 'aps-n64', formatName: 'APS (N64)' },
  { patch: 'patch-gba.aps', expected: 'rom-patched-same-size.bin', format: 'aps-gba', formatName: 'APS (GBA)' },
  { patch: 'patch.rup', expected: 'rom-patched.bin', format: 'rup', formatName: 'RUP (NINJA 2.0)' },
  { patch: 'patch.bdf', expected: 'rom-patched.bin', format: 'bsdiff', formatName: 'BSDiff 4.0' },
  { patch: 'patch-none.xdelta', expected: 'rom-patched.bin', format: 'vcdiff', formatName: 'VCDIFF' },
  { patch: 'patch-djw.xdelta', expected: 'rom-patched.bin', format: 'vcdiff', formatName: 'VCDIFF (xdelta3, DJW)' },
  { patch: 'patch-fgk.xdelta', expected: 'rom-patched.bin', format: 'vcdiff', formatName: 'VCDIFF (xdelta3, FGK)' },
  { patch: 'patch-lzma.xdelta', expected: 'rom-patched.bin', format: 'vcdiff', formatName: 'VCDIFF (xdelta3, LZMA)' },
  { patch: 'patch-djw-windows.vcdiff', expected: 'rom-patched.bin', format: 'vcdiff', formatName: 'VCDIFF (xdelta3, DJW)' },
  { patch: 'patch-lzma-windows.xdelta', expected: 'rom-patched.bin', format: 'vcdiff', formatName: 'VCDIFF (xdelta3, LZMA)' },
  // xdelta3 -d itself rejects this one: its FGK model drifts when the encoder discards a section.
  { patch: 'patch-fgk-windows.xdelta', expected: 'rom-patched.bin', format: 'vcdiff', formatName: 'VCDIFF (xdelta3, FGK)' },
];

describe('patch fixtures in every format', () => {
  for (const c of cases) {
    it(`${c.patch} applies to the fixture ROM byte for byte`, async () => {
      const targetPath = tmp.path(`${c.patch}.out`);
      const result = await applyPatch({ sourcePath: fixture('rom.bin'), patchPath: fixture(c.patch), targetPath });
      const expected = readFileSync(fixture(c.expected));
      expect(result).toEqual({ format: c.format, formatName: c.formatName, validated: true, outputSize: expected.length });
      expect(readFileSync(targetPath).equals(expected)).toBe(true);
    });
  }
});

describe('source validation', () => {
  // A ROM that differs from the patch's source in one byte far from any record.
  const rom = readFileSync(fixture('rom.bin'));
  const other = Buffer.from(rom);
  other[0x9320 + 10] = other[0x9320 + 10]! ^ 0x55;
  other[0x3d] = 0x41; // N64 cartridge id
  const otherPath = tmp.file('other.bin', other);

  const reported: Array<[string, boolean]> = [
    ['patch.ips', true], // no checksum in the format
    ['patch.bdf', true],
    ['patch-ppf1.ppf', true],
    ['patch.ups', false],
    ['patch.bps', false],
    ['patch-ppf2.ppf', false],
    ['patch-ppf3.ppf', false],
    ['patch-n64.aps', false],
    ['patch-gba.aps', false],
    ['patch.rup', false],
  ];
  for (const [patch, validated] of reported) {
    it(`${patch} applies to a different dump and reports validated=${validated}`, async () => {
      const result = await applyPatch({ sourcePath: otherPath, patchPath: fixture(patch), targetPath: tmp.path(`${patch}.other`) });
      expect(result.validated).toBe(validated);
    });
  }

  it('VCDIFF with Adler-32 rejects a source that does not produce the target', async () => {
    await expect(
      applyPatch({ sourcePath: otherPath, patchPath: fixture('patch-none.xdelta'), targetPath: tmp.path('x.out') }),
    ).rejects.toThrow(/Adler-32/);
  });

  it('UPS and RUP undo: the patched ROM goes back to the original', async () => {
    for (const patch of ['patch.ups', 'patch.rup']) {
      const targetPath = tmp.path(`${patch}.undo`);
      const result = await applyPatch({ sourcePath: fixture('rom-patched.bin'), patchPath: fixture(patch), targetPath });
      expect(result.validated).toBe(true);
      expect(readFileSync(targetPath).equals(rom)).toBe(true);
    }
  });
});

describe('detection by magic bytes', () => {
  it('tells the APS flavours apart and ignores the extension', () => {
    expect(detectPatchFormat(Buffer.from('APS10\x01'))?.id).toBe('aps-n64');
    expect(detectPatchFormat(Buffer.from('APS1\x00\x00\x01\x00'))?.id).toBe('aps-gba');
    expect(detectPatchFormat(Buffer.from([0xd6, 0xc3, 0xc4, 0x00, 0x00]))?.id).toBe('vcdiff');
    expect(detectPatchFormat(Buffer.from('BSDIFF40'))?.id).toBe('bsdiff');
    expect(detectPatchFormat(Buffer.from('NINJA2'))?.id).toBe('rup');
    expect(detectPatchFormat(Buffer.from('PPF30'))?.id).toBe('ppf');
    expect(detectPatchFormat(Buffer.from('PMSR'))?.id).toBe('pmsr');
    expect(detectPatchFormat(Buffer.from('hello world'))).toBeUndefined();
  });
});
