import type { SchemaObject } from '../schema/schema-fingerprint';
import { columnOfPart, splitCreateTable } from '../sqlite/create-table-parts';
import { normalizeSql } from '../sqlite/sql-canonical';
import { foldName, tokenizeSql } from '../sqlite/sql-tokens';
import { worseOf, type Compatibility } from './compatibility';

/** What a schema diff proves about an older app meeting the newer schema, and why. */
export interface ProvenCompatibility {
  /** The least severe class the diff allows (a declaration may be more severe, never less). */
  compatibility: Compatibility;
  /** Each change that made it more severe than `additive`, worded for a migration's author. */
  reasons: string[];
}

/**
 * The class a schema change earns, judged only from the schemas (each as readSchema returns it):
 * - `breaking` when a table, column or view the older schema has is gone (dropped or renamed),
 *   or a view changed: the older app's reads fail or mean something else;
 * - `readable` when what it reads is all there but its writes could fail or skip a rule: a
 *   column's definition, a table's constraints or options changed, columns were inserted before
 *   its own, a new column is NOT NULL without a default (or a key), an index or trigger of its
 *   own was dropped or changed, a new UNIQUE index or a new trigger sits on one of its tables;
 * - `additive` otherwise: new tables, views, indexes (not UNIQUE on its tables), triggers on
 *   new tables, and columns appended that its inserts may leave out.
 */
export function compatibilityOf(older: readonly SchemaObject[], newer: readonly SchemaObject[]): ProvenCompatibility {
  let compatibility: Compatibility = 'additive';
  const reasons: string[] = [];
  const note = (cls: Compatibility, reason: string) => {
    compatibility = worseOf(compatibility, cls)!;
    reasons.push(`${reason} (${cls})`);
  };
  const key = (o: SchemaObject) => `${o.type} ${foldName(o.name)}`;
  const newerByKey = new Map(newer.map((o) => [key(o), o]));
  const olderTables = new Set(older.filter((o) => o.type === 'table').map((o) => foldName(o.name)));
  for (const o of older) {
    const found = newerByKey.get(key(o));
    const same = found !== undefined && normalizeSql(found.sql) === normalizeSql(o.sql);
    if (o.type === 'table') {
      if (!found) note('breaking', `table ${o.name} is gone (dropped or renamed)`);
      else if (!same) compareTables(o, found, note);
    } else if (o.type === 'view') {
      if (!found) note('breaking', `view ${o.name} is gone`);
      else if (!same) note('breaking', `view ${o.name} changed`);
    } else if (!found) {
      note('readable', `${o.type} ${o.name} on ${o.tableName} is gone`);
    } else if (!same) {
      note('readable', `${o.type} ${o.name} on ${o.tableName} changed`);
    }
  }
  const olderKeys = new Set(older.map(key));
  for (const o of newer) {
    if (olderKeys.has(key(o)) || !olderTables.has(foldName(o.tableName))) continue;
    if (o.type === 'trigger') note('readable', `new trigger ${o.name} on ${o.tableName} would run on the older app's writes`);
    if (o.type === 'index' && isUniqueIndex(o.sql)) note('readable', `new unique index ${o.name} on ${o.tableName} could refuse the older app's writes`);
  }
  return { compatibility, reasons };
}

type Note = (cls: Compatibility, reason: string) => void;

function compareTables(older: SchemaObject, newer: SchemaObject, note: Note): void {
  const virtual = (sql: string) => /^\s*create\s+virtual\b/i.test(sql);
  if (virtual(older.sql) || virtual(newer.sql)) {
    note('readable', `virtual table ${older.name} changed`);
    return;
  }
  const a = tableShape(older.sql);
  const b = tableShape(newer.sql);
  const positions: number[] = [];
  for (const [name, definition] of a.columns) {
    const index = [...b.columns.keys()].indexOf(name);
    if (index < 0) {
      note('breaking', `column ${older.name}.${name} is gone (dropped or renamed)`);
      continue;
    }
    positions.push(index);
    if (b.columns.get(name) !== definition) note('readable', `column ${older.name}.${name} changed: ${definition} → ${b.columns.get(name)!}`);
  }
  const newNames = [...b.columns.keys()];
  const last = Math.max(-1, ...positions);
  if (positions.some((p, i) => i > 0 && p < positions[i - 1]!) || newNames.some((n, i) => !a.columns.has(n) && i < last)) {
    note('readable', `columns of ${older.name} were reordered or a column was inserted before its own`);
  }
  for (const [name, definition] of b.columns) {
    if (a.columns.has(name)) continue;
    const words = ` ${definition} `;
    if (/ primary key | unique /.test(words)) note('readable', `new column ${newer.name}.${name} is a key`);
    else if (/ not null /.test(words) && !/ default /.test(words) && !/ generated | as \(/.test(words)) {
      note('readable', `new column ${newer.name}.${name} is NOT NULL without a default, so the older app's inserts fail`);
    }
  }
  if (a.constraints !== b.constraints) note('readable', `table constraints of ${older.name} changed`);
  if (a.tail !== b.tail) note('readable', `table options of ${older.name} changed`);
}

/** A CREATE TABLE's columns (folded name → normalised definition), constraints and options, normalised. */
function tableShape(sql: string): { columns: Map<string, string>; constraints: string; tail: string } {
  const { parts, tail } = splitCreateTable(sql);
  const columns = new Map<string, string>();
  const constraints: string[] = [];
  for (const part of parts) {
    const name = columnOfPart(part);
    if (name === null) constraints.push(normalizeSql(part));
    else columns.set(foldName(name), normalizeSql(part).split(' ').slice(1).join(' '));
  }
  return { columns, constraints: constraints.sort().join(', '), tail: normalizeSql(tail) };
}

function isUniqueIndex(sql: string): boolean {
  const tokens = tokenizeSql(sql);
  return tokens[1]?.text === 'unique';
}
