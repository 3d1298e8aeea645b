/**
 * Just enough of IGDB's query language (Apicalypse) for the queries RomM's IGDB client sends:
 * `search "term"; fields a,b.c; where platforms=[7] & id=(1,2) & (name ~ *"x"* | alternative_name ~ *"x"*); limit 200;`.
 * The `where` clause is read for the filters that select games (platform ids, game ids, slugs, name contains);
 * others (game_type, category) select every game of the fake, whose games are all main games.
 */
export interface ApicalypseQuery {
  search: string | null;
  fields: string[];
  limit: number;
  offset: number;
  platformIds: number[];
  ids: number[];
  slugs: string[];
  nameContains: string[];
  /** Statements the parser did not understand, kept for the counters. */
  unknown: string[];
}

/** Splits on `;` outside double-quoted strings. */
function statements(body: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && quoted) { cur += c + (body[++i] ?? ''); continue; }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) { out.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out.filter(Boolean);
}

const numbers = (s: string) => s.split(',').map((x) => Number(x.trim())).filter((n) => Number.isInteger(n));
const unquote = (s: string) => s.replace(/\\"/g, '"');

export function parseApicalypse(body: string): ApicalypseQuery {
  const q: ApicalypseQuery = { search: null, fields: [], limit: 10, offset: 0, platformIds: [], ids: [], slugs: [], nameContains: [], unknown: [] };
  for (const st of statements(body)) {
    const m = /^(\w+)\s+([\s\S]*)$/.exec(st);
    if (!m) { q.unknown.push(st); continue; }
    const [, kw, rest] = m as unknown as [string, string, string];
    switch (kw.toLowerCase()) {
      case 'search': q.search = unquote(/^"([\s\S]*)"$/.exec(rest.trim())?.[1] ?? rest.trim()); break;
      case 'fields': q.fields = rest.split(',').map((f) => f.trim()).filter(Boolean); break;
      case 'limit': q.limit = Math.min(500, Math.max(1, Number(rest) || 10)); break;
      case 'offset': q.offset = Math.max(0, Number(rest) || 0); break;
      case 'where': readWhere(rest, q); break;
      case 'sort': case 'exclude': break;
      default: q.unknown.push(st);
    }
  }
  return q;
}

function readWhere(where: string, q: ApicalypseQuery): void {
  for (const m of where.matchAll(/(?:^|[^\w.])(?:game\.)?platforms\s*=\s*(?:\[([\d,\s]+)\]|\(([\d,\s]+)\)|(\d+))/g)) {
    q.platformIds.push(...numbers(m[1] ?? m[2] ?? m[3] ?? ''));
  }
  for (const m of where.matchAll(/(?:^|[^\w.])(?:game\.)?id\s*=\s*(?:\(([\d,\s]+)\)|(\d+))/g)) q.ids.push(...numbers(m[1] ?? m[2] ?? ''));
  for (const m of where.matchAll(/(?:^|[^\w.])slug\s*=\s*"((?:[^"\\]|\\.)*)"/g)) q.slugs.push(unquote(m[1] ?? ''));
  for (const m of where.matchAll(/(?:^|[^\w.])name\s*~\s*\*?\s*"((?:[^"\\]|\\.)*)"\s*\*?/g)) q.nameContains.push(unquote(m[1] ?? ''));
}
