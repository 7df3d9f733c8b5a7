import type { Engine } from '../engine';
import { diffSchemas, fingerprintOf, readSchema, schemaFingerprint } from '../schema/schema-fingerprint';
import type { SqlExecutor } from '../sqlite/sql-executor';

/**
 * Checks the live schema against the schema the manifest records for `version` (cheap: it
 * reads sqlite_schema), so a wrong schema is blamed on the step that made it.
 * @throws Error naming the first differences when they differ
 */
export function checkSchema(x: SqlExecutor, engine: Engine, version: number): void {
  const expected = version === 0 ? { fingerprint: fingerprintOf([]), schema: [] } : engine.migrations.migrations[version - 1]!;
  if (schemaFingerprint(x.db, engine.versionTable) !== expected.fingerprint) {
    const diff = diffSchemas(expected.schema, readSchema(x.db, engine.versionTable));
    throw new Error(`the schema after migrating does not match version ${version}: ${diff.slice(0, 5).join('; ')}`);
  }
}

/**
 * The checks a migrated (or created) document must pass before its transaction commits: no
 * foreign key violation, the exact schema the manifest records for the version, and a version
 * table that agrees with user_version (versions 1..N, N = user_version).
 * @throws Error saying which check failed
 */
export function validate(x: SqlExecutor, engine: Engine, version: number): void {
  const violations: unknown[] = [];
  for (const row of x.db.prepare('PRAGMA foreign_key_check').iterate()) {
    violations.push(row);
    if (violations.length >= 5) break;
  }
  if (violations.length) throw new Error(`foreign key violations after migrating: ${JSON.stringify(violations)}`);
  checkSchema(x, engine, version);
  const userVersion = x.db.pragma('user_version', { simple: true });
  const rows = x.db.prepare(`SELECT version FROM "${engine.versionTable}" ORDER BY version`).pluck().all() as number[];
  if (userVersion !== version || rows.length !== version || rows.some((v, i) => v !== i + 1)) {
    throw new Error(`version bookkeeping is inconsistent: user_version ${String(userVersion)}, versions ${rows.join(',')}`);
  }
}
