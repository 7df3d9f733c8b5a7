import fs = require('node:fs');
import type { Connection } from '../sqlite/connection';

/** A rowid range `[first, last]`. */
export type RowidRange = [bigint, bigint];

const MIN_ROWID = -(2n ** 63n);
const MAX_ROWID = 2n ** 63n - 1n;
const INTERIOR_TABLE_PAGE = 5;
const LEAF_TABLE_PAGE = 13;

/**
 * The pages quick_check finds damaged ("Tree 4 page 45 cell 149: Offset 65535 out of range", or
 * the child in "...: invalid page number 40"). A damaged page can answer
 * reads without an error (a broken cell pointer array makes rows vanish, or garbage appear), so
 * the rows it held are found from its parent instead (suspectRanges).
 */
export function damagedPages(db: Connection): Set<number> {
  const pages = new Set<number>();
  // quick_check itself can stop with SQLITE_CORRUPT deeper in a badly damaged file: fewer
  // messages are asked for until it answers.
  for (const limit of [10000, 1000, 100, 10, 1]) {
    let messages: string[];
    try {
      messages = db.prepare(`PRAGMA quick_check(${limit})`).pluck().all() as string[];
    } catch {
      continue;
    }
    for (const line of messages.join('\n').split('\n')) {
      // "Tree 4 page 4 cell 30: invalid page number 40": the child is what is missing, not the
      // page pointing at it; otherwise the message is about the page it names.
      const referenced = /(?:invalid page number|2nd reference to page) (\d+)/.exec(line);
      const at = /^Tree \d+ page (\d+)/.exec(line);
      if (referenced) pages.add(Number(referenced[1]));
      else if (at) pages.add(Number(at[1]));
    }
    break;
  }
  return pages;
}

/**
 * The rowid ranges of a table's b-tree that lie under damaged pages, read from the private copy
 * `file` with plain reads: walking down from the table's root page, each child's range is
 * bounded by its parent's divider keys, so a damaged leaf's range is exactly the rowids it held,
 * and a damaged interior page's is all those of its subtree. A damaged root: the whole table.
 * A page is damaged when quick_check names it, or when its own bytes do not hold together.
 */
export function suspectRanges(file: string, rootPage: number, damaged: ReadonlySet<number>, pageSize: number, pageCount: number): RowidRange[] {
  const ranges: RowidRange[] = [];
  const fd = fs.openSync(file, 'r');
  const page = Buffer.alloc(pageSize);
  const visited = new Set<number>();
  const walk = (pageno: number, low: bigint, high: bigint): void => {
    if (damaged.has(pageno) || pageno < 1 || pageno > pageCount || visited.has(pageno)) {
      ranges.push([low, high]);
      return;
    }
    visited.add(pageno);
    if (fs.readSync(fd, page, 0, pageSize, (pageno - 1) * pageSize) !== pageSize) {
      ranges.push([low, high]);
      return;
    }
    const at = pageno === 1 ? 100 : 0;
    if (page[at] === LEAF_TABLE_PAGE) {
      // quick_check may stop before it reaches every damaged page: each leaf is also checked here.
      if (!leafIsSound(page, at, low, high)) ranges.push([low, high]);
      return;
    }
    if (page[at] !== INTERIOR_TABLE_PAGE) {
      ranges.push([low, high]);
      return;
    }
    const cells = page.readUInt16BE(at + 3);
    const children: [number, bigint][] = [];
    for (let i = 0; i < cells; i++) {
      const offset = page.readUInt16BE(at + 12 + 2 * i);
      if (offset + 5 > pageSize) {
        ranges.push([low, high]);
        return;
      }
      children.push([page.readUInt32BE(offset), readVarint(page, offset + 4)[0]]);
    }
    const right = page.readUInt32BE(at + 8);
    let from = low;
    for (const [child, key] of children) {
      walk(child, from, key);
      from = key + 1n;
    }
    walk(right, from, high);
  };
  try {
    walk(rootPage, MIN_ROWID, MAX_ROWID);
  } finally {
    fs.closeSync(fd);
  }
  return ranges;
}

/**
 * Whether a table leaf page is sound as far as its own bytes tell: its cell pointers lie past
 * the pointer array and inside the page, and its rowids rise strictly within the range its
 * parent gives it.
 */
function leafIsSound(page: Buffer, at: number, low: bigint, high: bigint): boolean {
  const cells = page.readUInt16BE(at + 3);
  const start = at + 8 + 2 * cells;
  if (start > page.length) return false;
  let previous = low - 1n;
  for (let i = 0; i < cells; i++) {
    const offset = page.readUInt16BE(at + 8 + 2 * i);
    if (offset < start || offset + 2 > page.length) return false;
    const [, sizeLength] = readVarint(page, offset);
    const [rowid] = readVarint(page, offset + sizeLength);
    if (rowid <= previous || rowid > high) return false;
    previous = rowid;
  }
  return true;
}

/** SQLite's big-endian varint (1 to 9 bytes), as a signed 64-bit integer, and its length in bytes. */
function readVarint(buffer: Buffer, offset: number): [bigint, number] {
  let value = 0n;
  for (let i = 0; i < 8; i++) {
    const byte = buffer[offset + i] ?? 0;
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) return [BigInt.asIntN(64, value), i + 1];
  }
  return [BigInt.asIntN(64, (value << 8n) | BigInt(buffer[offset + 8] ?? 0)), 9];
}

export function inRanges(ranges: readonly RowidRange[], rowid: bigint): boolean {
  return ranges.some(([lo, hi]) => rowid >= lo && rowid <= hi);
}
