import type { Engine } from '../engine';
import { FieldbookError, MigrationError } from '../errors';
import { inspectDocument } from '../documents/classify';
import { abortPoint } from '../migrations/run-migration';
import { engineVersionStorage } from '../migrations/version-storage';
import { validate } from '../migrations/version-validation';
import { openConnection, type Connection } from '../sqlite/connection';
import { connectionExecutor } from '../sqlite/sql-executor';
import { quoteIdent, sameName } from '../sqlite/sql-tokens';
import { describeObjects, findForgedObjects } from '../schema/schema-fingerprint';
import { embeddedStatements, EMBEDDED_SQL_LIMITS } from './embedded-sql-policy';
import { readDownSql, readWayBack, wayBackTableName } from './way-back-table';

/** What takeCopyBack did: the versions the copy went from and to. */
export interface TakenBack {
  from: number;
  to: number;
  /** The steps it ran, newest first. */
  steps: string[];
}

/**
 * Takes a private copy of a newer document back to this app's head through the down SQL the
 * document carries (its way-back table), treating that SQL as untrusted input: each step passes
 * embeddedStatements' allow-list before anything runs, on a connection in defensive mode with
 * `trusted_schema` off, recursive triggers off and foreign keys off, in one transaction; this
 * app alone removes the version rows and sets user_version; and the result must be this app's
 * head exactly (its manifest fingerprint, version rows, foreign keys, then integrity_check and a
 * fresh classification as `current`) or nothing is committed. Never call it on the original.
 * @throws FieldbookError NO_WAY_BACK, UNSAFE_SQL (refused script or result), ABORTED; MigrationError when a step fails to run
 */
export async function takeCopyBack(copy: string, engine: Engine, signal?: AbortSignal): Promise<TakenBack> {
  const head = engine.migrations.head;
  const wayBack = wayBackTableName(engine.versionTable);
  const db = openConnection(copy, { lockTimeoutMs: engine.lockTimeoutMs });
  try {
    db.unsafeMode(false);
    db.exec('PRAGMA foreign_keys = OFF; PRAGMA recursive_triggers = OFF; PRAGMA trusted_schema = OFF');
    const state = inspectDocument(db, engine, copy, 'quick');
    if (state.status !== 'newer' || !state.newer) throw new FieldbookError('NO_WAY_BACK', `${copy} is not from a newer app (${state.status})`);
    if (!state.newer.wayBack) {
      throw new FieldbookError('NO_WAY_BACK', `this document carries no way back to version ${head}: ${state.newer.reasons[0] ?? 'a step above it has no down SQL'}`);
    }
    // Code hanging on the bookkeeping tables (a trigger on the version table) would run on this app's own writes: refuse it.
    // A way-back table of a newer app's wider shape is no such code; it is replaced below.
    const forged = findForgedObjects(db, engine.versionTable).filter((o) => !(o.type === 'table' && sameName(o.name, wayBack)));
    if (forged.length) throw new FieldbookError('UNSAFE_SQL', `the way back was refused: the document carries objects no app creates: ${describeObjects(forged)}`);
    const from = state.version!;
    const rows = readWayBack(db, wayBack, head) ?? [];
    const x = connectionExecutor(db);
    const steps: string[] = [];
    db.exec('BEGIN IMMEDIATE');
    try {
      for (let v = from; v > head; v--) {
        await abortPoint(signal, copy);
        const name = state.newer.steps.find((s) => s.version === v)!.name;
        if ((rows.find((r) => r.version === v)?.downBytes ?? 0) > EMBEDDED_SQL_LIMITS.maxBytes) {
          throw new FieldbookError('UNSAFE_SQL', `the way back of ${name} was refused: it is larger than ${EMBEDDED_SQL_LIMITS.maxBytes} bytes`);
        }
        const statements = embeddedStatements(readDownSql(db, wayBack, v) ?? '', [engine.versionTable, wayBack], name);
        runStep(db, statements, name);
        x.exec(`DELETE FROM ${quoteIdent(engine.versionTable)} WHERE version = ${v}`);
        x.exec(`PRAGMA user_version = ${v - 1}`);
        steps.push(name);
      }
      const storage = engineVersionStorage(engine, x);
      storage.resetWayBack(head);
      x.exec(`PRAGMA application_id = ${engine.applicationId}`);
      try {
        validate(x, engine, head);
      } catch (error) {
        throw new FieldbookError('UNSAFE_SQL', `the way back did not give this app's version ${head}: ${(error as Error).message}`, { cause: error });
      }
      db.exec('COMMIT');
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
    db.pragma('foreign_keys = ON');
    const after = inspectDocument(db, engine, copy, 'full');
    if (after.status !== 'current') {
      throw new FieldbookError('UNSAFE_SQL', `the way back did not give a current document: ${after.problem?.message ?? after.status}`);
    }
    return { from, to: head, steps };
  } finally {
    db.close();
  }
}

/** Runs one step's vetted statements, each prepared alone (SQLite refuses a second statement in one). */
function runStep(db: Connection, statements: readonly string[], name: string): void {
  for (const [index, sql] of statements.entries()) {
    try {
      db.prepare(sql).run();
    } catch (error) {
      throw new MigrationError(`${name} (statement ${index + 1} of its way back)`, 'down', error, null);
    }
  }
}
