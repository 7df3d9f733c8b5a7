import Database from 'better-sqlite3';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

/**
 * Checks that two documents hold the same subset: the same schema, the same number of rows in
 * every table, the same rows (compared with EXCEPT both ways; the version table only by count,
 * since each file records when it was created), and full-text indexes that match their content
 * (`integrity-check` with rank 1, which compares an external-content index with its table).
 * Runs `integrity-check` commands, so the files must be writable; they are left as they were.
 * @returns rows per table, the same in both
 * @throws Error listing every difference
 */
export function assertSameSubsets(engineFile: string, byHandFile: string): Record<string, number> {
  const db = new Database(engineFile, { fileMustExist: true });
  try {
    db.prepare('ATTACH DATABASE ? AS other').run(byHandFile);
    const problems: string[] = [];
    const differing = (sql: string) => db.prepare(`SELECT count(*) FROM (${sql})`).pluck().get() as number;
    const schema = (s: string) => `SELECT type, name, tbl_name, sql FROM ${s}.sqlite_schema`;
    const schemaDiff = differing(`${schema('main')} EXCEPT ${schema('other')}`) + differing(`${schema('other')} EXCEPT ${schema('main')}`);
    if (schemaDiff > 0) problems.push(`the schemas differ in ${schemaDiff} objects`);
    for (const pragma of ['user_version', 'application_id']) {
      const [a, b] = [db.pragma(`main.${pragma}`, { simple: true }), db.pragma(`other.${pragma}`, { simple: true })];
      if (a !== b) problems.push(`${pragma}: engine ${String(a)}, by hand ${String(b)}`);
    }
    const tables = db
      .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
      .pluck()
      .all() as string[];
    const versionTable = fieldbookEngine().versionTable.toLowerCase();
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const q = `"${table.replace(/"/g, '""')}"`;
      const [a, b] = [`main.${q}`, `other.${q}`].map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number) as [number, number];
      counts[table] = a;
      if (a !== b) problems.push(`${table}: engine ${a} rows, by hand ${b}`);
      else if (table.toLowerCase() !== versionTable) {
        const onlyOne = differing(`SELECT * FROM main.${q} EXCEPT SELECT * FROM other.${q}`);
        if (onlyOne > 0) problems.push(`${table}: ${onlyOne} rows of the engine's are not in the by-hand subset`);
      }
    }
    const fullText = db.prepare("SELECT name FROM main.sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'").pluck().all() as string[];
    for (const schemaName of ['main', 'other']) {
      for (const fts of fullText) {
        const q = `"${fts.replace(/"/g, '""')}"`;
        try {
          db.exec(`INSERT INTO ${schemaName}.${q} (${q}, rank) VALUES ('integrity-check', 1)`);
        } catch (error) {
          problems.push(`${fts} of the ${schemaName === 'main' ? 'engine' : 'by-hand'} subset does not match its content: ${(error as Error).message}`);
        }
      }
    }
    if (problems.length) throw new Error(`the engine's subset and the by-hand subset differ:\n  ${problems.join('\n  ')}`);
    return counts;
  } finally {
    db.close();
  }
}
