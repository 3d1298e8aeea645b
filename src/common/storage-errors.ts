import path from 'node:path';

/**
 * Storage that can no longer keep what it is given. `message` names the cause and the fix for the operator (logs,
 * the command line); `detail` is the short text a client may see, without paths.
 */
export class StorageError extends Error {
  constructor(message: string, readonly detail: string) {
    super(message);
    this.name = 'StorageError';
  }
}

/** The database file was removed or replaced under a running process: a write now could not survive a restart. */
export class StorageUnavailableError extends StorageError {
  constructor(file: string, what: string) {
    super(
      `the database file ${file} was ${what} while romshelf was running; writes are refused so that none is lost: ` +
        'restore the file (or a backup) and restart romshelf',
      'Database unavailable: the server cannot save changes until an administrator restarts it',
    );
    this.name = 'StorageUnavailableError';
  }
}

/** The disk (or the database server's disk) has no room left. */
export class StorageFullError extends StorageError {
  constructor(where: string) {
    super(`${where} is full: free space on it, then retry`, 'Storage is full: the server cannot save changes');
    this.name = 'StorageFullError';
  }
}

/** The database file is damaged. */
export class DamagedDatabaseError extends StorageError {
  constructor(file: string, finding: string) {
    super(
      `the SQLite database ${file} is damaged (${finding}): stop romshelf and restore a backup, or salvage it with ` +
        `\`sqlite3 ${file} ".recover" | sqlite3 ${file}.recovered\` and move the result into place`,
      'Database damaged',
    );
    this.name = 'DamagedDatabaseError';
  }
}

interface CodedError {
  cause?: unknown;
  code?: unknown;
  errno?: unknown;
  path?: unknown;
  message?: unknown;
}

/** PostgreSQL's disk_full, MariaDB/MySQL's "table is full" and "disk full" codes. */
const SERVER_FULL_CODES = new Set(['53100', 'ER_RECORD_FILE_FULL', 'ER_DISK_FULL']);

/**
 * The storage failure an error stands for, with the place named, or null when it is something else. `sqliteFile`
 * is the database file a bare SQLITE_FULL refers to.
 */
export function asStorageError(err: unknown, sqliteFile?: string, depth = 0): StorageError | null {
  if (err instanceof StorageError) return err;
  if (typeof err !== 'object' || err === null) return null;
  const e = err as CodedError;
  // Wrappers (a failed migration, a failed batch) keep the original as `cause`.
  const inner = e.cause !== undefined && depth < 5 ? asStorageError(e.cause, sqliteFile, depth + 1) : null;
  if (inner) return inner;
  if (e.code === 'SQLITE_FULL') {
    return new StorageFullError(sqliteFile ? `the disk holding ${path.dirname(sqliteFile)}` : 'the disk holding the database');
  }
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
    return new StorageFullError(typeof e.path === 'string' ? `the disk holding ${e.path}` : 'a disk romshelf writes to');
  }
  if (typeof e.code === 'string' && SERVER_FULL_CODES.has(e.code)) return new StorageFullError("the database server's disk");
  if (sqliteFile && (e.code === 'SQLITE_CORRUPT' || e.code === 'SQLITE_NOTADB')) {
    return new DamagedDatabaseError(sqliteFile, typeof e.message === 'string' ? e.message.split('\n')[0] ?? '' : String(e.code));
  }
  return null;
}
