import type { SqlExecutor } from '../sqlite/sql-executor';
import { foldName, quoteIdent, sameName } from '../sqlite/sql-tokens';

/** A column a rebuild copied as is: the old table's column and the new table's column it went to. */
export interface CopiedColumn {
  from: string;
  to: string;
  /**
   * The storage classes the new column's affinity can convert (`typeof` names); values of other
   * classes are stored as they are, so only rows holding one of these need proving.
   */
  convertible: readonly string[];
}

/**
 * How rows of the old and the new table correspond: `old[i]` (SQL over the old table's columns,
 * rowid names included) gives the value of the new table's `new[i]` (quoted column or rowid name).
 */
export interface RowPairing {
  old: string[];
  new: string[];
}

/**
 * SQL that is true when `n` (the copy) keeps the value `o` (the original): the same storage class
 * and bytes, or a conversion SQLite's column affinity made that converts back exactly (TEXT `'5'`
 * → INTEGER 5, INTEGER 5 → TEXT `'5'`, REAL 2.0 → INTEGER 2). Text is compared byte for byte
 * (hex), so collations and embedded NULs cannot hide a difference; numbers are compared without
 * affinity (`+`), and SQLite compares INTEGER with REAL exactly.
 */
function keeps(o: string, n: string): string {
  return (
    `(CASE typeof(${o})` +
    ` WHEN 'null' THEN ${n} IS NULL` +
    ` WHEN 'blob' THEN typeof(${n}) = 'blob' AND hex(${n}) = hex(${o})` +
    ` WHEN 'text' THEN typeof(${n}) IN ('text', 'integer', 'real') AND hex(CAST(${n} AS TEXT)) = hex(${o})` +
    ` WHEN 'integer' THEN (typeof(${n}) = 'integer' AND +${n} = +${o})` +
    ` OR (typeof(${n}) = 'real' AND +${n} = +${o} AND CAST(${n} AS INTEGER) = +${o})` +
    ` OR (typeof(${n}) = 'text' AND hex(${n}) = hex(CAST(${o} AS TEXT)))` +
    ` WHEN 'real' THEN (typeof(${n}) IN ('real', 'integer') AND +${n} = +${o})` +
    ` OR (typeof(${n}) = 'text' AND CAST(${n} AS REAL) = +${o} AND hex(${n}) = hex(CAST(${o} AS TEXT)))` +
    ' ELSE 0 END)'
  );
}

/**
 * A collation-free image of a value for set comparison: NULL, a BLOB's bytes, or the bytes of the
 * value as text (so TEXT `'5'` and INTEGER 5 have the same image, TEXT `'007'` and INTEGER 7 do not).
 */
function image(c: string): string {
  return `CASE typeof(${c}) WHEN 'null' THEN 'n' WHEN 'blob' THEN 'b' || hex(${c}) ELSE 't' || hex(CAST(${c} AS TEXT)) END`;
}

/** SQL describing a value for a message: its storage class and literal, with the bytes of a TEXT holding a NUL. */
function described(v: string): string {
  return `typeof(${v}) || ' ' || quote(${v}) || CASE WHEN typeof(${v}) = 'text' AND instr(CAST(${v} AS BLOB), x'00') > 0 ` + `THEN ' (bytes X''' || hex(${v}) || ''')' ELSE '' END`;
}

/**
 * Proves that copying `oldTable` into `newTable` kept every value of `columns`. SQLite applies the
 * new column's affinity to every value a rebuild inserts, and that can change a value silently:
 * TEXT `'007'` becomes INTEGER 7 in an INTEGER column, an INTEGER beyond 2^53 loses digits in a
 * REAL one, and SQLite 3.53 reads TEXT `'5\0x'` (which older versions stored as TEXT in INTEGER
 * columns) as 5, dropping everything from the NUL on. Reversible conversions are accepted (see
 * `keeps`). With a pairing, each old row is compared with its copy; without one (the new table's
 * rows cannot be matched to the old ones), each column's set of values (as `image`s) must stay the same.
 * @throws Error naming the table, the column, the row and the value that would change; the
 *   caller's transaction must then be rolled back.
 */
