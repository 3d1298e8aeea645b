import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import layers, { LAYERS } from '../../../eslint/layers.js';
import { folderCycles, folderGraph } from '../../../scripts/import-graph.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Lints one made-up file under src/ with only the layering rule. */
async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { romshelf: layers }, rules: { 'romshelf/layers': 'error' } }],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('layering lint rule', () => {
  it('refuses a route importing a repository', async () => {
    const messages = await lint('src/api/routes/example.ts', "import { UsersRepository } from '../../db/repositories/users-repository.ts';\n");
    expect(messages).toEqual([expect.stringContaining("'api' may not import 'db/repositories/users-repository.ts'")]);
  });

  it('refuses upward imports: domain -> api, db -> domain, anything -> main', async () => {
    expect(await lint('src/domain/roms/x.ts', "import { buildApp } from '../../api/app.ts';\n")).toEqual([
      expect.stringContaining("'domain' may not import 'api'"),
    ]);
    expect(await lint('src/db/repositories/x.ts', "export { RomsReadService } from '../../domain/roms/read-service.ts';\n")).toEqual([
      expect.stringContaining("'db' may not import 'domain'"),
    ]);
    expect(await lint('src/cli/x.ts', "const m = await import('../main.ts');\nexport { m };\n")).toEqual([
      expect.stringContaining("'cli' may not import 'main'"),
    ]);
  });

  it('refuses imports between rooms of the same rank and names unknown rooms', async () => {
    expect(await lint('src/library/x.ts', "import { pump } from '../archive/pump.ts';\n")).toEqual([
      expect.stringContaining("'library' may not import 'archive'"),
    ]);
    expect(await lint('src/newroom/x.ts', "import { nowMs } from '../common/time.ts';\n")).toEqual([
      expect.stringContaining("'newroom' is not a known top-level folder"),
    ]);
  });

  it('accepts downward imports, imports inside a room and packages', async () => {
    const code = [
      "import { Kysely } from 'kysely';",
      "import { nowMs } from '../../common/time.ts';",
      "import { RomsReadService } from './read-service.ts';",
      "import type { UsersRepository } from '../../db/repositories/users-repository.ts';",
      'export { Kysely, nowMs, RomsReadService };',
      'export type { UsersRepository };',
    ].join('\n');
    expect(await lint('src/domain/roms/x.ts', code)).toEqual([]);
  });
});

describe('folder-level import graph of src/', () => {
  it('has no cycle and every folder has a rank', () => {
    const graph = folderGraph();
    expect(folderCycles(graph)).toEqual([]);
    for (const room of graph.keys()) expect(Object.keys(LAYERS)).toContain(room);
  });
});
