import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Db, type DatabaseTarget, type Engine } from '../../src/db/engine.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';

const PG_URL = process.env.ROMSHELF_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.ROMSHELF_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const ONLY = (process.env.ROMSHELF_TEST_ENGINES ?? 'sqlite,postgres,mysql').split(',').map((s) => s.trim());

export interface TestDb {
  db: Db;
  engine: Engine;
  target: DatabaseTarget;
  /** A scratch directory for this engine's run (DATA_PATH, libraries, SQLite file). */
  dir: string;
}

const availability = new Map<Engine, Promise<string | null>>();

/** Null when the engine answers, else the reason it is skipped. */
function probe(engine: Engine): Promise<string | null> {
  let result = availability.get(engine);
  if (!result) {
    result = (async () => {
      if (!ONLY.includes(engine)) return 'not selected by ROMSHELF_TEST_ENGINES';
      if (engine === 'sqlite') return null;
      const db = await openDatabase({ engine, location: engine === 'postgres' ? PG_URL : MYSQL_URL });
      try {
        await sql`select 1`.execute(db.kysely);
        return null;
      } catch (err) {
        return `not reachable (${(err as Error).message.split('\n')[0]})`;
      } finally {
        await db.destroy().catch(() => undefined);
      }
    })();
    availability.set(engine, result);
  }
  return result;
}

const NAMES: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MariaDB/MySQL' };
const reported = new Set<Engine>();

/** An isolated, migrated database: a temp SQLite file, a fresh PostgreSQL schema or a fresh MariaDB database. */
export async function createTestDb(engine: Engine, migrate = true): Promise<TestDb> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `romshelf-${engine}-`));
  const ns = `rs_${randomBytes(6).toString('hex')}`;
  let target: DatabaseTarget;
  if (engine === 'sqlite') {
    target = { engine, location: path.join(dir, 'test.db') };
  } else if (engine === 'postgres') {
    const admin = await openDatabase({ engine, location: PG_URL });
    await sql.raw(`create schema ${ns}`).execute(admin.kysely);
    await admin.destroy();
    target = { engine, location: PG_URL, schema: ns };
  } else {
    const admin = await openDatabase({ engine, location: MYSQL_URL });
    await sql.raw(`create database ${ns} character set utf8mb4 collate utf8mb4_bin`).execute(admin.kysely);
    await admin.destroy();
    target = { engine, location: MYSQL_URL.replace(/\/[^/]*$/, `/${ns}`) };
  }
  const db = await openDatabase(target);
  if (migrate) await migrateToLatest(db);
  return { db, engine, target, dir };
}

export async function dropTestDb(t: TestDb): Promise<void> {
  await t.db.destroy();
  if (t.engine === 'postgres' && t.target.schema) {
    const admin = await openDatabase({ engine: 'postgres', location: PG_URL });
    await sql.raw(`drop schema if exists ${t.target.schema} cascade`).execute(admin.kysely);
    await admin.destroy();
  } else if (t.engine === 'mysql') {
    const name = t.target.location.split('/').pop();
    const admin = await openDatabase({ engine: 'mysql', location: MYSQL_URL });
    await sql.raw(`drop database if exists ${name}`).execute(admin.kysely);
    await admin.destroy();
  }
  await rm(t.dir, { recursive: true, force: true });
}

/**
 * Runs the same suite on every engine. Engines that are not reachable are skipped with a message saying so;
 * `ctx()` returns the engine's fresh database inside tests.
 */
export function describeEachEngine(title: string, body: (ctx: () => TestDb) => void, options: { migrate?: boolean } = {}): void {
  for (const engine of ['sqlite', 'postgres', 'mysql'] as const) {
    describe(`${title} [${NAMES[engine]}]`, async () => {
      const skip = await probe(engine);
      if (skip) {
        if (!reported.has(engine)) {
          reported.add(engine);
          console.warn(`skipping ${NAMES[engine]} integration tests: ${skip}`);
        }
        describe.skip(`${NAMES[engine]} ${skip}`, () => undefined);
        return;
      }
      let current: TestDb | undefined;
      beforeAll(async () => {
        current = await createTestDb(engine, options.migrate ?? true);
      });
      afterAll(async () => {
        if (current) await dropTestDb(current);
      });
      body(() => {
        if (!current) throw new Error('test database not ready');
        return current;
      });
    });
  }
}
