import * as fs from 'node:fs';

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

/**
 * Reads and checks the header of a file that no connection in this process has open (closing a
 * descriptor on a file SQLite has open would drop SQLite's POSIX locks; sqlite.org howtocorrupt).
 * Returns the header, or the reason the file cannot be an intact SQLite database.
 */
export function readSqliteHeader(filePath: string, size: number): SqliteHeader | HeaderProblem {
  if (size === 0) return { kind: 'empty' };
  const buf = Buffer.alloc(100);
  const fd = fs.openSync(filePath, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, buf, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return { kind: 'not-sqlite' };
  if (read < 100) return { kind: 'truncated', expected: 100, actual: read };
  const rawPageSize = buf.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { kind: 'bad-header', reason: `invalid page size ${rawPageSize}` };
  }
  const changeCounter = buf.readUInt32BE(24);
  const inHeaderSize = buf.readUInt32BE(28);
  const validFor = buf.readUInt32BE(92);
  const pageCount = inHeaderSize > 0 && validFor === changeCounter ? inHeaderSize : null;
  const expected = (pageCount ?? 1) * pageSize;
  if (size < expected) return { kind: 'truncated', expected, actual: size };
  return {
    pageSize,
    pageCount,
    userVersion: buf.readInt32BE(60),
    applicationId: buf.readInt32BE(68),
    writeVersion: buf.readUInt8(18),
  };
}

export function isHeaderProblem(value: SqliteHeader | HeaderProblem): value is HeaderProblem {
  return 'kind' in value;
}
