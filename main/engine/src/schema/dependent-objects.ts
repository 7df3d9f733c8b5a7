import { sameName, tokenIs, tokenizeSql } from '../sqlite/sql-tokens';

/** A row of the main schema's sqlite_schema (indexes, triggers, views, tables) that has SQL. */
export interface StoredObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string;
}

/** Views and other tables' triggers that mention the table, directly or through such a view. */
export function dependentObjects(objects: StoredObject[], table: string): StoredObject[] {
  const names = [table];
  const found = new Set<StoredObject>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of objects) {
      if (found.has(o)) continue;
      const candidate = o.type === 'view' || (o.type === 'trigger' && !sameName(o.tbl_name, table));
      if (candidate && names.some((n) => mentionsName(o.sql, n))) {
        found.add(o);
        if (o.type === 'view') names.push(o.name);
        grew = true;
      }
    }
  }
  return objects.filter((o) => found.has(o));
}

/** True when a word or quoted identifier of `sql` spells `name`. */
function mentionsName(sql: string, name: string): boolean {
  return tokenizeSql(sql).some((t) => tokenIs(t, name));
}
