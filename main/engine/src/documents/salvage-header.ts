import fs = require('node:fs');

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** B-tree page types (sqlite.org fileformat2 §1.6): interior/leaf index, interior/leaf table. */
const PAGE_TYPES = new Set([2, 5, 10, 13]);

/**
 * Repairs the fields of an SQLite header that SQLite needs before it will open a file and that
 * can be told again from the file itself: the magic string, the page size (the size whose second
 * page starts like a b-tree page and that divides the file), the read/write versions and the
 * payload fractions (always 64, 32, 32). (A truncated file needs none of this: SQLite reads the
 * missing pages as zeros, which the salvage's reads fail on and go around.) Everything else (counters, user_version,
 * application_id, the schema cookie) is left as it is. Works on a private copy only. Returns
 * the names of the fields it changed (none: nothing to repair).
 */
export function repairHeader(file: string): string[] {
  const size = fs.statSync(file).size;
  if (size < 512) return [];
  // A truncated file's size need not be a multiple of its page size: the stored size is kept
  // when its second page looks right.
  const fd = fs.openSync(file, 'r+');
  try {
    const header = Buffer.alloc(100);
    fs.readSync(fd, header, 0, 100, 0);
    const page1Type = Buffer.alloc(1);
    fs.readSync(fd, page1Type, 0, 1, 100);
    // Page 1 must still hold the schema's b-tree, or there is nothing to open.
    if (page1Type[0] !== 13 && page1Type[0] !== 5) return [];
    const repaired: string[] = [];
    if (!header.subarray(0, 16).equals(MAGIC)) {
      MAGIC.copy(header, 0);
      repaired.push('magic string');
    }
    const stored = header.readUInt16BE(16);
    const pageSize = stored === 1 ? 65536 : stored;
    if (!isPlausiblePageSize(fd, pageSize, size)) {
      const candidates = [4096, 1024, 2048, 8192, 16384, 32768, 65536, 512];
      const guessed = candidates.find((p) => isPlausiblePageSize(fd, p, size, true)) ?? candidates.find((p) => isPlausiblePageSize(fd, p, size)) ?? 4096;
      header.writeUInt16BE(guessed === 65536 ? 1 : guessed, 16);
      repaired.push('page size');
    }
    if (header[18] !== 1 && header[18] !== 2) {
      header[18] = 1;
      repaired.push('write version');
    }
    if (header[19] !== 1 && header[19] !== 2) {
      header[19] = 1;
      repaired.push('read version');
    }
    if (header[21] !== 64 || header[22] !== 32 || header[23] !== 32) {
      header[21] = 64;
      header[22] = 32;
      header[23] = 32;
      repaired.push('payload fractions');
    }
    if (repaired.length) fs.writeSync(fd, header, 0, 100, 0);
    return repaired;
  } finally {
    fs.closeSync(fd);
  }
}

function isPlausiblePageSize(fd: number, pageSize: number, fileSize: number, exact = false): boolean {
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0 || (exact && fileSize % pageSize !== 0) || fileSize < pageSize) return false;
  if (fileSize === pageSize) return true;
  const type = Buffer.alloc(1);
  fs.readSync(fd, type, 0, 1, pageSize);
  return PAGE_TYPES.has(type[0]!);
}
