import type { Connection } from '../sqlite/connection';
import { quoteIdent, quoteString } from '../sqlite/sql-tokens';
import type { RootSelection, SubsetConfig } from './subset-config';

/** A table of the source that a subset can copy rows of. */
export interface SubsetTable {
  name: string;
  columns: string[];
  /** `rowid` tables are tracked by rowid, WITHOUT ROWID tables by their primary key. */
  key: string[];
  withoutRowid: boolean;
  /** The INTEGER PRIMARY KEY column that aliases the rowid, if any. */
  rowidAlias: string | null;
  /** Temporary table holding the keys of the rows kept. */
  keep: string;
  /** Temporary table holding kept rows that the selection does not own (referenced, or dependents of those). */
  fresh: string;
}

/** One foreign key between two tables the subset copies (a multi-column key is one entry). */
export interface ForeignKey {
  child: string;
  parent: string;
  from: string[];
  to: string[];
  /** True when it is ON DELETE CASCADE: the child rows belong to the parent row. */
  cascade: boolean;
}

/**
 * The tables of the attached source (`src`) that hold data: not SQLite's, not virtual or
 * shadow tables (full-text indexes are rebuilt from their content tables), not the version table.
 */
export function subsetTables(db: Connection, versionTable: string): SubsetTable[] {
  const rows = db.prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'src' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as {
    name: string;
  }[];
  return rows
    .filter((r) => r.name.toLowerCase() !== versionTable.toLowerCase())
    .map((r, index) => {
      const info = db.prepare('SELECT name, pk FROM pragma_table_info(?, ?) ORDER BY cid').all(r.name, 'src') as { name: string; pk: number }[];
      const withoutRowid = (db.prepare("SELECT wr FROM pragma_table_list WHERE schema = 'src' AND name = ?").pluck().get(r.name) as number) === 1;
      const pk = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const pkType = pk.length === 1 ? (db.prepare('SELECT type FROM pragma_table_info(?, ?) WHERE name = ?').pluck().get(r.name, 'src', pk[0]) as string) : '';
      return {
        rowidAlias: !withoutRowid && pkType.toUpperCase() === 'INTEGER' ? pk[0]! : null,
        name: r.name,
        columns: info.map((c) => c.name),
        key: withoutRowid ? pk : ['rowid'],
        withoutRowid,
        keep: `temp.${quoteIdent(`subset_keep_${index}`)}`,
        fresh: `temp.${quoteIdent(`subset_fresh_${index}`)}`,
      };
    });
}

/**
 * The foreign keys among `tables` in the attached source, with implicit parent columns resolved to
 * the parent's primary key (or rowid); keys to tables the subset does not copy are left out.
 */
export function foreignKeysOf(db: Connection, tables: readonly SubsetTable[]): ForeignKey[] {
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const keys: ForeignKey[] = [];
  for (const child of tables) {
    const rows = db.prepare('SELECT id, seq, "table" AS parent, "from", "to", on_delete FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq').all(child.name, 'src') as {
      id: number;
      parent: string;
      from: string;
      to: string | null;
      on_delete: string;
    }[];
    const groups = new Map<number, typeof rows>();
    for (const r of rows) groups.set(r.id, [...(groups.get(r.id) ?? []), r]);
    for (const group of groups.values()) {
      const parent = byName.get(group[0]!.parent.toLowerCase());
      if (!parent) continue; // references a table the subset does not copy (a dangling declaration)
      const parentPk = parent.withoutRowid ? parent.key : primaryKeyOrRowid(db, parent.name);
      keys.push({
        child: child.name,
        parent: parent.name,
        from: group.map((g) => g.from),
        to: group.map((g, i) => g.to ?? parentPk[i]!),
        cascade: group[0]!.on_delete.toUpperCase() === 'CASCADE',
      });
    }
  }
  return keys;
}

function primaryKeyOrRowid(db: Connection, table: string): string[] {
  const pk = (db.prepare('SELECT name, pk FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk').all(table, 'src') as { name: string }[]).map((c) => c.name);
  return pk.length ? pk : ['rowid'];
}

