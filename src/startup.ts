import { mkdir, access, constants } from 'node:fs/promises';
import { type Config, ConfigError, loadConfig } from './config/config.ts';
import { redactUrl } from './config/database-url.ts';
import { asStorageError } from './common/storage-errors.ts';
import { openDatabase, type Db } from './db/engine.ts';
import { migrateToLatest } from './db/migrator.ts';
import { checkSqliteIntegrity } from './db/sqlite-integrity.ts';

/** A start-up failure with a one-line explanation of what is wrong and how to fix it. */
export class StartupError extends Error {}

export function loadConfigOrExplain(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof Error) throw new StartupError(`configuration error: ${err.message}`);
    throw err;
  }
}

export async function ensureWritableDir(dir: string, variable: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new StartupError(`${variable} ${dir} is not a writable directory (${reason}): create it or point ${variable} elsewhere`);
  }
}

/**
 * Opens, checks (SQLite: a time-bounded integrity check) and migrates the configured database, turning failures into
 * a one-line message naming the cause: a full disk, a damaged file, or an unreachable server.
 */
export async function openConfiguredDatabase(config: Config, notice: (message: string) => void = () => undefined): Promise<Db> {
  const sqliteFile = config.database.engine === 'sqlite' && config.database.location !== ':memory:' ? config.database.location : undefined;
  const where = config.database.engine === 'sqlite' ? config.database.location : redactUrl(config.database.location);
  let db: Db | undefined;
  try {
    db = await openDatabase(config.database);
    if (sqliteFile) {
      const report = await checkSqliteIntegrity(db, sqliteFile);
      if (!report.complete) {
        notice(`start-up integrity check of ${sqliteFile} ran out of time; tables not checked: ${report.unchecked.join(', ')}`);
      }
    }
    await migrateToLatest(db);
    return db;
  } catch (err) {
    await db?.destroy().catch(() => undefined);
    const storage = asStorageError(err, sqliteFile);
    if (storage) throw new StartupError(storage.message);
    const reason = err instanceof Error ? err.message : String(err);
    throw new StartupError(
      `cannot open the ${config.database.engine} database at ${where}: ${reason.split('\n')[0]} ` +
        '(check that the server is running and DATABASE_URL is right)',
    );
  }
}

/** A one-line explanation on stderr for failures an operator can fix (exit code 1); anything else is a bug. */
export function explainAndExit(err: unknown, command = 'romshelf'): number {
  if (err instanceof StartupError) {
    console.error(`romshelf: ${err.message}`);
    return 1;
  }
  const storage = asStorageError(err);
  if (storage) {
    console.error(`${command}: ${storage.message}`);
    return 1;
  }
  throw err;
}
