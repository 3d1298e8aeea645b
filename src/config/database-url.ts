import path from 'node:path';

export type Engine = 'sqlite' | 'postgres' | 'mysql';

export interface DatabaseTarget {
  engine: Engine;
  /** SQLite file path, or the server URL for PostgreSQL / MariaDB. */
  location: string;
  /** PostgreSQL schema (search_path) to use; lets tests isolate themselves in one database. */
  schema?: string;
}

/** Resolves DATABASE_URL (empty means the SQLite file in DATA_PATH). */
export function parseDatabaseUrl(url: string | undefined, dataPath: string): DatabaseTarget {
  if (!url) return { engine: 'sqlite', location: path.join(dataPath, 'romshelf.db') };
  if (/^postgres(ql)?:\/\//i.test(url)) return { engine: 'postgres', location: url };
  if (/^(mysql|mariadb):\/\//i.test(url)) {
    return { engine: 'mysql', location: url.replace(/^mariadb:/i, 'mysql:') };
  }
  if (/^sqlite:/i.test(url)) {
    const file = url.replace(/^sqlite:(\/\/)?/i, '');
    return { engine: 'sqlite', location: file === ':memory:' ? file : path.resolve(file) };
  }
  throw new Error(
    `DATABASE_URL "${redactUrl(url)}" is not supported: use postgres://…, mysql://…, mariadb://… or sqlite:<file>`,
  );
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]*)@/, '//$1:***@');
}
