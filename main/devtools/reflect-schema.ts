import { type Connection, columnNameOfPart, splitCreateTable, tokenName, tokenizeSql, type Token } from '@fieldbook/engine/tooling';
import { canonicalType, withoutOuterParens } from './sql-text';
import type { CheckShape, ColumnShape, ForeignKeyAction, ForeignKeyShape, IndexColumnShape, IndexShape, TableShape } from './table-shape';

export interface ReflectedSchema {
  /** The tables a model may describe, in creation order. */
  tables: TableShape[];
  /**
   * Lower-cased names of tables that are never compared: SQLite's own (`sqlite_*`), virtual
   * tables (FTS) and their shadow tables, and the version table. A model of one of these is
   * ignored too.
   */
  notModelled: ReadonlySet<string>;
}

/**
 * Reads the schema of the `main` database semantically: columns from `PRAGMA table_xinfo`,
 * indexes from `index_list`/`index_xinfo`, foreign keys from `foreign_key_list`, and what no
 * PRAGMA reports (CHECK constraints, column collations, AUTOINCREMENT, WITHOUT ROWID, index
 * expressions and WHERE clauses) from the stored CREATE statements with the SQL tokenizer.
 * Views and triggers are not modelled: triggers are kept only as SQL (to restore a dropped table).
 */
export function reflectSchema(db: Connection, versionTable: string): ReflectedSchema {
  const listed = db.prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main'").all() as { name: string; type: string }[];
  const notModelled = new Set<string>([versionTable.toLowerCase()]);
  for (const t of listed) {
    if (t.type === 'virtual' || t.type === 'shadow' || /^sqlite_/i.test(t.name)) notModelled.add(t.name.toLowerCase());
  }
  const stored = db.prepare('SELECT type, name, tbl_name AS tableName, sql FROM main.sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid').all() as {
    type: string;
    name: string;
    tableName: string;
    sql: string;
  }[];
  const tables = stored
    .filter((o) => o.type === 'table' && !notModelled.has(o.name.toLowerCase()))
    .map((o) =>
      reflectTable(
        db,
        o.name,
        o.sql,
        stored.filter((s) => s.tableName.toLowerCase() === o.name.toLowerCase()),
      ),
    );
  return { tables, notModelled };
}

interface ParsedTable {
  columns: Map<string, { definition: string; collation: string | null; checks: string[] }>;
  checks: string[];
  autoincrement: boolean;
  withoutRowid: boolean;
}

/** Column definitions, CHECKs and collations from a CREATE TABLE statement. */
export function parseCreateTable(sql: string): ParsedTable {
  const { parts, tail } = splitCreateTable(sql);
  const parsed: ParsedTable = { columns: new Map(), checks: [], autoincrement: false, withoutRowid: false };
  for (const part of parts) {
    const tokens = tokenizeSql(part);
    const column = columnNameOfPart(part);
    const checks: string[] = [];
    let collation: string | null = null;
    let depth = 0;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      if (depth !== 0 || t.kind !== 'word') continue;
      if (t.text === 'check' && tokens[k + 1]?.text === '(') {
        const close = matchingParen(tokens, k + 1);
        checks.push(part.slice(tokens[k + 1]!.end, tokens[close]!.start).trim());
        k = close;
      } else if (t.text === 'collate' && column !== null && tokens[k + 1]) {
        collation = (tokenName(tokens[k + 1]!) ?? tokens[k + 1]!.text).toUpperCase();
      } else if (t.text === 'autoincrement') {
        parsed.autoincrement = true;
      }
    }
    if (column === null) parsed.checks.push(...checks);
    else parsed.columns.set(column, { definition: part.slice(tokens[0]!.end).trim(), collation, checks });
  }
  const tailWords = tokenizeSql(tail).map((t) => t.text);
  parsed.withoutRowid = tailWords.some((w, k) => w === 'without' && tailWords[k + 1] === 'rowid');
  return parsed;
}

function matchingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (tokens[k]!.text === '(') depth++;
    else if (tokens[k]!.text === ')' && --depth === 0) return k;
  }
  return tokens.length - 1;
}

