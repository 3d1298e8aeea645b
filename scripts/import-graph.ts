/**
 * Prints the folder-level import graph of src/: one line per edge with the number of imports behind it, then every
 * cycle between top-level folders. Exits non-zero when there is a cycle. Usage: `npx tsx scripts/import-graph.ts`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', 'src');
const specifier = /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) yield full;
  }
}

/** Top-level room of a file under src/: its first folder, or the file name without extension for files at the root. */
export function roomOf(file: string): string {
  const rel = path.relative(root, file).split(path.sep);
  return rel.length > 1 ? rel[0]! : rel[0]!.replace(/\.tsx?$/, '');
}

export function folderGraph(): Map<string, Map<string, number>> {
  const graph = new Map<string, Map<string, number>>();
  for (const file of sourceFiles(root)) {
    const from = roomOf(file);
    const edges = graph.get(from) ?? new Map<string, number>();
    graph.set(from, edges);
    for (const match of readFileSync(file, 'utf8').matchAll(specifier)) {
      const spec = match[1] ?? match[2];
      if (!spec?.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(root + path.sep)) continue;
      const to = roomOf(target);
      if (to !== from) edges.set(to, (edges.get(to) ?? 0) + 1);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder: each is a cycle between top-level folders. */
export function folderCycles(graph: Map<string, Map<string, number>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const graph = folderGraph();
  for (const [from, edges] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
    const list = [...edges].sort(([a], [b]) => a.localeCompare(b)).map(([to, n]) => `${to} (${n})`);
    console.log(`${from.padEnd(10)} -> ${list.join(', ') || '(nothing)'}`);
  }
  const cycles = folderCycles(graph);
  console.log(cycles.length === 0 ? '\nno cycle between top-level folders' : `\ncycles: ${cycles.map((c) => c.join(' <-> ')).join('; ')}`);
  process.exitCode = cycles.length === 0 ? 0 : 1;
}
