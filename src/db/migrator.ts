import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Kysely, type MigrationProvider, type Migration as KyselyMigration } from 'kysely';
import { ddlFor, type Ddl } from './ddl.ts';
import type { Db } from './engine.ts';

export interface Migration {
  up(db: Kysely<unknown>, ddl: Ddl): Promise<void>;
}

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Migrations are the files `NNNN-name.ts` in ./migrations, applied in name order. */
class DirectoryMigrationProvider implements MigrationProvider {
  constructor(private readonly db: Db) {}

  async getMigrations(): Promise<Record<string, KyselyMigration>> {
    const files = (await readdir(migrationsDir)).filter((f) => /^\d{4}-[\w-]+\.ts$/.test(f)).sort();
    const result: Record<string, KyselyMigration> = {};
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(migrationsDir, file)).href)) as { migration: Migration };
      const engine = this.db.engine;
      result[file.replace(/\.ts$/, '')] = {
        up: (kysely: Kysely<unknown>) => mod.migration.up(kysely, ddlFor(kysely, engine)),
      };
    }
    return result;
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: new DirectoryMigrationProvider(db),
    // Areas own number ranges (scanner 01xx, roms 02xx, …); a later file in a lower range must still apply.
    allowUnorderedMigrations: true,
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
