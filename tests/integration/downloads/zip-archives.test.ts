import { mkdtemp, open, rm, stat, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32OfFile } from '../../../src/archive/crc.ts';
import { planZip, type ZipEntryInput, type ZipPlan } from '../../../src/archive/zip-plan.ts';
import { readZipRange } from '../../../src/archive/zip-ranges.ts';
import { pythonZip, unzipTest } from './zip-check.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-zip-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const bytes = (name: string, data: Buffer | string, mtimeMs = Date.UTC(2020, 1, 2, 3, 4, 6)): ZipEntryInput => {
  const buf = Buffer.from(data);
  return { name, size: buf.length, crc32: crc32(buf) >>> 0, mtimeMs, source: { kind: 'bytes', data: buf } };
};

async function fileEntry(name: string, abs: string): Promise<ZipEntryInput> {
  const st = await stat(abs);
  return { name, size: st.size, crc32: await crc32OfFile(abs, st.size, st.mtimeMs), mtimeMs: st.mtimeMs, source: { kind: 'file', path: abs, mtimeMs: st.mtimeMs } };
}

const ZEROS = Buffer.alloc(1024 * 1024);

/** Streams the archive to disk; all-zero chunks are skipped (left as holes), so huge sparse archives stay cheap. */
async function writeArchive(plan: ZipPlan, file: string): Promise<void> {
  const handle = await open(file, 'w');
  let pos = 0;
  try {
    for await (const chunk of readZipRange(plan, 0, plan.totalLength)) {
      const zero = chunk.length >= 4096 && chunk.length <= ZEROS.length && ZEROS.subarray(0, chunk.length).equals(chunk);
      if (!zero) await handle.write(chunk, 0, chunk.length, pos);
      pos += chunk.length;
    }
  } finally {
    await handle.close();
  }
  await truncate(file, pos);
  expect(pos).toBe(plan.totalLength);
}

describe('streamed zip archives read by independent readers', () => {
  it('small archive of disk files and memory entries with UTF-8 names', async () => {
    const a = path.join(dir, 'a.bin');
    const b = path.join(dir, 'b.bin');
    await writeFile(a, Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a));
    await writeFile(b, 'second');
    const plan = planZip([
      await fileEntry('Pokémon – Édition Rouge (France)/Disc 1.bin', a),
      await fileEntry('sub/dir/ゼルダの伝説.gb', b),
      bytes('empty.txt', ''),
      bytes('game.m3u', 'Disc 1.bin\nDisc 2.bin'),
    ]);
    const out = path.join(dir, 'small.zip');
    await writeArchive(plan, out);
    await unzipTest(out);
    const py = await pythonZip(out);
    expect(py.bad).toBeNull();
    expect(py.utf8).toBe(true);
    expect(py.names).toEqual(['Pokémon – Édition Rouge (France)/Disc 1.bin', 'sub/dir/ゼルダの伝説.gb', 'empty.txt', 'game.m3u']);
    expect(py.m3u).toEqual(['Disc 1.bin\nDisc 2.bin']);
  });

  it('more than 65,535 entries (ZIP64 end records)', async () => {
    const entries = Array.from({ length: 70_000 }, (_, i) => bytes(`roms/gb/Game ${String(i).padStart(5, '0')}.gb`, `rom ${i}`));
    const plan = planZip(entries);
    expect(plan.zip64).toBe(true);
    const out = path.join(dir, 'many.zip');
    await writeArchive(plan, out);
    await unzipTest(out);
    const py = await pythonZip(out);
    expect(py.bad).toBeNull();
    expect(py.count).toBe(70_000);
  }, 120_000);

  it('an entry and offsets above 4 GiB (ZIP64 sizes, offsets and end records)', async () => {
    const big = path.join(dir, 'big.iso');
    await writeFile(big, '');
    await truncate(big, (4 * 1024 ** 3 + 1024 ** 2));
    const small = path.join(dir, 'after.bin');
    await writeFile(small, 'after the big one');
    const plan = planZip([bytes('before.txt', 'first'), await fileEntry('Disc (USA).iso', big), await fileEntry('after.bin', small)]);
    expect(plan.zip64).toBe(true);
    expect(plan.totalLength).toBeGreaterThan((4 * 1024 ** 3 + 1024 ** 2));
    const out = path.join(dir, 'big.zip');
    await writeArchive(plan, out);
    await unzipTest(out);
    const py = await pythonZip(out);
    expect(py.bad).toBeNull();
    expect(py.sizes).toEqual([5, (4 * 1024 ** 3 + 1024 ** 2), 17]);
  }, 300_000);
});
