import Database from 'better-sqlite3';
import { type Connection, connectionExecutor, REPLAY_VERSION_TABLE, runSteps, versionTableStorage, type RunnableMigration } from '@fieldbook/engine/tooling';
import { FieldbookError, describeCause, type MigrationModule } from '@fieldbook/engine';

/** A migration to replay: its name (for messages and the replay's version table) and module. */
export interface ReplayStep {
  name: string;
  module: MigrationModule;
}

/**
 * A scratch in-memory database for replaying migrations, set up as the migration runner sets
 * up a document: foreign keys OFF (so table rebuilds leave child rows alone).
 */
export function scratchDatabase(): Connection {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = OFF');
  return db;
}

/**
 * Runs one migration's `up` (to `version`) or `down` (from `version`) through the engine's step
 * runner, in its own transaction, then checks `foreign_key_check`, as the engine does on
 * documents. The replay's version table lives in the connection's temp schema
 * (REPLAY_VERSION_TABLE), so the replayed schema is exactly what the migrations made; a `down`
 * needs the step's `up` replayed on the same connection first.
 * @throws FieldbookError MIGRATION_FAILED naming the migration and direction (cause: the original error)
 */
export async function replayStep(db: Connection, step: ReplayStep, version: number, direction: 'up' | 'down'): Promise<void> {
  const run = direction === 'up' ? step.module.up : step.module.down;
  if (!run) throw new FieldbookError('MIGRATION_FAILED', `migration ${step.name} has no down()`, { details: { migration: step.name, direction } });
  const x = connectionExecutor(db);
  const migrations: RunnableMigration[] = [{ version, name: step.name, checksum: '', load: () => step.module }];
  const storage = versionTableStorage({ executor: x, table: REPLAY_VERSION_TABLE, schema: 'temp', appVersion: 'replay', migrations });
  const [from, to] = direction === 'up' ? [version - 1, version] : [version, version - 1];
  db.exec('BEGIN');
  try {
    storage.createTable(true);
    await runSteps({
      executor: x,
      migrations,
      storage,
      from,
      to,
      appVersion: 'replay',
      afterStep: () => {
        const violations = db.prepare('SELECT * FROM pragma_foreign_key_check').all();
        if (violations.length) throw new Error(`foreign_key_check reports ${violations.length} violation(s)`);
      },
    });
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw new FieldbookError('MIGRATION_FAILED', `replaying ${step.name} (${direction}) failed: ${describeCause(error)}`, {
      cause: error,
      details: { migration: step.name, direction },
    });
  }
}