export function assertCopiedValuesKept(x: SqlExecutor, table: string, oldTable: string, newTable: string, columns: readonly CopiedColumn[], pairing: RowPairing | null): void {
  // One scan finds the rows holding a value the copy may have converted; usually there are none.
  const risky = columns.map((c) => `typeof(${quoteIdent(c.from)}) IN (${c.convertible.map((t) => `'${t}'`).join(', ')})`).join(' OR ');
  if (columns.length === 0 || !x.db.prepare(`SELECT 1 FROM main.${quoteIdent(oldTable)} WHERE ${risky} LIMIT 1`).get()) return;
  const changed = (c: CopiedColumn, detail: string) =>
    new Error(
      `rebuilding ${table} would change values of column ${JSON.stringify(c.to)}: ${detail}; SQLite converts values to the ` +
        "new column's type affinity on copy and this conversion does not give the value back. Give the column a type that keeps " +
        'such values (e.g. TEXT, or no type), or convert on purpose with a value expression',
    );
  if (pairing === null) {
    for (const c of columns) {
      const lost = x.db
        .prepare(
          `SELECT 1 FROM (SELECT ${image(quoteIdent(c.from))} FROM main.${quoteIdent(oldTable)} EXCEPT SELECT ${image(quoteIdent(c.to))} FROM main.${quoteIdent(newTable)}) LIMIT 1`,
        )
        .get();
      if (lost) throw changed(c, 'a value of the old table is not in the new one');
    }
    return;
  }
  const keyAlias = (i: number) => quoteIdent(`fieldbook key ${i}`);
  const valueAlias = (i: number) => quoteIdent(`fieldbook value ${i}`);
  const source =
    `(SELECT ${pairing.old.map((e, i) => `${e} AS ${keyAlias(i)}`).join(', ')}, ` +
    `${columns.map((c, i) => `${quoteIdent(c.from)} AS ${valueAlias(i)}`).join(', ')} FROM main.${quoteIdent(oldTable)} WHERE ${risky}) AS o`;
  const paired = pairing.new.map((n, i) => `n.${n} = o.${keyAlias(i)}`).join(' AND ');
  const kept = (i: number) => keeps(`o.${valueAlias(i)}`, `n.${quoteIdent(columns[i]!.to)}`);
  const all = columns.map((_c, i) => kept(i)).join(' AND ');
  const first = x.db.prepare(`SELECT 1 FROM ${source} WHERE NOT EXISTS (SELECT 1 FROM main.${quoteIdent(newTable)} AS n WHERE ${paired} AND ${all}) LIMIT 1`).get();
  if (!first) return;
  for (let i = 0; i < columns.length; i++) {
    const row = x.db
      .prepare(
        `SELECT ${pairing.old.map((_e, k) => `quote(o.${keyAlias(k)})`).join(" || ', ' || ")} AS key, ${described(`o.${valueAlias(i)}`)} AS was, ` +
          `(SELECT ${described(`n.${quoteIdent(columns[i]!.to)}`)} FROM main.${quoteIdent(newTable)} AS n WHERE ${paired}) AS becomes ` +
          `FROM ${source} WHERE NOT EXISTS (SELECT 1 FROM main.${quoteIdent(newTable)} AS n WHERE ${paired} AND ${kept(i)}) LIMIT 1`,
      )
      .get() as { key: string; was: string; becomes: string | null } | undefined;
    if (row) throw changed(columns[i]!, `the row with key ${row.key} holds ${row.was}, which would become ${row.becomes ?? 'nothing'}`);
  }
  throw changed(columns[0]!, 'a row has no copy');
}

/**
 * The columns a rebuild copies as they are (a new column with an old column of its name and no
 * `select` expression of its own) whose values the new declared type could convert: the ones
 * assertCopiedValuesKept must prove kept.
 */
export function convertibleCopies(
  x: SqlExecutor,
  oldTable: string,
  newTable: string,
  oldColumns: readonly string[],
  newColumns: readonly string[],
  selected: (column: string) => boolean,
): CopiedColumn[] {
  const copied: CopiedColumn[] = [];
  const oldTypes = declaredTypes(x, oldTable);
  const newTypes = declaredTypes(x, newTable);
  for (const c of newColumns) {
    const from = oldColumns.find((o) => sameName(o, c));
    if (from === undefined || selected(c)) continue;
    const convertible = convertibleClasses(oldTypes.get(foldName(from)) ?? '', newTypes.get(foldName(c)) ?? '');
    if (convertible.length) copied.push({ from, to: c, convertible });
  }
  return copied;
}

/** Declared types of a table's columns, by name folded as SQLite folds it (ASCII letters only: "É" and "é" are two columns). */
function declaredTypes(x: SqlExecutor, table: string): Map<string, string> {
  const rows = x.db.prepare(`SELECT name, type FROM pragma_table_xinfo(?, 'main')`).all(table) as { name: string; type: string }[];
  return new Map(rows.map((r) => [foldName(r.name), r.type]));
}

/** A column's type affinity by SQLite's rules (datatype3.html, "Determination Of Column Affinity"). */
export function columnAffinity(declaredType: string): 'integer' | 'text' | 'blob' | 'real' | 'numeric' {
  // ASCII letters only, as SQLite reads the type (sqlite3AffinityType): 'ınt' (a dotless ı) has no INT in it.
  const t = declaredType.replace(/[a-z]+/g, (w) => w.toUpperCase());
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB') || t.trim() === '') return 'blob';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return 'numeric';
}

/**
 * The storage classes whose values copying a column into its new declaration can convert, so
 * those rows must be proven kept (assertCopiedValuesKept); empty when nothing can change. A
 * BLOB-affinity (untyped) column converts nothing; TEXT affinity converts numbers (a TEXT
 * column copied from a TEXT column holds none); INTEGER and NUMERIC convert TEXT and REAL (TEXT
 * '007' → 7, and SQLite 3.53 reads an older file's TEXT '5\0x' as 5); REAL converts TEXT and
 * INTEGER (beyond 2^53 digits are lost). NULL and BLOB values are never converted.
 */
function convertibleClasses(oldType: string, newType: string): string[] {
  switch (columnAffinity(newType)) {
    case 'blob':
      return [];
    case 'text':
      return columnAffinity(oldType) === 'text' ? [] : ['integer', 'real'];
    case 'real':
      return ['text', 'integer'];
    default:
      return ['text', 'real'];
  }
}
