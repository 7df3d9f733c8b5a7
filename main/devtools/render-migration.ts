import type { SchemaComparison } from './compare-schemas';
import { columnDefinition, createIndexSql, createTableSql, namedColumnDefinition } from './render-sql';
import type { RenameCandidate, SchemaChange } from './schema-change';
import { isConstantDefault, jsString, sqlName } from './sql-text';
import { columnNameOfPart, splitCreateTable, sqlMentions } from '@fieldbook/engine/tooling';
import { findColumn, same, type ColumnShape, type TableShape } from './table-shape';

/** The statements of a generated migration's `up` and `down`, one line of code (or comment) each. */
export interface MigrationBody {
  up: string[];
  down: string[];
}

const call = (fn: string, ...args: (string | null)[]) =>
  `${fn}(${args
    .filter((a): a is string => a !== null)
    .map(jsString)
    .join(', ')});`;
const exec = (sql: string) => call('exec', sql);

const INDEX_KINDS = new Set(['add_index', 'remove_index', 'alter_index']);
/** Changes an `ops.alterColumn` of their one column can make (everything they touch is in its definition). */
const COLUMN_LOCAL = new Set([
  'alter_type',
  'alter_nullable',
  'alter_default',
  'alter_collation',
  'add_check',
  'remove_check',
  'add_foreign_key',
  'remove_foreign_key',
  'alter_foreign_key',
  'add_unique',
  'remove_unique',
]);

/**
 * Writes the migration that turns the migrated schema into the models' one, and back:
 * - new tables: `exec(CREATE TABLE ...)` and `exec(CREATE INDEX ...)`; removed tables: `exec(DROP TABLE ...)`
 *   (down recreates them, empty, with their indexes and triggers);
 * - columns added or dropped and nothing else: native `ops.addColumn` (when SQLite's ADD COLUMN
 *   allows the definition) and `ops.dropColumn`;
 * - changes confined to one column's definition: `ops.alterColumn` (a preserving rebuild);
 * - anything else (several columns, keys, table constraints): one `ops.rebuildTable` to the
 *   table the models declare; down rebuilds to the table's original CREATE TABLE statement;
 * - indexes dropped first and created last, by name, with `exec`.
 * Possible renames are written as comments beside the drop and add, never applied.
 */
export function renderMigrationBody(comparison: SchemaComparison, reflected: readonly TableShape[], modelled: readonly TableShape[]): MigrationBody {
  const { changes, renames } = comparison;
  const up: string[] = [];
  const down: string[] = [];
  const table = (list: readonly TableShape[], name: string) => list.find((t) => same(t.name, name))!;
  const tableRenames = renames.filter((r) => r.kind === 'table');

  for (const rename of tableRenames) {
    up.push(
      `// possible rename: table ${rename.from} → ${rename.to} (${rename.reason}). If it is one, replace the`,
      `// CREATE TABLE ${rename.to} and DROP TABLE ${rename.from} below with the rename, which keeps the rows:`,
      `// ${call('ops.renameTable', rename.from, rename.to)}`,
    );
  }
  const downTail: string[] = [];
  for (const c of changes.filter((x) => x.kind === 'add_table')) {
    const m = table(modelled, c.table);
    up.push(exec(createTableSql(m)), ...m.indexes.map((i) => exec(createIndexSql(m.name, i))));
    downTail.unshift(exec(`DROP TABLE ${sqlName(m.name)}`));
  }
  const changedTables = [...new Set(changes.filter((c) => c.kind !== 'add_table' && c.kind !== 'remove_table').map((c) => c.table.toLowerCase()))];
  const downChanged: string[][] = [];
  for (const name of changedTables) {
    const r = table(reflected, name);
    const m = table(modelled, name);
    const plan = planTable(
      r,
      m,
      changes.filter((c) => same(c.table, name)),
      renames.filter((x) => x.kind === 'column' && same(x.table!, name)),
    );
    up.push(...plan.up);
    downChanged.unshift(plan.down);
  }
  const downHead: string[] = [];
  for (const c of changes.filter((x) => x.kind === 'remove_table')) {
    const r = table(reflected, c.table);
    up.push(`// ${r.name}'s rows are lost; down() recreates the table empty.`, exec(`DROP TABLE ${sqlName(r.name)}`));
    downHead.unshift(exec(r.sql!), ...r.indexes.map((i) => exec(i.sql!)), ...(r.triggers ?? []).map(exec));
  }
  for (const rename of tableRenames) {
    down.push(
      `// possible rename (see up()): if up() renames ${rename.from} to ${rename.to}, replace the CREATE TABLE ${rename.from}`,
      `// and DROP TABLE ${rename.to} below with: ${call('ops.renameTable', rename.to, rename.from)}`,
    );
  }
  down.push(...downHead, ...downChanged.flat(), ...downTail);
  return { up, down };
}

