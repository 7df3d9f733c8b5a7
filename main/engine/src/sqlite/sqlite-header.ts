import fs = require('node:fs');

/** The fields of SQLite's 100-byte file header that classification needs (sqlite.org fileformat2). */
export interface SqliteHeader {
  pageSize: number;
  /** Database size in pages as stored in the header, or null when the header says it is not valid. */
  pageCount: number | null;
  userVersion: number;
  applicationId: number;
  /** 1 = rollback journal, 2 = WAL (file format write version). */
  writeVersion: number;
}

export type HeaderProblem = { kind: 'empty' } | { kind: 'not-sqlite' } | { kind: 'truncated'; expected: number; actual: number } | { kind: 'bad-header'; reason: string };

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** Reused by every (synchronous) header read: classification reads one per call. */
const headerBuffer = Buffer.alloc(100);

/**
 * Reads and checks the header of a file that no connection in this process has open (closing a
 * descriptor on a file SQLite has open would drop SQLite's POSIX locks; sqlite.org howtocorrupt).
 * Returns the header, or the reason the file cannot be an intact SQLite database. `size` is the
 * file's size, or null when the size cannot be judged from the file alone (a `-wal` holds pages
 * of it): the header's page count is then not compared with it.
 */
export function readSqliteHeader(filePath: string, size: number | null): SqliteHeader | HeaderProblem {
  if (size === 0) return { kind: 'empty' };
  const buf = headerBuffer;
  const fd = fs.openSync(filePath, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, buf, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < MAGIC.length || !startsWithMagic(buf)) return { kind: 'not-sqlite' };
  if (read < 100) return { kind: 'truncated', expected: 100, actual: read };
  // The fields are read byte by byte (big-endian): Buffer's read methods are calls that a
  // classification, which reads one header each time, runs before V8 has optimized them.
  const rawPageSize = (buf[16]! << 8) | buf[17]!;
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { kind: 'bad-header', reason: `invalid page size ${rawPageSize}` };
  }
  const changeCounter = uint32At(buf, 24);
  const inHeaderSize = uint32At(buf, 28);
  const validFor = uint32At(buf, 92);
  const pageCount = inHeaderSize > 0 && validFor === changeCounter ? inHeaderSize : null;
  const expected = (pageCount ?? 1) * pageSize;
  if (size !== null && size < expected) return { kind: 'truncated', expected, actual: size };
  return {
    pageSize,
    pageCount,
    userVersion: uint32At(buf, 60) | 0,
    applicationId: uint32At(buf, 68) | 0,
    writeVersion: buf[18]!,
  };
}

function startsWithMagic(buf: Buffer): boolean {
  for (let i = 0; i < MAGIC.length; i++) if (buf[i] !== MAGIC[i]) return false;
  return true;
}

/** The unsigned big-endian 32-bit integer at `at`. */
function uint32At(buf: Buffer, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}

export function isHeaderProblem(value: SqliteHeader | HeaderProblem): value is HeaderProblem {
  return 'kind' in value;
}

/**
 * Whether the document has a rollback journal SQLite will play back on the next open: a
 * `-journal` beside it whose first byte is not zero (SQLite's own test, pager.c hasHotJournal; a
 * journal whose header was zeroed or truncated marks a finished transaction). Until then the
 * file may hold pages of the interrupted transaction, a header whose page count is ahead of its
 * size among them, so nothing about it can be judged from its bytes. Reads only the journal,
 * which must not be open in this process. `journal` is the journal's stat when the caller has
 * it (statOrNull of the `-journal` path), saving a system call.
 */
export function hasHotJournal(filePath: string, journal: fs.Stats | null = statOrNull(`${filePath}-journal`)): boolean {
  if (journal === null || !journal.isFile() || journal.size === 0) return false;
  let fd: number;
  try {
    fd = fs.openSync(`${filePath}-journal`, 'r');
  } catch {
    return false;
  }
  try {
    const first = Buffer.alloc(1);
    return fs.readSync(fd, first, 0, 1, 0) === 1 && first[0] !== 0;
  } finally {
    fs.closeSync(fd);
  }
}

/** The names SQLite gives the files it keeps beside a database (`-journal`, `-wal`, `-shm`). */
export const COMPANION_SUFFIXES = ['-journal', '-wal', '-shm'] as const;

/** A stat that answers null instead of throwing (a missing companion is the common case: no Error is built for it). */
export function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/**
 * The companion paths of a database (`-journal`, `-wal`, `-shm`) that exist but are not regular
 * files (a folder, a device, a socket). None of them can hold a journal or WAL frames, so the
 * database file alone is its last committed state; but SQLite cannot open the database while
 * one is in the way (it fails with SQLITE_IOERR or SQLITE_CANTOPEN, even read-only).
 */
export function obstructedCompanions(filePath: string): string[] {
  return COMPANION_SUFFIXES.map((suffix) => `${filePath}${suffix}`).filter((file) => {
    const stat = statOrNull(file);
    return stat !== null && !stat.isFile();
  });
}
