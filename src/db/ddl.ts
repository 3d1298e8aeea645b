import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Engine } from './engine.ts';
import { capabilitiesOf } from './capabilities.ts';

/**
 * Portable DDL helpers: the few places where the three engines need different words.
 * Migrations use only these and Kysely's schema builder, so one migration runs everywhere.
 */
export interface Ddl {
  engine: Engine;
  createTable(name: string): CreateTableBuilder<string, never>;
  id<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, never>;
  bool(this: void, c: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
}

export function ddlFor(db: Kysely<unknown>, engine: Engine): Ddl {
  const caps = capabilitiesOf(engine);
  return {
    engine,
    createTable(name) {
      const builder = db.schema.createTable(name);
      // Binary collation: file names that differ only in case are different ROMs, as on disk.
      return caps.binaryCollationPerTable
        ? builder.modifyEnd(sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`)
        : builder;
    },
    id(table) {
      if (caps.autoIncrementId === 'serial') return table.addColumn('id', 'serial', (c) => c.primaryKey());
      return table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
    },
    bool(c) {
      return c.notNull().defaultTo(0);
    },
  };
}