/**
 * The keys (`to` columns) of the rows of `parent` held in `set`: straight from the set when the
 * key is the rowid (no look-up in the table), otherwise through the table.
 */
function keysIn(parent: SubsetTable, to: readonly string[], set: string): string {
  if (to.length === 1 && (to[0] === 'rowid' || (parent.rowidAlias !== null && to[0]!.toLowerCase() === parent.rowidAlias.toLowerCase()))) return `SELECT k FROM ${set}`;
  return `SELECT ${cols('p', to).join(', ')} FROM src.${quoteIdent(parent.name)} p WHERE ${member(parent, 'p', set)}`;
}

const cols = (alias: string, names: readonly string[]) => names.map((n) => (n === 'rowid' ? `${alias}.rowid` : `${alias}.${quoteIdent(n)}`));
const tuple = (items: string[]) => (items.length === 1 ? items[0]! : `(${items.join(', ')})`);

/** `alias`'s key is in `set`. */
function member(table: SubsetTable, alias: string, set: string): string {
  return `${tuple(cols(alias, table.key))} IN (SELECT * FROM ${set})`;
}

/**
 * Computes which rows of each table a subset holds, from the foreign-key graph alone:
 * 1. the rows the selection picks in the root table, and every row that references a kept row
 *    through an ON DELETE CASCADE key, transitively (the rows the selection owns), except rows
 *    that also reference a root row the selection left out (a link to an unpicked sample);
 * 2. every row a kept row references, transitively (sites, tags, instruments...);
 * 3. rows that reference such a referenced row through a CASCADE key and whose every other
 *    reference is kept too (so nothing outside the selection is pulled in through them);
 * 4. rows that name a kept row in the config's row references (data issues).
 * The result is in the temporary `keep` tables; returns the number of rows per table.
 */
