import type { Classification } from '../documents/classify';
import type { MigrateOptions, MigrateResult } from '../documents/migrate';
import type { Engine } from '../engine';
import { FieldbookError, MigrationError } from '../errors';
import { sqliteFailure, type Connection } from '../sqlite/connection';
import { connectionExecutor } from '../sqlite/sql-executor';
import { runnableMigrations, runSteps } from './step-runner';
import { engineVersionStorage } from './version-storage';
import { checkSchema, validate } from './version-validation';

/**
 * The write half of a migration: `db` holds the document's exclusive lock inside an open
 * transaction (foreign keys off), and `state` is what was checked under it. Adopts an
 * unversioned document first (version table, rows marked `adopt`), runs the steps to `to`
 * through the step runner with the schema checked after each, validates (validate), and
 * commits. On any failure the transaction is rolled back before the error is thrown.
 * @throws FieldbookError ABORTED, LOCKED, NO_SPACE, READ_ONLY, IO_ERROR (the document left
 *   unchanged); MigrationError (MIGRATION_FAILED) naming the step or phase that failed
 */
export async function runMigration(db: Connection, engine: Engine, state: Classification, to: number, backup: string | null, options: MigrateOptions): Promise<MigrateResult> {
  const absolute = state.path;
  const x = connectionExecutor(db, options.sqlLog);
  const storage = engineVersionStorage(engine, x);
  let from = state.version ?? 0;
  let adopted = false;
  let current = 'preparation';
  const direction = to >= from ? 'up' : 'down';
  let applied: MigrateResult['applied'];
  try {
    if (state.status === 'legacy') {
      const adoptAs = engine.adoptUnversionedAs!;
      current = `adoption as version ${adoptAs}`;
      storage.createTable();
      for (const m of engine.migrations.migrations.slice(0, adoptAs)) storage.record(m, 'adopt');
      x.exec(`PRAGMA application_id = ${engine.applicationId}`);
      storage.setUserVersion(adoptAs);
      from = adoptAs;
      adopted = true;
    }
    if (!adopted && state.applicationId !== engine.applicationId) x.exec(`PRAGMA application_id = ${engine.applicationId}`);
    // A document an app without way-back tables migrated gets the rows of the versions it has.
    storage.recordWayBack(from);
    applied = await runSteps({
      executor: x,
      migrations: runnableMigrations(engine.migrations),
      storage,
      from,
      to,
      appVersion: engine.appVersion,
      beforeStep: async ({ migration: m, direction: dir, index, total }) => {
        await abortPoint(options.signal, absolute);
        current = m.name;
        options.onStep?.({ name: m.name, version: m.version, direction: dir, index, total });
      },
      afterStep: ({ migration: m, direction: dir }) => checkSchema(x, engine, dir === 'up' ? m.version : m.version - 1),
    });
    current = `validation of version ${to}`;
    // After a step, its afterStep has just checked the schema of `to`; only version rows changed since.
    validate(x, engine, to, applied.length === 0);
    await abortPoint(options.signal, absolute);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (error instanceof FieldbookError && (error.code === 'LOCKED' || error.code === 'ABORTED')) throw error;
    // A full disk or a failing write is not a faulty migration: say what it is (the rollback still left the file as it was).
    const written = sqliteFailure(error, absolute, 'upgrade');
    if (written instanceof FieldbookError && ['NO_SPACE', 'READ_ONLY', 'IO_ERROR'].includes(written.code)) {
      throw new FieldbookError(written.code, `${written.message}; the document was left unchanged`, { cause: error, details: { ...written.details, backup } });
    }
    throw new MigrationError(current, direction, error, backup);
  }
  db.pragma('foreign_keys = ON');
  return { path: absolute, from: state.version ?? 0, to, backup, applied, adopted };
}

/**
 * Lets signals and cancellation in (a turn of the event loop), then throws ABORTED if the
 * migration was cancelled; the caller's transaction is rolled back.
 * @throws FieldbookError ABORTED
 */
export async function abortPoint(signal: AbortSignal | undefined, absolute: string): Promise<void> {
  if (!signal) return;
  await new Promise((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new FieldbookError('ABORTED', `the migration of ${absolute} was cancelled; the document was left at its old version`);
}
