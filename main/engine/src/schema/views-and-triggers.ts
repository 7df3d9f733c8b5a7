import type { Connection } from '../sqlite/connection';

/** A view or trigger of the main or temp schema, as sqlite_schema stores it. */
export interface ViewOrTrigger {
  schema: 'main' | 'temp';
  type: 'view' | 'trigger';
  name: string;
  tbl_name: string;
  sql: string;
}

/** Every view and trigger of the main and temp schema, in that order. Never throws on a readable schema. */
export function viewsAndTriggers(db: Connection): ViewOrTrigger[] {
  return db
    .prepare(
      "SELECT 'main' AS schema, type, name, tbl_name, sql FROM main.sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL " +
        "UNION ALL SELECT 'temp', type, name, tbl_name, sql FROM temp.sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL",
    )
    .all() as ViewOrTrigger[];
}

/**
 * True for errors that say an object cannot be used on this connection (a function it calls is
 * not registered here, an unsafe use in a trusted-schema setting), not that the schema broke it.
 */
export function failsOnlyOnThisConnection(message: string): boolean {
  return /no such function|unsafe use of/i.test(message);
}
