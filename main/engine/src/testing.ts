/**
 * Helpers for testing migrations (Room's MigrationTestHelper idea), for the app's own tests and
 * for apps that embed the engine: build a document at any version with seed data, migrate it,
 * and get every difference between its live schema and the schema the manifest expects.
 */
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import Database from 'better-sqlite3';
import type { EngineOption } from './documents/classify';
import { createDocument } from './documents/create';
import { MigrationError } from './errors';
import { downgradeDocument, upgradeDocument, type MigrateResult } from './documents/migrate';
import type { Engine } from './engine';
import { runnableMigrations, runSteps } from './migrations/step-runner';
import { engineVersionStorage } from './migrations/version-storage';
import { diffSchemas, readSchema } from './schema/schema-fingerprint';
import { connectionExecutor } from './sqlite/sql-executor';
import type { Target } from './migrations/targets';
import { resolveTarget } from './migrations/targets';

/** Options of createDocumentAt. */
export interface CreateAtOptions extends EngineOption {
  /** Folder for the document (default: a new folder under the OS temp folder). */
  dir?: string;
  name?: string;
  /** Runs on the new document with a plain connection (foreign keys off, as old apps wrote). */
  seed?: (db: Database.Database) => void;
}

/**
 * Creates a document at `version` (stamped like a real one) and runs `options.seed` on it with a
 * plain connection (foreign keys off, as old apps wrote). Returns its path.
 */
export function createDocumentAt(version: Target, options: CreateAtOptions): string {
  const seed = options.seed;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'migration-test-'));
  const file = path.join(dir, options.name ?? `at-${String(version)}.db`);
  createDocument(file, { at: version, engine: options.engine });
  if (seed) {
    const db = new Database(file);
    try {
      db.pragma('foreign_keys = OFF');
      seed(db);
    } finally {
      db.close();
    }
  }
  return file;
}

/** What migrateAndValidate found: the engine's verdict and every difference from the version's schema. */
export interface ValidationReport {
  ok: boolean;
  version: number;
  /** Every way the live schema differs from the version's schema (empty when ok). */
  differences: string[];
  /** Rows `PRAGMA foreign_key_check` reports. */
  foreignKeyViolations: unknown[];
  integrity: string;
  result: MigrateResult | null;
  /** The engine's error when the migration was refused (the document is then unchanged). */
  error: Error | null;
}

/**
 * Migrates a document (up or down, no backup; a downgrade accepts any loss) and validates it: schema against the manifest,
 * foreign keys, integrity. When the engine refuses the result (it never commits a wrong schema),
 * the steps are replayed without that check on a scratch copy so the report can list every
 * difference instead of the first few.
 */
export async function migrateAndValidate(file: string, version: Target, options: EngineOption): Promise<ValidationReport> {
  const engine = options.engine;
  const names = engine.migrations.migrations.map((m) => m.name);
  const probe = new Database(file, { readonly: true });
  const from = probe.pragma('user_version', { simple: true }) as number;
  probe.close();
  const to = resolveTarget(version, names, from);
  let result: MigrateResult | null = null;
  let error: Error | null = null;
  let inspect = file;
  try {
    result = to >= from ? await upgradeDocument(file, { to, backup: false, engine }) : await downgradeDocument(file, { to, backup: false, engine, acceptLoss: true });
  } catch (e) {
    if (!(e instanceof MigrationError)) throw e;
    error = e;
    inspect = `${file}.unvalidated`;
    fs.copyFileSync(file, inspect);
    await replayWithoutChecks(inspect, from, to, engine);
  }
  const db = new Database(inspect, { readonly: true });
  try {
    const expected = to === 0 ? [] : engine.migrations.migrations[to - 1]!.schema;
    const differences = diffSchemas(expected, readSchema(db, engine.versionTable));
    const foreignKeyViolations = db.prepare('PRAGMA foreign_key_check').all();
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    return {
      ok: !error && differences.length === 0 && foreignKeyViolations.length === 0 && integrity === 'ok',
      version: to,
      differences,
      foreignKeyViolations,
      integrity,
      result,
      error,
    };
  } finally {
    db.close();
    if (inspect !== file) fs.rmSync(inspect, { force: true });
  }
}

/** The engine's steps from `from` to `to` on `file` (autocommit), without the engine's checks; stops quietly at the first failure. */
async function replayWithoutChecks(file: string, from: number, to: number, engine: Engine): Promise<void> {
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = OFF');
    const x = connectionExecutor(db);
    const storage = engineVersionStorage(engine, x);
    await runSteps({ executor: x, migrations: runnableMigrations(engine.migrations), storage, from, to, appVersion: engine.appVersion });
  } catch {
    // The report lists the schema as far as the steps got.
  } finally {
    db.close();
  }
}
