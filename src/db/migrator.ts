import { Migrator, type Kysely, type MigrationProvider, type Migration as KyselyMigration } from 'kysely';
import { ddlFor, type Ddl } from './ddl.ts';
import type { Db } from './engine.ts';
import { MIGRATIONS } from './migrations/index.ts';

export interface Migration {
  up(db: Kysely<unknown>, ddl: Ddl): Promise<void>;
}

/** The migrations listed in ./migrations/index.ts, each given the DDL helpers of the engine in use. */
class ListedMigrationProvider implements MigrationProvider {
  constructor(private readonly db: Db) {}

  async getMigrations(): Promise<Record<string, KyselyMigration>> {
    const engine = this.db.engine;
    return Object.fromEntries(
      MIGRATIONS.map(([name, migration]) => [name, { up: (kysely: Kysely<unknown>) => migration.up(kysely, ddlFor(kysely, engine)) }]),
    );
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: new ListedMigrationProvider(db),
    // Areas own number ranges (scanner 01xx, roms 02xx, …); a later file in a lower range must still apply.
    allowUnorderedMigrations: true,
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
