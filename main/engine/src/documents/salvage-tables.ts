import type Database from 'better-sqlite3';
import type { Connection } from '../sqlite/connection';
import { quoteIdent } from '../sqlite/sql-tokens';
import type { SalvagedTable } from './salvage';
import { inRanges, suspectRanges } from './salvage-pages';

/** Failed reads allowed per table before a failing range is given up whole (a broken interior page can hide millions of rowids). */
const SPLIT_BUDGET = 20_000;

/** Where the private copy's pages are and which quick_check found damaged. */
export interface PageContext {
  file: string;
  damaged: ReadonlySet<number>;
  pageSize: number;
  pageCount: number;
}

/**
 * The source's rows of one table: the rows under damaged pages are left out (their rowid ranges,
 * from the parents' keys, are lost: such a page can answer with missing or garbage rows), the rest
 * read in rowid ranges halved around those SQLite cannot read.
 */
export function copyTable(from: Connection, db: Connection, name: string, pages: PageContext): SalvagedTable {
  const table: SalvagedTable = { name, recovered: 0, lost: [], orphans: 0, unlinked: 0, placeholders: 0, unreadable: null };
  const wanted = db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid').pluck().all(name) as string[];
  const present = tryRead(() => from.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').pluck().all(name) as string[]);
  const columns = present ? wanted.filter((c) => present.includes(c)) : [];
  if (!present || columns.length === 0) {
    table.unreadable = `the source has no readable table ${name}`;
    return table;
  }
  const list = columns.map(quoteIdent).join(', ');
  const withoutRowid = db.prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?").pluck().get(name) === 1;
  if (withoutRowid) {
    // No rowid to read around damage by: the table is read whole, or not at all.
    try {
      const rows = from
        .prepare(`SELECT ${list} FROM ${quoteIdent(name)}`)
        .raw()
        .safeIntegers()
        .all() as unknown[][];
      const insert = db.prepare(`INSERT INTO ${quoteIdent(name)} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (const row of rows) insert.run(...row);
      table.recovered = rows.length;
    } catch (error) {
      table.unreadable = `a WITHOUT ROWID table with unreadable pages: ${(error as Error).message}`;
    }
    return table;
  }
  const read = tryRead(() =>
    from
      .prepare(`SELECT rowid, ${list} FROM ${quoteIdent(name)} WHERE rowid BETWEEN ? AND ? ORDER BY rowid`)
      .raw()
      .safeIntegers(),
  );
  if (!read) {
    table.unreadable = `the source's table ${name} cannot be read`;
    return table;
  }
  const insert = db.prepare(`INSERT INTO ${quoteIdent(name)} (${list}, rowid) VALUES (${columns.map(() => '?').join(', ')}, ?)`);
  const bounds = tryRead(
    () =>
      from
        .prepare(`SELECT min(rowid), max(rowid) FROM ${quoteIdent(name)}`)
        .raw()
        .safeIntegers()
        .get() as [bigint | null, bigint | null],
  );
  const root = tryRead(() => from.prepare("SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(name) as number);
  const suspect = root ? suspectRanges(pages.file, root, pages.damaged, pages.pageSize, pages.pageCount) : [];
  // The reads go around the damaged pages: a scan that meets one can end early without an
  // error (a garbage rowid past the range's end stops it), silently skipping the rows after it.
  const whole: [bigint, bigint] | null = !bounds ? [-(2n ** 63n), 2n ** 63n - 1n] : bounds[0] === null || bounds[1] === null ? null : [bounds[0], bounds[1]];
  const ranges = whole ? without(whole, suspect).reverse() : [];
  let failures = 0;
  // Rowids come out in ascending order. A broken page can also hide rows without an error (its
  // cell count or pointers damaged), so a lost range reaches from the last row read before it
  // to the first row read after it.
  let previous: bigint | null = null;
  let open: [number, number] | null = null;
  while (ranges.length) {
    const [lo, hi] = ranges.pop()!;
    let rows: unknown[][];
    try {
      rows = read.all(lo, hi) as unknown[][];
      // A damaged page can also answer without an error: rows outside the range asked for, or
      // out of order, are its garbage, and the range is treated as unreadable.
      if (!inOrderWithin(rows, lo, hi)) throw new Error('rows out of range or order');
    } catch {
      failures++;
      if (lo === hi || failures > SPLIT_BUDGET) {
        open = addLost(table, previous !== null && previous + 1n < lo ? previous + 1n : lo, hi);
        continue;
      }
      const mid = lo + (hi - lo) / 2n;
      ranges.push([mid + 1n, hi], [lo, mid]);
      continue;
    }
    const lastRead = rows.at(-1)?.[0] as bigint | undefined;
    // A scan can also stop early without an error: go on from after the last row read.
    if (lastRead !== undefined && lastRead < hi) ranges.push([lastRead + 1n, hi]);
    for (const [rowid, ...values] of rows) {
      if (inRanges(suspect, rowid as bigint)) continue;
      insert.run(...values, rowid);
      table.recovered++;
      if (open) open[1] = Number((rowid as bigint) - 1n);
      open = null;
      previous = rowid as bigint;
    }
  }
  const [first, last] = bounds && bounds[0] !== null && bounds[1] !== null ? bounds : [null, null];
  for (const [lo, hi] of suspect) {
    const clipped: [bigint, bigint] = [first !== null && lo < first ? first : lo, last !== null && hi > last ? last : hi];
    if (clipped[0] <= clipped[1]) mergeLost(table, clipped);
  }
  return table;
}

/** Adds a lost range to the table's, keeping them sorted and merging those that touch. */
function mergeLost(table: SalvagedTable, [lo, hi]: [bigint, bigint]): void {
  const all = [...table.lost.map(([a, b]) => [BigInt(a), BigInt(b)] as [bigint, bigint]), [lo, hi] as [bigint, bigint]].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const merged: [bigint, bigint][] = [];
  for (const r of all) {
    const prev = merged.at(-1);
    if (prev && r[0] <= prev[1] + 1n) prev[1] = r[1] > prev[1] ? r[1] : prev[1];
    else merged.push([r[0], r[1]]);
  }
  table.lost = merged.map(([a, b]) => [Number(a), Number(b)]);
}

/** `range` minus `holes` (sorted or not), as ascending ranges. */
function without(range: [bigint, bigint], holes: readonly [bigint, bigint][]): [bigint, bigint][] {
  let pieces: [bigint, bigint][] = [range];
  for (const [lo, hi] of holes) {
    pieces = pieces.flatMap(([a, b]): [bigint, bigint][] => {
      if (hi < a || lo > b) return [[a, b]];
      const left: [bigint, bigint][] = lo > a ? [[a, lo - 1n]] : [];
      return hi < b ? [...left, [hi + 1n, b]] : left;
    });
  }
  return pieces.sort((x, y) => (x[0] < y[0] ? -1 : 1));
}

function inOrderWithin(rows: unknown[][], lo: bigint, hi: bigint): boolean {
  let previous = lo - 1n;
  for (const [rowid] of rows) {
    if (typeof rowid !== 'bigint' || rowid <= previous || rowid > hi) return false;
    previous = rowid;
  }
  return true;
}

/** Records an unreadable rowid range, merged with the previous one when they touch; returns the range it is part of. */
function addLost(table: SalvagedTable, lo: bigint, hi: bigint): [number, number] {
  const last = table.lost.at(-1);
  if (last && BigInt(last[1]) + 1n >= lo) {
    last[1] = Math.max(last[1], Number(hi));
    return last;
  }
  const range: [number, number] = [Number(lo), Number(hi)];
  table.lost.push(range);
  return range;
}

/** What `read` returns, or null when it throws (a damaged file's reads may). */
export function tryRead<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