/** Whether ALTER TABLE ADD COLUMN accepts the column as the models declare it (sqlite.org lang_altertable). */
function addableNatively(m: TableShape, column: ColumnShape): boolean {
  const single = (columns: readonly string[]) => columns.length === 1 && same(columns[0]!, column.name);
  if (m.primaryKey.some((k) => same(k, column.name)) || m.uniques.some(single)) return false;
  if (column.default !== null && !isConstantDefault(column.default)) return false;
  if (column.notNull && (column.default === null || /^null$/i.test(column.default.trim()))) return false;
  if (m.foreignKeys.some((f) => single(f.columns)) && column.default !== null && !/^null$/i.test(column.default.trim())) return false;
  return true;
}

/** True when a table constraint (not a column definition) of the CREATE TABLE statement names the column. */
function tableConstraintMentions(createSql: string, column: string): boolean {
  return splitCreateTable(createSql).parts.some((p) => columnNameOfPart(p) === null && sqlMentions(p, column));
}

function planTable(r: TableShape, m: TableShape, changes: SchemaChange[], renames: RenameCandidate[]): MigrationBody {
  const t = m.name;
  const up: string[] = [];
  const down: string[] = [];
  const indexChanges = changes.filter((c) => INDEX_KINDS.has(c.kind));
  const structural = changes.filter((c) => !INDEX_KINDS.has(c.kind));
  const dropIndexes = indexChanges.filter((c) => c.kind !== 'add_index').map((c) => r.indexes.find((i) => same(i.name, c.index!))!);
  const createIndexes = indexChanges.filter((c) => c.kind !== 'remove_index').map((c) => m.indexes.find((i) => same(i.name, c.index!))!);

  for (const i of dropIndexes) up.push(exec(`DROP INDEX ${sqlName(i.name)}`));
  for (const i of createIndexes) down.push(exec(`DROP INDEX ${sqlName(i.name)}`));

  const added = structural.filter((c) => c.kind === 'add_column').map((c) => findColumn(m, c.column!)!);
  const removed = structural.filter((c) => c.kind === 'remove_column').map((c) => c.column!);
  const native = structural.every((c) => c.kind === 'remove_column' || (c.kind === 'add_column' && addableNatively(m, findColumn(m, c.column!)!)));
  const localColumns = new Set(structural.map((c) => (COLUMN_LOCAL.has(c.kind) ? localColumn(c) : null)));
  const onlyColumn = localColumns.size === 1 ? [...localColumns][0] : null;
  const renameLines = (mode: 'replace' | 'uncomment') =>
    renames.flatMap((x) => [
      `// possible rename: ${t}.${x.from} → ${t}.${x.to} (${x.reason}). If it is one,`,
      mode === 'replace'
        ? '// replace the dropColumn/addColumn below with the rename, which keeps the values:'
        : '// uncomment the rename: the rebuild below then copies the values.',
      `// ${call('ops.renameColumn', t, x.from, x.to)}`,
    ]);
  const renameBackLines = () =>
    renames.flatMap((x) => [`// possible rename (see up()): if up() renames ${x.from} to ${x.to}, uncomment:`, `// ${call('ops.renameColumn', t, x.to, x.from)}`]);

  if (structural.length === 0) {
    // Only indexes change.
  } else if (native) {
    up.push(...renameLines('replace'));
    for (const column of removed) up.push(call('ops.dropColumn', t, column));
    for (const column of added) up.push(call('ops.addColumn', t, namedColumnDefinition(m, column)));
    if (removed.length === 0) for (const column of [...added].reverse()) down.push(call('ops.dropColumn', t, column.name));
    else down.push(...renameBackLines(), rebuild(t, r.sql!, {}));
  } else if (onlyColumn && !tableConstraintMentions(r.sql!, onlyColumn) && findColumn(r, onlyColumn) && findColumn(m, onlyColumn)) {
    const rc = findColumn(r, onlyColumn)!;
    const mc = findColumn(m, onlyColumn)!;
    up.push(...notes(r, m, structural));
    up.push(alterColumn(t, rc.name, columnDefinition(m, mc), fillNulls(rc, mc)));
    down.push(alterColumn(t, rc.name, rc.definition ?? rc.type, null));
  } else {
    up.push(...renameLines('uncomment'), ...notes(r, m, structural));
    const select = Object.fromEntries(
      m.columns.flatMap((mc) => {
        const rc = findColumn(r, mc.name);
        const fill = rc ? fillNulls(rc, mc) : null;
        return fill ? [[mc.name, fill]] : [];
      }),
    );
    up.push(rebuild(t, createTableSql(m), select));
    down.push(...renameBackLines(), rebuild(t, r.sql!, {}));
  }

  for (const i of createIndexes) up.push(exec(createIndexSql(t, i)));
  for (const i of dropIndexes) down.push(exec(i.sql!));
  return { up, down };
}

