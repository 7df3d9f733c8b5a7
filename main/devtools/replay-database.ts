import Database from 'better-sqlite3';
import { type Connection, createMigrationContext, connectionExecutor } from '@fieldbook/engine/tooling';
import { FieldbookError, describeCause, type MigrationModule } from '@fieldbook/engine';

/** A migration to replay: its name (for messages) and module. */
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
 * Runs one migration's `up` (to `version`) or `down` (from `version`) in its own transaction,
 * then checks `foreign_key_check`, as the engine does on documents.
 * @throws FieldbookError MIGRATION_FAILED naming the migration and direction (cause: the original error)
 */
export async function replayStep(db: Connection, step: ReplayStep, version: number, direction: 'up' | 'down'): Promise<void> {
  const run = direction === 'up' ? step.module.up : step.module.down;
  if (!run) throw new FieldbookError('MIGRATION_FAILED', `migration ${step.name} has no down()`, { details: { migration: step.name, direction } });
  db.exec('BEGIN');
  try {
    await run.call(step.module, createMigrationContext(connectionExecutor(db), 'replay', version, direction));
    const violations = db.prepare('SELECT * FROM pragma_foreign_key_check').all();
    if (violations.length) throw new Error(`foreign_key_check reports ${violations.length} violation(s)`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw new FieldbookError('MIGRATION_FAILED', `replaying ${step.name} (${direction}) failed: ${describeCause(error)}`, {
      cause: error,
      details: { migration: step.name, direction },
    });
  }
}
