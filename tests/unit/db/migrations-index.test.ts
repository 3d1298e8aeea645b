import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';

it('lists every migration file of the folder, in name order, exactly once', () => {
  const files = readdirSync(path.resolve('src/db/migrations'))
    .filter((f) => /^\d{4}-[\w-]+\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  expect(MIGRATIONS.map(([name]) => name)).toEqual(files);
});