/**
 * `ops.alterColumn` with the whole definition (`constraints: 'replace'`): the models state every
 * constraint the column keeps, so one they no longer declare must go.
 */
function alterColumn(table: string, column: string, definition: string, fill: string | null): string {
  return `ops.alterColumn(${[table, column, definition].map(jsString).join(', ')}, ${fill === null ? 'undefined' : jsString(fill)}, { constraints: 'replace' });`;
}

function localColumn(c: SchemaChange): string | null {
  if (c.column) return c.column.toLowerCase();
  const columns = (c.to ?? c.from) as { columns?: string[] } | string[] | undefined;
  const list = Array.isArray(columns) ? columns : columns?.columns;
  return list && list.length === 1 ? list[0]!.toLowerCase() : null;
}

/** `coalesce(column, default)` for a nullable column that becomes NOT NULL with a default, else null. */
function fillNulls(rc: ColumnShape, mc: ColumnShape): string | null {
  if (rc.notNull || !mc.notNull || mc.default === null) return null;
  return `coalesce(${sqlName(rc.name)}, ${mc.default})`;
}

function rebuild(table: string, create: string, select: Record<string, string>): string {
  const entries = Object.entries(select);
  const selectText = entries.length ? `, select: { ${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : jsString(k)}: ${jsString(v)}`).join(', ')} }` : '';
  return `ops.rebuildTable(${jsString(table)}, { create: ${jsString(create)}${selectText} });`;
}

/** Comments on what can make a rebuild fail on existing rows. */
function notes(r: TableShape, m: TableShape, changes: readonly SchemaChange[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    const mc = c.column ? findColumn(m, c.column) : undefined;
    if (c.kind === 'add_column' && mc?.notNull && mc.default === null) {
      out.push(`// ${m.name}.${mc.name} is NOT NULL without a default: existing rows need a value (add select: { ${mc.name}: '<expression>' }).`);
    } else if (c.kind === 'alter_nullable' && mc?.notNull && mc.default === null) {
      out.push(`// ${m.name}.${mc.name} becomes NOT NULL: rows where it is NULL make this fail; give them a value first.`);
    } else if (c.kind === 'alter_type' && findColumn(r, c.column!)) {
      out.push(
        `// ${m.name}.${c.column}: values are converted by the new type's affinity where they can be (sqlite.org/datatype3.html);`,
        "// one the conversion would not give back (TEXT '007' into INTEGER) makes this fail: convert it on purpose with a value expression.",
      );
    } else if (c.kind === 'add_check' || c.kind === 'add_unique') {
      out.push(`// existing rows must satisfy the new ${c.kind === 'add_check' ? 'CHECK' : 'UNIQUE constraint'}, or the copy fails: ${c.description}.`);
    }
  }
  return out;
}
