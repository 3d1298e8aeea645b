/**
 * Lint rule `romshelf/layers`: which top-level folder of src/ may import which. Every room has a rank; a file may
 * import only rooms of a strictly lower rank, so the folder graph cannot have a cycle, plus a few narrower bans
 * (routes never reach repositories). docs/architecture.md draws the same table.
 */
import path from 'node:path';

/** Lowest first. Rooms of equal rank may not import each other. */
export const LAYERS = {
  common: 0,
  config: 1,
  contract: 1,
  library: 2,
  archive: 2,
  patcher: 2,
  media: 2,
  net: 2,
  dats: 2,
  db: 3,
  scanner: 4,
  metadata: 4,
  auth: 5,
  domain: 6,
  jobs: 7,
  compose: 8,
  startup: 8,
  api: 9,
  server: 10,
  cli: 11,
  main: 12,
};

/** Narrower bans inside an allowed direction: [importer room, forbidden path prefix under src/, reason]. */
const BANS = [
  ['api', 'db/repositories/', 'routes and plugins reach data through services, never a repository'],
  ['api', 'db/rom-query/', 'routes and plugins reach data through services, never the query engine'],
  ['api', 'db/migrations/', 'migrations run at start-up, not from the HTTP layer'],
];

/** Room of a path under src/: its first folder, or the file name without extension for files at the root. */
export function roomOf(srcRoot, file) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.[cm]?[jt]sx?$/, '');
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps the imports between top-level folders of src/ one-way (see docs/architecture.md)' },
    schema: [{ type: 'object', properties: { srcRoot: { type: 'string' } }, additionalProperties: false }],
    messages: {
      upward: "'{{from}}' may not import '{{to}}' ({{to}} sits above {{from}} in the layers of docs/architecture.md)",
      banned: "'{{from}}' may not import '{{target}}': {{reason}}",
      unknown: "'{{room}}' is not a known top-level folder of src/: give it a rank in eslint/layers.js",
    },
  },
  create(context) {
    const srcRoot = path.resolve(context.options[0]?.srcRoot ?? path.join(context.cwd, 'src'));
    const file = context.filename;
    const from = roomOf(srcRoot, file);
    if (from === null) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = roomOf(srcRoot, target);
      if (to === null || to === from) return;
      for (const room of [from, to]) {
        if (!(room in LAYERS)) {
          context.report({ node, messageId: 'unknown', data: { room } });
          return;
        }
      }
      if (LAYERS[to] >= LAYERS[from]) {
        context.report({ node, messageId: 'upward', data: { from, to } });
        return;
      }
      const rel = path.relative(srcRoot, target).split(path.sep).join('/');
      for (const [room, prefix, reason] of BANS) {
        if (room === from && rel.startsWith(prefix)) {
          context.report({ node, messageId: 'banned', data: { from, target: rel, reason } });
          return;
        }
      }
    };
    const fromSource = (node) => check(node, node.source?.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
    };
  },
};

export default { rules: { layers: layersRule } };
