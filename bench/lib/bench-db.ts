import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type DatabaseTarget, type Db, type Engine } from '../../src/db/engine.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';

export const BENCH_PG_URL = process.env.ROMSHELF_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const BENCH_MYSQL_URL = process.env.ROMSHELF_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** A fresh, empty benchmark database named `ns`: a SQLite file in `dir`, a PostgreSQL schema or a MariaDB database. */
export async function prepareBenchDatabase(engine: Engine, dir: string, ns: string): Promise<DatabaseTarget> {
  if (engine === 'sqlite') {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${ns}.db`);
    for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
    return { engine, location: file };
  }
  const url = engine === 'postgres' ? BENCH_PG_URL : BENCH_MYSQL_URL;
  const admin = await openDatabase({ engine, location: url });
  try {
    if (engine === 'postgres') {
      await sql.raw(`drop schema if exists ${ns} cascade`).execute(admin.kysely);
      await sql.raw(`create schema ${ns}`).execute(admin.kysely);
      return { engine, location: url, schema: ns };
    }
    await sql.raw(`drop database if exists ${ns}`).execute(admin.kysely);
    await sql.raw(`create database ${ns} character set utf8mb4 collate utf8mb4_bin`).execute(admin.kysely);
    return { engine, location: url.replace(/\/[^/]*$/, `/${ns}`) };
  } finally {
    await admin.destroy();
  }
}

/** A fresh, migrated benchmark database, or why the engine is skipped (not reachable). */
export async function openBenchDatabase(engine: Engine, dir: string, ns: string): Promise<{ db: Db; target: DatabaseTarget; skipped?: never } | { skipped: string }> {
  let target: DatabaseTarget;
  try {
    target = await prepareBenchDatabase(engine, dir, ns);
  } catch (err) {
    return { skipped: `not reachable: ${(err as Error).message.split('\n')[0]}` };
  }
  const db = await openDatabase(target);
  await migrateToLatest(db);
  return { db, target };
}
