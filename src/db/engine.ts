import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import type { DatabaseTarget, Engine } from '../config/database-url.ts';

export type { DatabaseTarget, Engine };
import type { Database } from './schema.ts';
import { capabilitiesOf, type EngineCapabilities } from './capabilities.ts';

export type { EngineCapabilities };
import { SqliteFileGuard } from './sqlite-guard.ts';

export interface Db {
  kysely: Kysely<Database>;
  engine: Engine;
  /** What the engine can do; repositories read these flags instead of the engine's name. */
  caps: EngineCapabilities;
  /** PostgreSQL schema in use, when not the default. */
  schema?: string;
  destroy(): Promise<void>;
}

export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  const dialect = await createDialect(target);
  const kysely = new Kysely<Database>({ dialect });
  return {
    kysely,
    engine: target.engine,
    caps: capabilitiesOf(target.engine),
    ...(target.schema ? { schema: target.schema } : {}),
    destroy: () => kysely.destroy(),
  };
}

async function createDialect(target: DatabaseTarget): Promise<Dialect> {
  switch (target.engine) {
    case 'sqlite': {
      const { default: SqliteDatabase } = await import('better-sqlite3');
      const sqlite = new SqliteDatabase(target.location);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      // ~64 MiB page cache: a 100k-ROM library's hot indexes stay in memory.
      sqlite.pragma('cache_size = -65536');
      sqlite.pragma('temp_store = MEMORY');
      return new SqliteDialect({ database: target.location === ':memory:' ? sqlite : new SqliteFileGuard(sqlite, target.location) });
    }
    case 'postgres': {
      const pg = await import('pg');
      // BIGINT and NUMERIC counts arrive as strings by default; every engine must return numbers.
      pg.default.types.setTypeParser(20, Number);
      pg.default.types.setTypeParser(1700, Number);
      const pool = new pg.default.Pool({
        connectionString: target.location,
        max: 10,
        connectionTimeoutMillis: 5000,
        ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
      });
      return new PostgresDialect({ pool });
    }
    case 'mysql': {
      const mysql = await import('mysql2');
      const pool = mysql.createPool({
        uri: target.location,
        connectionLimit: 10,
        connectTimeout: 5000,
        timezone: 'Z',
        supportBigNumbers: true,
        bigNumberStrings: false,
        charset: 'utf8mb4_bin',
      });
      return new MysqlDialect({ pool });
    }
  }
}
