import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  capabilitiesOf, isDeadlock, isUniqueViolation, MYSQL_CAPABILITIES, POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES,
} from '../../../src/db/capabilities.ts';
import { openDatabase } from '../../../src/db/engine.ts';

const withCode = (code: string) => Object.assign(new Error('driver error'), { code });

describe('engine capabilities', () => {
  it('one flag object per engine', () => {
    expect(capabilitiesOf('sqlite')).toBe(SQLITE_CAPABILITIES);
    expect(capabilitiesOf('postgres')).toBe(POSTGRES_CAPABILITIES);
    expect(capabilitiesOf('mysql')).toBe(MYSQL_CAPABILITIES);
  });

  it('the flag table', () => {
    const table = Object.fromEntries((['sqlite', 'postgres', 'mysql'] as const).map((e) => {
      const c = capabilitiesOf(e);
      return [e, [c.insertReturning, c.insertOrIgnore, c.idListAggregate, c.rowLocks, c.binaryCollationPerTable, c.autoIncrementId]];
    }));
    expect(table).toEqual({
      sqlite: [true, 'on-conflict-do-nothing', 'group_concat', false, false, 'autoincrement'],
      postgres: [true, 'on-conflict-do-nothing', 'string_agg', true, false, 'serial'],
      mysql: [false, 'insert-ignore', null, true, true, 'autoincrement'],
    });
  });

  it('deadlocks are recognised by the engine that raised them only', () => {
    expect(isDeadlock(POSTGRES_CAPABILITIES, withCode('40P01'))).toBe(true);
    expect(isDeadlock(MYSQL_CAPABILITIES, withCode('ER_LOCK_DEADLOCK'))).toBe(true);
    expect(isDeadlock(SQLITE_CAPABILITIES, withCode('SQLITE_BUSY'))).toBe(true);
    expect(isDeadlock(SQLITE_CAPABILITIES, withCode('40P01'))).toBe(false);
    expect(isDeadlock(POSTGRES_CAPABILITIES, withCode('23505'))).toBe(false);
    expect(isDeadlock(MYSQL_CAPABILITIES, new Error('no code'))).toBe(false);
  });

  it('unique violations of every engine, and nothing else', () => {
    for (const code of ['23505', 'ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']) {
      expect(isUniqueViolation(withCode(code))).toBe(true);
    }
    for (const err of [withCode('23503'), withCode('SQLITE_CONSTRAINT_FOREIGNKEY'), new Error('x'), null, 'ER_DUP_ENTRY']) {
      expect(isUniqueViolation(err)).toBe(false);
    }
  });

  it('an opened database carries its engine\'s flags', async () => {
    const db = await openDatabase({ engine: 'sqlite', location: path.join(os.tmpdir(), `caps-${process.pid}-${Date.now()}.db`) });
    try {
      expect(db.caps).toBe(SQLITE_CAPABILITIES);
    } finally {
      await db.destroy();
    }
  });

  it('no repository or ROM query file tests an engine by name', async () => {
    const root = path.join(import.meta.dirname, '../../../src/db');
    for (const dir of ['repositories', 'rom-query']) {
      for (const name of await readdir(path.join(root, dir))) {
        const text = await readFile(path.join(root, dir, name), 'utf8');
        expect(text, `${dir}/${name}`).not.toMatch(/['"](sqlite|postgres|mysql)['"]|\bEngine\b(?![-\w])/);
      }
    }
  });
});
