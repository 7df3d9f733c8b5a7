/** Helpers for per-migration tests: build at N-1, seed, migrate to N, read everything back. */
import assert from 'node:assert/strict';
import type { MigrateResult } from '@fieldbook/engine';
import { migrateAndValidate } from '@fieldbook/engine/testing';
import { fieldbookEngine } from '../../main/fieldbook/fieldbook-engine';
import { rows } from './fixtures';

/**
 * Upgrades `file` to `version` without a backup, through the engine's own testing helper, and
 * fails the test with every schema difference, foreign-key violation or integrity problem.
 */
export async function migrateTo(file: string, version: number): Promise<MigrateResult> {
  const report = await migrateAndValidate(file, version, { engine: fieldbookEngine() });
  if (report.error) throw report.error;
  assert.deepEqual(report.differences, [], `schema after migrating to ${version}`);
  assert.deepEqual(report.foreignKeyViolations, [], `foreign keys after migrating to ${version}`);
  assert.equal(report.integrity, 'ok');
  return report.result!;
}

export interface DataIssueRow {
  table_name: string;
  row_id: number;
  column_name: string;
  original_value: unknown;
  message: string;
  schema_version: number;
  resolved: number;
}

export function dataIssues(file: string, version?: number): DataIssueRow[] {
  return (version === undefined
    ? rows(file, 'SELECT table_name, row_id, column_name, original_value, message, schema_version, resolved FROM data_issues ORDER BY id')
    : rows(
        file,
        'SELECT table_name, row_id, column_name, original_value, message, schema_version, resolved FROM data_issues WHERE schema_version = ? ORDER BY id',
        version,
      )) as unknown as DataIssueRow[];
}

/** Column names and declared types of a table. */
export function columns(file: string, table: string): string[] {
  return rows(file, `SELECT name, type FROM pragma_table_info('${table}')`).map((c) => `${String(c.name)} ${String(c.type)}`);
}

export function objectNames(file: string, type: 'table' | 'index' | 'trigger' | 'view'): string[] {
  return rows(file, "SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_stat%' ORDER BY name", type).map((r) => String(r.name));
}