export function computeClosure(db: Connection, tables: readonly SubsetTable[], keys: readonly ForeignKey[], config: SubsetConfig, selection: RootSelection): Map<string, number> {
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const table = (name: string) => byName.get(name.toLowerCase())!;
  for (const t of tables) {
    const keyColumns = t.withoutRowid ? t.key.map(quoteIdent).join(', ') : 'k';
    const create = t.withoutRowid ? `(${keyColumns}, PRIMARY KEY (${keyColumns})) WITHOUT ROWID` : '(k INTEGER PRIMARY KEY)';
    db.exec(`CREATE TEMP TABLE ${t.keep} ${create}; CREATE TEMP TABLE ${t.fresh} ${create}`);
  }
  const root = byName.get(config.rootTable.toLowerCase());
  if (!root) throw new Error(`the document has no table ${config.rootTable}`);
  const run = (sql: string, params: unknown[] = []) => db.prepare(sql).run(...params).changes;

  // 1. Owned rows: the selection, then CASCADE children, level by level.
  let grew = new Set<string>();
  /** Per table, the cascade edges its owned rows arrived through (their parents are kept by construction). */
  const arrivedThrough = new Map<string, Set<ForeignKey>>();
  if (run(`INSERT INTO ${root.keep} SELECT ${cols('root', root.key).join(', ')} FROM src.${quoteIdent(root.name)} root WHERE ${selection.where}`, selection.params) > 0) {
    grew.add(root.name);
  }
  /** `c`'s references through `fks` are NULL or point at kept rows. */
  const referencesKept = (fks: readonly ForeignKey[]) =>
    fks
      .map((k) => {
        const q = table(k.parent);
        const from = cols('c', k.from);
        return ` AND (${from.map((f) => `${f} IS NULL`).join(' OR ')} OR ${tuple(from)} IN (${keysIn(q, k.to, q.keep)}))`;
      })
      .join('');
  while (grew.size) {
    const next = new Set<string>();
    for (const fk of keys.filter((k) => k.cascade && grew.has(k.parent))) {
      const child = table(fk.child);
      const parent = table(fk.parent);
      // A row linking a picked root row to one the selection left out (e.g. a pair of samples) stays out.
      const intoRoot = keys.filter((k) => k.child === fk.child && k.parent === root.name && k !== fk);
      const added = run(`INSERT OR IGNORE INTO ${child.keep} SELECT ${cols('c', child.key).join(', ')} FROM src.${quoteIdent(child.name)} c
        WHERE ${tuple(cols('c', fk.from))} IN (${keysIn(parent, fk.to, parent.keep)})${referencesKept(intoRoot)}`);
      if (added > 0) {
        next.add(child.name);
        arrivedThrough.set(child.name, new Set([...(arrivedThrough.get(child.name) ?? []), fk]));
      }
    }
    grew = next;
  }

  // 2. Referenced rows, upwards until nothing is added.
  grew = new Set(tables.map((t) => t.name));
  // In the first round, an edge that was the only way a table's owned rows arrived needs no
  // look-up: every parent it references is kept already.
  let known = (fk: ForeignKey) => arrivedThrough.get(fk.child)?.size === 1 && arrivedThrough.get(fk.child)!.has(fk) && fk.child !== root.name;
  while (grew.size) {
    const next = new Set<string>();
    for (const fk of keys.filter((k) => grew.has(k.child) && !known(k))) {
      const child = table(fk.child);
      const parent = table(fk.parent);
      const referenced = `SELECT ${cols('p', parent.key).join(', ')} FROM src.${quoteIdent(parent.name)} p
        WHERE ${tuple(cols('p', fk.to))} IN (SELECT ${cols('c', fk.from).join(', ')} FROM src.${quoteIdent(child.name)} c WHERE ${member(child, 'c', child.keep)})
        AND NOT ${member(parent, 'p', parent.keep)}`;
      if (run(`INSERT OR IGNORE INTO ${parent.fresh} ${referenced}`) > 0) {
        run(`INSERT OR IGNORE INTO ${parent.keep} SELECT * FROM ${parent.fresh}`);
        next.add(parent.name);
      }
    }
    grew = next;
    known = () => false;
  }

  // 3. Dependents of referenced rows whose every reference is kept.
  for (let added = 1; added > 0;) {
    added = 0;
    for (const fk of keys.filter((k) => k.cascade)) {
      const child = table(fk.child);
      const parent = table(fk.parent);
      if (!db.prepare(`SELECT 1 FROM ${parent.fresh} LIMIT 1`).get()) continue;
      const dependents = `SELECT ${cols('c', child.key).join(', ')} FROM src.${quoteIdent(child.name)} c
        WHERE ${tuple(cols('c', fk.from))} IN (${keysIn(parent, fk.to, parent.fresh)})
        AND NOT ${member(child, 'c', child.keep)}${referencesKept(keys.filter((k) => k.child === fk.child))}`;
      const n = run(`INSERT OR IGNORE INTO ${child.fresh} ${dependents}`);
      if (n > 0) run(`INSERT OR IGNORE INTO ${child.keep} SELECT * FROM ${child.fresh}`);
      added += n;
    }
  }

  // 4. Rows about kept rows (data issues): one scan per holder, choosing the kept set by table name.
  for (const ref of config.rowReferences ?? []) {
    const holder = byName.get(ref.table.toLowerCase());
    if (!holder || holder.withoutRowid) continue;
    const about = tables.filter((x) => x !== holder && !x.withoutRowid);
    if (about.length === 0) continue;
    const cases = about.map((t) => `WHEN ${quoteString(t.name)} THEN r.${quoteIdent(ref.rowColumn)} IN (SELECT k FROM ${t.keep})`).join(' ');
    run(`INSERT OR IGNORE INTO ${holder.keep} SELECT r.rowid FROM src.${quoteIdent(holder.name)} r
      WHERE CASE r.${quoteIdent(ref.tableColumn)} ${cases} ELSE 0 END`);
  }
  return new Map(tables.map((t) => [t.name, db.prepare(`SELECT count(*) FROM ${t.keep}`).pluck().get() as number]));
}
