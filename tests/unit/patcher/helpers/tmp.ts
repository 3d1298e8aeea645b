import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const FIXTURES = join(import.meta.dirname, '../../../fixtures/patches');

/** A temporary directory removed after the test file; `file()` writes a buffer into it. */
export function tempDir(prefix: string): { path: (name: string) => string; file: (name: string, data: Uint8Array) => string } {
  const dir = mkdtempSync(join(tmpdir(), `romshelf-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    path: (name) => join(dir, name),
    file: (name, data) => {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
  };
}
