import type { RenameCandidate, SchemaChange } from './schema-change';
import { canonicalExpression, typeAffinity } from './sql-text';
import { findColumn, isRowidAlias, same, type ForeignKeyShape, type IndexShape, type TableShape } from './table-shape';

export interface CompareOptions {
  /** See DevtoolsConfig.compareTypes (default true). */
  compareTypes?: boolean | 'affinity';
}

export interface SchemaComparison {
  changes: SchemaChange[];
  renames: RenameCandidate[];
}

const lower = (names: readonly string[]) => names.map((n) => n.toLowerCase());
const list = (names: readonly string[]) => `(${names.join(', ')})`;

/** A DEFAULT compared semantically: `DEFAULT NULL` is no default, `(0)` is `0`. */
function defaultKey(sql: string | null): string | null {
  const canonical = canonicalExpression(sql);
  return canonical === 'null' ? null : canonical;
}

function foreignKeyKey(fk: ForeignKeyShape): string {
  return `${lower(fk.columns).join(',')}>${fk.table.toLowerCase()}(${lower(fk.to).join(',')})`;
}

function describeForeignKey(table: string, fk: ForeignKeyShape): string {
  const actions = [fk.onDelete !== 'NO ACTION' ? ` ON DELETE ${fk.onDelete}` : '', fk.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${fk.onUpdate}` : ''].join('');
  return `${table} ${list(fk.columns)} → ${fk.table} ${list(fk.to)}${actions}`;
}

/** What makes two indexes the same index: uniqueness, key columns (with collation and order) and WHERE. */
function indexKey(index: IndexShape): string {
  const columns = index.columns.map((c) => `${c.column?.toLowerCase() ?? `(${canonicalExpression(c.expression)})`} ${c.collation}${c.desc ? ' desc' : ''}`);
  return `${index.unique ? 'unique ' : ''}(${columns.join(', ')})${index.where ? ` where ${canonicalExpression(index.where)}` : ''}`;
}

export function describeIndex(table: string, index: IndexShape): string {
  const columns = index.columns.map((c) => (c.column ?? c.expression ?? '') + (c.explicitCollation ? ` COLLATE ${c.explicitCollation}` : '') + (c.desc ? ' DESC' : ''));
  return `${index.unique ? 'unique ' : ''}index ${index.name} on ${table} ${list(columns)}${index.where ? ` WHERE ${index.where}` : ''}`;
}

/** Elements of `a` with no equal (by `key`) element left in `b`, each element of `b` used once. */
function unmatched<T>(a: readonly T[], b: readonly T[], key: (x: T) => string): T[] {
  const pool = b.map(key);
  return a.filter((x) => {
    const k = pool.indexOf(key(x));
    if (k < 0) return true;
    pool.splice(k, 1);
    return false;
  });
}

/**
 * Compares the schema the migrations produce (`reflected`) with the one the models declare
 * (`modelled`) semantically: names ignore case; types are canonicalised; defaults, CHECKs,
 * index expressions and WHERE clauses compare as token streams (whitespace, quoting, keyword
 * case and outer parentheses aside); a UNIQUE written on a column or as a table constraint is the
 * same constraint, and so is a CHECK; column order is not compared. Constraints that belong to
 * an added or removed column (its own CHECK, single-column UNIQUE or REFERENCES) are part of that
 * change, not reported again. Renames are never assumed: they are only suggested (`renames`).
 */
export function compareSchemas(reflected: readonly TableShape[], modelled: readonly TableShape[], options: CompareOptions = {}): SchemaComparison {
  const changes: SchemaChange[] = [];
  const renames: RenameCandidate[] = [];
  const added = modelled.filter((m) => !reflected.some((r) => same(r.name, m.name)));
  const removed = reflected.filter((r) => !modelled.some((m) => same(r.name, m.name)));
  for (const t of added) changes.push({ kind: 'add_table', table: t.name, description: `add table ${t.name}` });
  for (const m of modelled) {
    const r = reflected.find((x) => same(x.name, m.name));
    if (r) changes.push(...compareTables(r, m, options, renames));
  }
  for (const t of removed) changes.push({ kind: 'remove_table', table: t.name, description: `remove table ${t.name}` });

  const shape = (t: TableShape) =>
    t.columns
      .map((c) => `${c.name.toLowerCase()} ${c.type}`)
      .sort()
      .join(', ');
  const paired = new Set<TableShape>();
  for (const r of removed) {
    const a = added.find((x) => !paired.has(x) && shape(x) === shape(r));
    if (!a) continue;
    paired.add(a);
    renames.push({ kind: 'table', from: r.name, to: a.name, reason: 'same columns and types' });
  }
  return { changes, renames };
}

function compareTables(r: TableShape, m: TableShape, options: CompareOptions, renames: RenameCandidate[]): SchemaChange[] {
  const t = m.name;
  const changes: SchemaChange[] = [];
  const addedColumns = m.columns.filter((c) => !findColumn(r, c.name));
  const removedColumns = r.columns.filter((c) => !findColumn(m, c.name));
  for (const c of removedColumns) changes.push({ kind: 'remove_column', table: t, column: c.name, description: `remove column ${t}.${c.name}` });
  for (const c of addedColumns) changes.push({ kind: 'add_column', table: t, column: c.name, description: `add column ${t}.${c.name}${c.type ? ` ${c.type}` : ''}` });
  const paired = new Set<string>();
  for (const old of removedColumns) {
    const candidate = addedColumns.find((c) => !paired.has(c.name) && c.type === old.type && c.notNull === old.notNull);
    if (!candidate) continue;
    paired.add(candidate.name);
    renames.push({ kind: 'column', table: t, from: old.name, to: candidate.name, reason: `both ${candidate.type || 'untyped'}, ${candidate.notNull ? 'NOT NULL' : 'nullable'}` });
  }

  const compareTypes = options.compareTypes ?? true;
  for (const mc of m.columns) {
    const rc = findColumn(r, mc.name);
    if (!rc) continue;
    const at = `${t}.${mc.name}`;
    const typesDiffer = compareTypes === 'affinity' ? typeAffinity(rc.type) !== typeAffinity(mc.type) : compareTypes && rc.type !== mc.type;
    if (typesDiffer)
      changes.push({ kind: 'alter_type', table: t, column: mc.name, from: rc.type, to: mc.type, description: `${at}: type ${rc.type || 'untyped'} → ${mc.type || 'untyped'}` });
    if (rc.notNull !== mc.notNull && !isRowidAlias(r, rc) && !isRowidAlias(m, mc)) {
      const word = (notNull: boolean) => (notNull ? 'NOT NULL' : 'nullable');
      changes.push({ kind: 'alter_nullable', table: t, column: mc.name, from: !rc.notNull, to: !mc.notNull, description: `${at}: ${word(rc.notNull)} → ${word(mc.notNull)}` });
    }
    if (defaultKey(rc.default) !== defaultKey(mc.default)) {
      changes.push({
        kind: 'alter_default',
        table: t,
        column: mc.name,
        from: rc.default,
        to: mc.default,
        description: `${at}: default ${rc.default ?? 'none'} → ${mc.default ?? 'none'}`,
      });
    }
    if ((rc.collation ?? 'BINARY') !== (mc.collation ?? 'BINARY')) {
      changes.push({
        kind: 'alter_collation',
        table: t,
        column: mc.name,
        from: rc.collation ?? 'BINARY',
        to: mc.collation ?? 'BINARY',
        description: `${at}: collation ${rc.collation ?? 'BINARY'} → ${mc.collation ?? 'BINARY'}`,
      });
    }
  }

  if (lower(r.primaryKey).join(',') !== lower(m.primaryKey).join(',')) {
    changes.push({ kind: 'alter_primary_key', table: t, from: r.primaryKey, to: m.primaryKey, description: `${t}: primary key ${list(r.primaryKey)} → ${list(m.primaryKey)}` });
  }
  if (r.autoincrement !== m.autoincrement) {
    changes.push({ kind: 'alter_autoincrement', table: t, from: r.autoincrement, to: m.autoincrement, description: `${t}: ${m.autoincrement ? 'add' : 'remove'} AUTOINCREMENT` });
  }
  if (r.withoutRowid !== m.withoutRowid) {
    changes.push({
      kind: 'alter_without_rowid',
      table: t,
      from: r.withoutRowid,
      to: m.withoutRowid,
      description: `${t}: ${m.withoutRowid ? 'becomes' : 'no longer'} WITHOUT ROWID`,
    });
  }

  // Constraints that come and go with an added or removed column are part of that change.
  const changing = new Set(lower([...addedColumns, ...removedColumns].map((c) => c.name)));
  const ownedByChangingColumn = (columns: readonly string[]) => columns.length === 1 && changing.has(columns[0]!.toLowerCase());

  const uniqueKey = (u: readonly string[]) => lower(u).sort().join(',');
  const rUniques = r.uniques.filter((u) => !ownedByChangingColumn(u));
  const mUniques = m.uniques.filter((u) => !ownedByChangingColumn(u));
  for (const u of unmatched(rUniques, mUniques, uniqueKey)) changes.push({ kind: 'remove_unique', table: t, from: u, description: `remove unique constraint ${t} ${list(u)}` });
  for (const u of unmatched(mUniques, rUniques, uniqueKey)) changes.push({ kind: 'add_unique', table: t, to: u, description: `add unique constraint ${t} ${list(u)}` });

  const rFks = r.foreignKeys.filter((f) => !ownedByChangingColumn(f.columns));
  const mFks = m.foreignKeys.filter((f) => !ownedByChangingColumn(f.columns));
  for (const fk of rFks) {
    const other = mFks.find((x) => foreignKeyKey(x) === foreignKeyKey(fk));
    if (!other) changes.push({ kind: 'remove_foreign_key', table: t, from: fk, description: `remove foreign key ${describeForeignKey(t, fk)}` });
    else if (other.onDelete !== fk.onDelete || other.onUpdate !== fk.onUpdate) {
      changes.push({
        kind: 'alter_foreign_key',
        table: t,
        from: fk,
        to: other,
        description: `foreign key ${t} ${list(fk.columns)} → ${fk.table}: ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate} → ON DELETE ${other.onDelete} ON UPDATE ${other.onUpdate}`,
      });
    }
  }
  for (const fk of mFks) {
    if (!rFks.some((x) => foreignKeyKey(x) === foreignKeyKey(fk)))
      changes.push({ kind: 'add_foreign_key', table: t, to: fk, description: `add foreign key ${describeForeignKey(t, fk)}` });
  }

  const checkKey = (c: { expression: string }) => canonicalExpression(c.expression) ?? '';
  const rChecks = r.checks.filter((c) => c.column === null || !changing.has(c.column.toLowerCase()));
  const mChecks = m.checks.filter((c) => c.column === null || !changing.has(c.column.toLowerCase()));
  const where = (column: string | null) => (column ? `${t}.${column}` : t);
  for (const c of unmatched(rChecks, mChecks, checkKey)) {
    changes.push({
      kind: 'remove_check',
      table: t,
      ...(c.column ? { column: c.column } : {}),
      from: c.expression,
      description: `remove check on ${where(c.column)}: ${c.expression}`,
    });
  }
  for (const c of unmatched(mChecks, rChecks, checkKey)) {
    changes.push({ kind: 'add_check', table: t, ...(c.column ? { column: c.column } : {}), to: c.expression, description: `add check on ${where(c.column)}: ${c.expression}` });
  }

  changes.push(...compareIndexes(t, r.indexes, m.indexes));
  return changes;
}

/**
 * Named model indexes match the migrated index of the same name; unnamed ones (Sequelize's
 * generated name) match any migrated index of the same shape first, then one of their name.
 */
function compareIndexes(t: string, reflected: readonly IndexShape[], modelled: readonly IndexShape[]): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const left = new Set(reflected);
  const pairs: [IndexShape | undefined, IndexShape][] = [];
  for (const m of modelled.filter((x) => x.named)) {
    const r = [...left].find((x) => same(x.name, m.name));
    if (r) left.delete(r);
    pairs.push([r, m]);
  }
  for (const m of modelled.filter((x) => !x.named)) {
    const r = [...left].find((x) => indexKey(x) === indexKey(m)) ?? [...left].find((x) => same(x.name, m.name));
    if (r) left.delete(r);
    pairs.push([r, m]);
  }
  for (const r of left) changes.push({ kind: 'remove_index', table: t, index: r.name, description: `remove ${describeIndex(t, r)}` });
  for (const [r, m] of pairs) {
    if (!r) changes.push({ kind: 'add_index', table: t, index: m.name, description: `add ${describeIndex(t, m)}` });
    else if (indexKey(r) !== indexKey(m)) {
      changes.push({
        kind: 'alter_index',
        table: t,
        index: r.name,
        from: describeIndex(t, r),
        to: describeIndex(t, m),
        description: `change ${describeIndex(t, r)} → ${describeIndex(t, m)}`,
      });
    }
  }
  return changes;
}