function reflectTable(db: Connection, name: string, sql: string, own: { type: string; name: string; sql: string }[]): TableShape {
  const parsed = parseCreateTable(sql);
  const info = db.prepare('SELECT name, type, "notnull" AS nn, dflt_value AS dflt, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid').all(name) as {
    name: string;
    type: string;
    nn: number;
    dflt: string | null;
    pk: number;
    hidden: number;
  }[];
  const columns: ColumnShape[] = info
    .filter((c) => c.hidden !== 1)
    .map((c) => {
      const p = parsed.columns.get(c.name.toLowerCase());
      return { name: c.name, type: canonicalType(c.type), notNull: c.nn === 1, default: c.dflt, collation: p?.collation ?? null, definition: p?.definition ?? c.type };
    });
  const checks: CheckShape[] = [];
  for (const [key, p] of parsed.columns) {
    const column = columns.find((c) => c.name.toLowerCase() === key)?.name ?? key;
    for (const expression of p.checks) checks.push({ column, expression });
  }
  for (const expression of parsed.checks) checks.push({ column: null, expression });
  const primaryKey = info
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const indexList = db.prepare('SELECT name, "unique" AS isUnique, origin, partial FROM pragma_index_list(?)').all(name) as {
    name: string;
    isUnique: number;
    origin: string;
    partial: number;
  }[];
  const uniques: string[][] = [];
  const indexes: IndexShape[] = [];
  for (const ix of indexList) {
    const keys = db.prepare('SELECT cid, name, "desc" AS isDesc, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno').all(ix.name) as {
      cid: number;
      name: string | null;
      isDesc: number;
      coll: string;
    }[];
    if (ix.origin === 'u') uniques.push(keys.map((c) => c.name ?? ''));
    if (ix.origin !== 'c') continue;
    const indexSql = own.find((o) => o.type === 'index' && o.name.toLowerCase() === ix.name.toLowerCase())?.sql ?? '';
    const written = parseCreateIndex(indexSql);
    indexes.push({
      name: ix.name,
      unique: ix.isUnique === 1,
      columns: keys.map((c, i): IndexColumnShape => ({
        column: c.cid === -2 ? null : c.name,
        expression: c.cid === -2 ? (written.columns[i]?.expression ?? null) : null,
        collation: c.coll.toUpperCase(),
        explicitCollation: written.columns[i]?.collation ?? null,
        desc: c.isDesc === 1,
      })),
      where: ix.partial ? written.where : null,
      named: true,
      sql: indexSql,
    });
  }
  const position = (index: string) => own.findIndex((o) => o.name.toLowerCase() === index.toLowerCase());
  indexes.sort((a, b) => position(a.name) - position(b.name));
  return {
    name,
    columns,
    primaryKey,
    autoincrement: parsed.autoincrement,
    withoutRowid: parsed.withoutRowid,
    uniques,
    checks,
    foreignKeys: foreignKeys(db, name),
    indexes,
    sql,
    triggers: own.filter((o) => o.type === 'trigger').map((o) => o.sql),
  };
}

function foreignKeys(db: Connection, table: string): ForeignKeyShape[] {
  const rows = db
    .prepare(
      'SELECT id, seq, "table" AS parent, "from" AS fromColumn, "to" AS toColumn, on_update AS onUpdate, on_delete AS onDelete FROM pragma_foreign_key_list(?) ORDER BY id, seq',
    )
    .all(table) as { id: number; seq: number; parent: string; fromColumn: string; toColumn: string | null; onUpdate: string; onDelete: string }[];
  const byId = new Map<number, ForeignKeyShape>();
  for (const r of rows) {
    let fk = byId.get(r.id);
    if (!fk) {
      fk = { columns: [], table: r.parent, to: [], onDelete: r.onDelete.toUpperCase() as ForeignKeyAction, onUpdate: r.onUpdate.toUpperCase() as ForeignKeyAction };
      byId.set(r.id, fk);
    }
    fk.columns.push(r.fromColumn);
    if (r.toColumn !== null) fk.to.push(r.toColumn);
  }
  for (const fk of byId.values()) {
    if (fk.to.length === 0) {
      // REFERENCES parent without columns: the parent's primary key.
      fk.to = db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck().all(fk.table) as string[];
    }
  }
  return [...byId.values()].reverse();
}

/**
 * The key columns of a CREATE INDEX statement as written (expression, explicit COLLATE) and its
 * WHERE clause; PRAGMA index_xinfo gives everything else.
 */
export function parseCreateIndex(sql: string): { columns: { expression: string; collation: string | null }[]; where: string | null } {
  const tokens = tokenizeSql(sql);
  const on = tokens.findIndex((t) => t.kind === 'word' && t.text === 'on');
  const open = tokens.findIndex((t, k) => k > on && t.text === '(');
  if (on < 0 || open < 0) return { columns: [], where: null };
  const close = matchingParen(tokens, open);
  const columns: { expression: string; collation: string | null }[] = [];
  let start = open + 1;
  let depth = 0;
  for (let k = open + 1; k <= close; k++) {
    const t = tokens[k]!;
    if (t.text === '(') depth++;
    else if (t.text === ')' && k < close) depth--;
    if ((t.text === ',' && depth === 0) || k === close) {
      let end = k;
      let collation: string | null = null;
      if (tokens[end - 1]?.kind === 'word' && (tokens[end - 1]!.text === 'asc' || tokens[end - 1]!.text === 'desc')) end--;
      if (tokens[end - 2]?.kind === 'word' && tokens[end - 2]!.text === 'collate') {
        collation = (tokenName(tokens[end - 1]!) ?? tokens[end - 1]!.text).toUpperCase();
        end -= 2;
      }
      columns.push({ expression: withoutOuterParens(sql.slice(tokens[start]!.start, tokens[end - 1]!.end)), collation });
      start = k + 1;
    }
  }
  const where = tokens.findIndex((t, k) => k > close && t.kind === 'word' && t.text === 'where');
  return { columns, where: where < 0 ? null : sql.slice(tokens[where]!.end).trim().replace(/;$/, '') };
}
