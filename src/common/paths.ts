import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root (where package.json and src/ live), found from this module's location so the same code works
 * from the TypeScript sources and from the bundled dist/romshelf.mjs.
 */
function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'src', 'main.ts'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start, '..');
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Whether `candidate` lies strictly below `root` (never the root itself), comparing resolved paths by whole
 * segments, so `/lib/x` is inside `/lib` but `/library2` is not. Lexical only: pass realpaths to judge where a
 * symlink really points.
 */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(candidate));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** `isInside`, or the root itself. */
export function isInsideOrAt(root: string, candidate: string): boolean {
  return path.resolve(root) === path.resolve(candidate) || isInside(root, candidate);
}

/**
 * Absolute path of `relative` under `root`, or null when it is absolute (a drive prefix counts, so a path stored
 * on one system means the same on another), holds NUL, or does not end up strictly inside the root.
 */
export function resolveInside(root: string, relative: string): string | null {
  if (relative.includes('\0') || path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) return null;
  const abs = path.resolve(root, relative);
  return isInside(root, abs) ? abs : null;
}
