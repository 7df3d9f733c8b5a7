import type { Connection } from '../sqlite/connection';
import { quoteIdent } from '../sqlite/sql-tokens';
import type { SalvagedTable } from './salvage';

/**
 * Makes the foreign keys hold again after rows were lost, keeping as much as it can: a row whose
 * parent row was lost keeps its data and loses the link when the key may be NULL; otherwise a
 * placeholder parent row is made (the referenced key, '(salvaged)' or 0 in required columns); a
 * row neither can save (the placeholder breaks a constraint) is left out. Counted per table.
 */
export function keepReferencesWhole(db: Connection, tables: SalvagedTable[]): void {
  const byName = new Map(tables.map((t) => [t.name, t]));
  // A foreign key's columns, and whether all of them may be NULL: read once per key, not per row.
  const foreignKeys = new Map<string, { keys: { from: string; to: string | null }[]; nullable: boolean }>();
  const foreignKey = (child: string, fkid: number) => {
    const id = `${child}\0${fkid}`;
    let known = foreignKeys.get(id);
    if (!known) {
      const keys = db.prepare('SELECT "from", "to" FROM pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq').all(child, fkid) as { from: string; to: string | null }[];
      const columns = db.prepare('SELECT name, "notnull" AS required FROM pragma_table_info(?)').all(child) as { name: string; required: number }[];
      known = { keys, nullable: keys.every((k) => columns.find((c) => c.name === k.from)?.required === 0) };
      foreignKeys.set(id, known);
    }
    return known;
  };
  for (let round = 0; round < 20; round++) {
    const violations = db.prepare('SELECT "table" AS child, rowid, parent, fkid FROM pragma_foreign_key_check').all() as {
      child: string;
      rowid: number | null;
      parent: string;
      fkid: number;
    }[];
    if (violations.length === 0) return;
    for (const v of violations) {
      if (v.rowid === null) continue;
      const { keys, nullable } = foreignKey(v.child, v.fkid);
      const child = byName.get(v.child);
      if (nullable) {
        db.prepare(`UPDATE ${quoteIdent(v.child)} SET ${keys.map((k) => `${quoteIdent(k.from)} = NULL`).join(', ')} WHERE rowid = ?`).run(v.rowid);
        if (child) child.unlinked++;
        continue;
      }
      const stoodIn = standIn(db, v.child, v.rowid, v.parent, keys);
      if (stoodIn !== 'refused') {
        const parent = byName.get(v.parent);
        if (parent && stoodIn === 'made') parent.placeholders++;
        continue;
      }
      if (db.prepare(`DELETE FROM ${quoteIdent(v.child)} WHERE rowid = ?`).run(v.rowid).changes && child) {
        child.orphans++;
        child.recovered--;
      }
    }
  }
}

/**
 * Inserts a placeholder parent row for the key the child row refers to: `made`; `exists` when an
 * earlier child's placeholder already stands for it; `refused` when the parent's constraints refuse one.
 */
function standIn(db: Connection, childTable: string, rowid: number, parentTable: string, keys: { from: string; to: string | null }[]): 'made' | 'exists' | 'refused' {
  const parentColumns = db.prepare('SELECT name, type, "notnull" AS required, dflt_value AS fallback, pk FROM pragma_table_info(?) ORDER BY cid').all(parentTable) as {
    name: string;
    type: string;
    required: number;
    fallback: string | null;
    pk: number;
  }[];
  const primary = parentColumns
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const targets = keys.map((k, i) => k.to ?? primary[i]);
  if (targets.some((t) => t === undefined)) return 'refused';
  const values = db
    .prepare(`SELECT ${keys.map((k) => quoteIdent(k.from)).join(', ')} FROM ${quoteIdent(childTable)} WHERE rowid = ?`)
    .raw()
    .get(rowid) as unknown[];
  const match = (targets as string[]).map((t) => `${quoteIdent(t)} = ?`).join(' AND ');
  if (db.prepare(`SELECT 1 FROM ${quoteIdent(parentTable)} WHERE ${match}`).get(...values)) return 'exists';
  const required = parentColumns.filter((c) => c.required && c.fallback === null && !targets.includes(c.name) && !(c.pk && /^INTEGER$/i.test(c.type)));
  const columns = [...(targets as string[]), ...required.map((c) => c.name)];
  const filler = required.map((c) => (/INT|REAL|FLOA|DOUB|NUM|DEC/i.test(c.type) ? 0 : '(salvaged)'));
  try {
    db.prepare(`INSERT INTO ${quoteIdent(parentTable)} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...values, ...filler);
    return 'made';
  } catch {
    return 'refused';
  }
}
