import { statSync } from 'node:fs';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { asStorageError, type StorageError, StorageUnavailableError } from '../common/storage-errors.ts';

/** Reads re-check the file at most this often; commits always do. */
const READ_CHECK_INTERVAL_MS = 1000;

interface Identity {
  dev: number;
  ino: number;
}

function identityOf(file: string): Identity | null {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? { dev: st.dev, ino: st.ino } : null;
}

const sameIdentity = (a: Identity, b: Identity | null): boolean => !!b && a.dev === b.dev && a.ino === b.ino;

const TRANSACTION_END = /^\s*(rollback|end|commit)\b/i;
const ROLLBACK = /^\s*rollback\b/i;

/**
 * Watches the identity (device and inode) of an open SQLite file and of its write-ahead log. An open handle keeps
 * working after its file is deleted or replaced, so without this, writes would be acknowledged into a file no
 * restart will see. The identity is checked after every commit, before the caller can report success, and at most
 * once a second on reads; once it has changed, every write fails with StorageUnavailableError (a 503).
 * A file rewritten in place (same inode) is not detected. SQLITE_FULL becomes a StorageFullError naming the disk.
 */
export class SqliteFileGuard implements SqliteDatabase {
  private readonly main: Identity;
  private wal: Identity | null;
  private failure: StorageError | null = null;
  private lastCheck = 0;

  constructor(private readonly sqlite: BetterSqlite3.Database, private readonly file: string) {
    const main = identityOf(file);
    if (!main) throw new Error(`${file} does not exist after opening it`);
    this.main = main;
    this.wal = identityOf(`${file}-wal`);
  }

  close(): void {
    this.sqlite.close();
  }

  prepare(source: string): SqliteStatement {
    const stmt = this.sqlite.prepare(source);
    const writes = !stmt.readonly || TRANSACTION_END.test(source) || /^\s*(begin|savepoint|release)\b/i.test(source);
    const run = <T>(call: () => T): T => this.execute(source, writes, call);
    return {
      reader: stmt.reader,
      all: (parameters) => run(() => stmt.all(parameters as unknown[])),
      run: (parameters) => run(() => stmt.run(parameters as unknown[])),
      iterate: (parameters) => run(() => stmt.iterate(parameters as unknown[])),
    };
  }

  /** The reason writes are refused, or null while the file is still the one opened. */
  check(): StorageError | null {
    if (this.failure) return this.failure;
    this.lastCheck = Date.now();
    const main = identityOf(this.file);
    if (!sameIdentity(this.main, main)) {
      this.failure = new StorageUnavailableError(this.file, main ? 'replaced' : 'deleted');
      return this.failure;
    }
    const walFile = `${this.file}-wal`;
    const wal = identityOf(walFile);
    if (this.wal === null) {
      this.wal = wal;
    } else if (!sameIdentity(this.wal, wal)) {
      this.failure = new StorageUnavailableError(walFile, wal ? 'replaced' : 'deleted');
    }
    return this.failure;
  }

  private execute<T>(source: string, writes: boolean, call: () => T): T {
    if (writes && (this.sqlite.inTransaction ? this.failure : this.check())) {
      // A rollback still has to end an open transaction; outside one it would only hide the cause.
      if (!(ROLLBACK.test(source) && this.sqlite.inTransaction)) throw this.failure as StorageError;
    } else if (!writes && Date.now() - this.lastCheck >= READ_CHECK_INTERVAL_MS) {
      this.check();
    }
    let result: T;
    try {
      result = call();
    } catch (err) {
      throw asStorageError(err, this.file) ?? err;
    }
    // Committed (a statement outside a transaction, or the end of one): the change must be in the file a restart opens.
    if (writes && !this.sqlite.inTransaction) {
      const failure = this.check();
      if (failure) throw failure;
    }
    return result;
  }
}
