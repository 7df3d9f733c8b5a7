import type { Engine } from '../engine';
import { diffSchemas, fingerprintOf, readSchema, type SchemaObject } from '../schema/schema-fingerprint';
import type { SqlExecutor } from '../sqlite/sql-executor';

/**
 * Checks the live schema against the schema the manifest records for `version`, so a wrong
 * schema is blamed on the step that made it. Cheap: it reads sqlite_schema, and a schema whose
 * stored SQL is exactly the manifest's (a document the same migrations made) needs no
 * normalising; any other is compared by fingerprint (whitespace, case, quoting and order aside).
 * @throws Error naming the first differences when they differ
 */
export function checkSchema(x: SqlExecutor, engine: Engine, version: number): void {
  const expected = version === 0 ? { fingerprint: fingerprintOf([]), schema: [] } : engine.migrations.migrations[version - 1]!;
  const live = readSchema(x.db, engine.versionTable);
  if (sameObjects(live, expected.schema) || fingerprintOf(live) === expected.fingerprint) return;
  const diff = diffSchemas(expected.schema, live);
  throw new Error(`the schema after migrating does not match version ${version}: ${diff.slice(0, 5).join('; ')}`);
}

/** Whether two schemas hold the same objects with the same stored SQL, in any order (then their fingerprints agree). */
function sameObjects(a: readonly SchemaObject[], b: readonly SchemaObject[]): boolean {
  if (a.length !== b.length) return false;
  const keys = (schema: readonly SchemaObject[]) => schema.map((o) => `${o.type}\0${o.name}\0${o.tableName}\0${o.sql}`).sort();
  const [ka, kb] = [keys(a), keys(b)];
  return ka.every((k, i) => k === kb[i]);
}

/**
 * The checks a migrated (or created) document must pass before its transaction commits: no
 * foreign key violation, the exact schema the manifest records for the version, and a version
 * table that agrees with user_version (versions 1..N, N = user_version). `checkSchemaToo: false`
 * leaves the schema out, for a caller that has just checked it (checkSchema) and changed only
 * the version table since.
 * @throws Error saying which check failed
 */
export function validate(x: SqlExecutor, engine: Engine, version: number, checkSchemaToo = true): void {
  const violations: unknown[] = [];
  for (const row of x.db.prepare('PRAGMA foreign_key_check').iterate()) {
    violations.push(row);
    if (violations.length >= 5) break;
  }
  if (violations.length) throw new Error(`foreign key violations after migrating: ${JSON.stringify(violations)}`);
  if (checkSchemaToo) checkSchema(x, engine, version);
  const userVersion = x.db.pragma('user_version', { simple: true });
  const rows = x.db.prepare(`SELECT version FROM "${engine.versionTable}" ORDER BY version`).pluck().all() as number[];
  if (userVersion !== version || rows.length !== version || rows.some((v, i) => v !== i + 1)) {
    throw new Error(`version bookkeeping is inconsistent: user_version ${String(userVersion)}, versions ${rows.join(',')}`);
  }
}
