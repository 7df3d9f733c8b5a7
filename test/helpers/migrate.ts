/** Helpers for per-migration tests: build at N-1, seed, migrate to N, read everything back. */
import { upgradeDocument, type MigrateResult } from '../../main/engine/migrate';
import { fieldbookEngine } from '../../main/engine/engine';
import { rows } from './fixtures';

/** Upgrades `file` to `version` without a backup (tests that need backups ask for them). */
export async function migrateTo(file: string, version: number): Promise<MigrateResult> {
  return upgradeDocument(file, { to: version, backup: false, engine: fieldbookEngine() });
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
    : rows(file, 'SELECT table_name, row_id, column_name, original_value, message, schema_version, resolved FROM data_issues WHERE schema_version = ? ORDER BY id', version)
  ) as unknown as DataIssueRow[];
}

/** Column names and declared types of a table. */
export function columns(file: string, table: string): string[] {
  return rows(file, `SELECT name, type FROM pragma_table_info('${table}')`).map((c) => `${String(c.name)} ${String(c.type)}`);
}

export function objectNames(file: string, type: 'table' | 'index' | 'trigger' | 'view'): string[] {
  return rows(file, "SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_stat%' ORDER BY name", type).map((r) => String(r.name));
}
