/**
 * Bundles the server and CLI into dist/romshelf.mjs (dependencies stay in node_modules). Running the bundle with
 * plain node avoids the TypeScript loader, which costs ~45 MB of resident memory; bin/romshelf uses it whenever it
 * is newer than every source file, and the sources through tsx otherwise.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [path.join(root, 'src/main.ts')],
  outfile: path.join(root, 'dist/romshelf.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
