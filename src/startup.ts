import { mkdir, access, constants } from 'node:fs/promises';
import { type Config, ConfigError, loadConfig } from './config/config.ts';
import { redactUrl } from './config/database-url.ts';
import { openDatabase, type Db } from './db/engine.ts';
import { migrateToLatest } from './db/migrator.ts';

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

/** Opens and migrates the configured database, turning connection failures into a clear message. */
export async function openConfiguredDatabase(config: Config): Promise<Db> {
  const where = config.database.engine === 'sqlite' ? config.database.location : redactUrl(config.database.location);
  let db: Db | undefined;
  try {
    db = await openDatabase(config.database);
    await migrateToLatest(db);
    return db;
  } catch (err) {
    await db?.destroy().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new StartupError(
      `cannot open the ${config.database.engine} database at ${where}: ${reason.split('\n')[0]} ` +
        '(check that the server is running and DATABASE_URL is right)',
    );
  }
}

export function explainAndExit(err: unknown): number {
  if (err instanceof StartupError) {
    console.error(`romshelf: ${err.message}`);
    return 1;
  }
  throw err;
}
