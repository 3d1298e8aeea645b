import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatText } from '../../../src/dats/source.ts';
import { tinyZip } from '../../helpers/tiny-zip.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'romshelf-dat-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(file: string, max?: number): Promise<string> {
  const src = await openDatText(file, max);
  try {
    let out = '';
    for await (const c of src.chunks) out += c;
    return out;
  } finally {
    src.close();
  }
}

describe('DAT sources', () => {
  it('reads a plain file and the one DAT in a zip, UTF-8 intact', async () => {
    const text = `clrmamepro ( name "Pokémon ${'é'.repeat(200_000)}" )`;
    writeFileSync(path.join(dir, 'a.dat'), text);
    writeFileSync(path.join(dir, 'a.zip'), tinyZip({ 'folder/': '', 'readme.txt': 'x', 'Nintendo - Game Boy (2024).dat': text }));
    expect(await readAll(path.join(dir, 'a.dat'))).toBe(text);
    const zipped = await openDatText(path.join(dir, 'a.zip'));
    zipped.close();
    expect(zipped.entryName).toBe('Nintendo - Game Boy (2024).dat');
    expect(await readAll(path.join(dir, 'a.zip'))).toBe(text);
  });

  it('stops a zip bomb at the size cap', async () => {
    writeFileSync(path.join(dir, 'bomb.zip'), tinyZip({ 'bomb.xml': Buffer.alloc(4 * 1024 * 1024, 0x20) }));
    await expect(readAll(path.join(dir, 'bomb.zip'), 1024 * 1024)).rejects.toThrow('the DAT in the zip is larger than 1048576 bytes');
    writeFileSync(path.join(dir, 'big.dat'), Buffer.alloc(2 * 1024 * 1024, 0x20));
    await expect(readAll(path.join(dir, 'big.dat'), 1024 * 1024)).rejects.toThrow('the DAT is larger than 1048576 bytes');
  });

  it('reports a damaged zip', async () => {
    const zip = tinyZip({ 'a.dat': 'clrmamepro ( name x )' });
    writeFileSync(path.join(dir, 'cut.zip'), zip.subarray(0, zip.length - 10));
    await expect(openDatText(path.join(dir, 'cut.zip'))).rejects.toThrow(/^not a readable zip file/);
  });
});
