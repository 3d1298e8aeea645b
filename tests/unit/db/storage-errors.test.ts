import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { asStorageError, DamagedDatabaseError, StorageFullError } from '../../../src/common/storage-errors.ts';
import { openDatabase } from '../../../src/db/engine.ts';
import { checkSqliteIntegrity } from '../../../src/db/sqlite-integrity.ts';

describe('asStorageError', () => {
  it('names the full disk for SQLite, file writes and database servers, through wrappers', () => {
    expect(asStorageError({ code: 'SQLITE_FULL' }, '/data/romshelf.db')?.message).toBe('the disk holding /data is full: free space on it, then retry');
    expect(asStorageError(Object.assign(new Error('x'), { code: 'ENOSPC', path: '/data/resources/a.png' }))?.message)
      .toBe('the disk holding /data/resources/a.png is full: free space on it, then retry');
    expect(asStorageError({ code: '53100' })).toBeInstanceOf(StorageFullError);
    expect(asStorageError({ code: 'ER_RECORD_FILE_FULL' })?.message).toMatch(/^the database server's disk is full/);
    expect(asStorageError(new Error('migration failed', { cause: { code: 'SQLITE_FULL' } }), '/d/x.db')).toBeInstanceOf(StorageFullError);
    expect(asStorageError({ code: 'SQLITE_CORRUPT', message: 'database disk image is malformed' }, '/d/x.db')).toBeInstanceOf(DamagedDatabaseError);
  });

  it('leaves other failures alone', () => {
    expect(asStorageError(new Error('boom'))).toBeNull();
    expect(asStorageError({ code: 'SQLITE_CONSTRAINT_UNIQUE' }, '/d/x.db')).toBeNull();
    expect(asStorageError('text')).toBeNull();
  });
});

describe('checkSqliteIntegrity', () => {
  it('checks a large file table by table and stops when the time budget is spent', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-integrity-'));
    const db = await openDatabase({ engine: 'sqlite', location: path.join(dir, 'x.db') });
    try {
      for (const t of ['a', 'b', 'c']) await sql.raw(`create table ${t} (v)`).execute(db.kysely);
      expect(await checkSqliteIntegrity(db, 'x.db')).toEqual({ complete: true, unchecked: [] });
      let clock = 0;
      const report = await checkSqliteIntegrity(db, 'x.db', { fullCheckMaxBytes: 0, budgetMs: 10, now: () => (clock += 6) });
      expect(report).toEqual({ complete: false, unchecked: ['b', 'c'] });
    } finally {
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
