import { mkdtemp, open, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileChangedError, readFileRange, type Expected } from '../../../src/archive/file-range.ts';
import { fileIdentity } from '../../../src/common/file-identity.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-range-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function planned(file: string): Promise<Expected> {
  const { size, mtimeMs, ctimeMs, ino } = fileIdentity(await stat(file));
  return { size, mtimeMs, ctimeMs, ino };
}

async function readAll(file: string, expected: Expected): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of readFileRange(file, 0, expected.size, expected)) out.push(Buffer.from(chunk));
  return Buffer.concat(out);
}

describe('readFileRange', () => {
  it('refuses a file rewritten at the same size with its mtime set back', async () => {
    const file = path.join(dir, 'a.bin');
    await writeFile(file, Buffer.alloc(4096, 1));
    const expected = await planned(file);
    expect((await readAll(file, expected)).equals(Buffer.alloc(4096, 1))).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    const handle = await open(file, 'r+');
    await handle.write(Buffer.alloc(4096, 2), 0, 4096, 0);
    await handle.close();
    await utimes(file, expected.mtimeMs as number / 1000, expected.mtimeMs as number / 1000);
    await expect(readAll(file, expected)).rejects.toThrow(FileChangedError);
    await expect(readAll(file, expected)).rejects.toThrow(/rewritten/);
  });

  it('refuses a file replaced by another one of the same size and mtime', async () => {
    const file = path.join(dir, 'b.bin');
    await writeFile(file, 'aaaa');
    const expected = await planned(file);
    const other = path.join(dir, 'b.new');
    await writeFile(other, 'bbbb');
    await utimes(other, expected.mtimeMs as number / 1000, expected.mtimeMs as number / 1000);
    await rename(other, file);
    await expect(readAll(file, expected)).rejects.toThrow(/replaced by another file/);
  });

  it('refuses bytes changed while the file is read, before the last chunk goes out', async () => {
    const file = path.join(dir, 'c.bin');
    await writeFile(file, Buffer.alloc(3 * 1024 * 1024, 1));
    const expected = await planned(file);
    const got: Buffer[] = [];
    const read = (async () => {
      for await (const chunk of readFileRange(file, 0, expected.size, expected)) {
        got.push(chunk);
        if (got.length === 1) {
          await new Promise((r) => setTimeout(r, 5));
          const handle = await open(file, 'r+');
          await handle.write(Buffer.alloc(16, 9), 0, 16, 2 * 1024 * 1024);
          await handle.close();
        }
      }
    })();
    await expect(read).rejects.toThrow(/while reading/);
    expect(got.length).toBeLessThan(3);
  });
});
