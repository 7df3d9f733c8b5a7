import path = require('node:path');
import { classifyDocument, inspectDocument, schemaMismatch, type Classification, type EngineOption } from './classify';
import { openConnection, sqliteFailure } from '../sqlite/connection';
import type { Engine } from '../engine';
import { FieldbookError } from '../errors';
import { assertWritable } from '../sqlite/file-access';
import { acceptsChecksum } from '../migrations/manifest';
import { describeObjects, findForgedObjects } from '../schema/schema-fingerprint';
import { resolveTarget, type Target } from '../migrations/targets';
import { readVersionTable } from '../migrations/version-table';
import { engineVersionStorage } from '../migrations/version-storage';
import { connectionExecutor } from '../sqlite/sql-executor';

/** Options of stampDocument. */
export interface StampOptions extends EngineOption {
  /**
   * Also stamp a file that is not recognisably this app's — an unversioned one whose tables match
   * no version, or one with a user_version but neither this app's application_id nor a version
   * table — and a document from a newer app. Never overrides the refusal of a damaged file or of
   * a file carrying another application's application_id.
   */
  force?: boolean;
}

/** What stampDocument did, and whether the schema is the stamped version's. */
export interface StampResult {
  path: string;
  /** user_version before stamping. */
  from: number;
  to: number;
  /** Whether the document's schema is the schema of the stamped version. */
  schemaMatches: boolean;
  /** How the schema differs from the stamped version's, when it does. */
  difference: string | null;
}

/**
 * Marks a document as being at a version without running migrations (adopting a file made by
 * hand or by another tool, repairing a version table): sets application_id and user_version and
 * rewrites the version table to list migrations 1..N, keeping the rows that already match. The
 * schema is compared with the version's and the result says whether it matches; stamping a
 * mismatched schema is allowed, as in Alembic, but the next upgrade will refuse it; so is a
 * document whose user_version and version table disagree (that is what stamping repairs).
 * A document carrying objects no app creates (forgedObjects) is refused before anything is written.
 * The file is classified (read-only, with quick_check) before anything is opened for writing,
 * and again under the write lock; a refusal leaves its bytes as they were (see stampRefusal).
 * @throws FieldbookError NOT_FOUND, NOT_SQLITE, DAMAGED, NOT_A_FIELDBOOK (always refused);
 *   UNKNOWN_SCHEMA (always, for forged objects; otherwise unless force), TOO_NEW, INCONSISTENT_VERSION (refused unless force); READ_ONLY, LOCKED, BAD_TARGET
 */
export function stampDocument(filePath: string, target: Target, options: StampOptions): StampResult {
  const engine = options.engine;
  const absolute = path.resolve(filePath);
  const force = options.force === true;
  const before = classifyDocument(absolute, { engine, check: 'quick' });
  const refusal = stampRefusal(before, engine, force);
  if (refusal) throw refusal;
  const names = engine.migrations.migrations.map((m) => m.name);
  const to = resolveTarget(target, names, before.version);
  assertWritable(absolute);
  const db = openConnection(absolute, { lockTimeoutMs: engine.lockTimeoutMs });
  try {
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      throw sqliteFailure(error, absolute, 'lock');
    }
    let locked: Classification;
    try {
      locked = inspectDocument(db, engine, absolute, 'quick');
    } catch (error) {
      throw sqliteFailure(error, absolute, 'check');
    }
    const lockedRefusal = stampRefusal(locked, engine, force);
    if (lockedRefusal) throw lockedRefusal;
    // Stamping writes the version table: refuse what could fire code the app did not create.
    const forged = findForgedObjects(db, engine.versionTable);
    if (forged.length)
      throw new FieldbookError('UNKNOWN_SCHEMA', `${absolute} carries objects this app never creates: ${describeObjects(forged)}`, { details: { path: absolute } });
    const from = db.pragma('user_version', { simple: true }) as number;
    const storage = engineVersionStorage(engine, connectionExecutor(db));
    let rows = readVersionTable(db, engine.versionTable);
    if (rows === null) {
      storage.createTable();
      rows = [];
    }
    const kept = new Set<number>();
    for (const row of rows) {
      const known = engine.migrations.migrations[row.version - 1];
      if (row.version <= to && known?.name === row.name && acceptsChecksum(known, row.checksum)) kept.add(row.version);
      else storage.remove(row.version);
    }
    for (const m of engine.migrations.migrations.slice(0, to)) {
      if (!kept.has(m.version)) storage.record(m, 'stamp');
    }
    db.exec(`PRAGMA application_id = ${engine.applicationId}`);
    storage.setUserVersion(to);
    const difference = schemaMismatch(db, engine, to);
    db.exec('COMMIT');
    return { path: absolute, from, to, schemaMatches: difference === null, difference };
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}

/**
 * Why a file of this classification must not be stamped, or null. Stamping writes this app's
 * application_id, user_version and version table, so:
 * - never (not even with force): a file that is not SQLite or is damaged (truncated, bad header,
 *   quick_check fails: NOT_SQLITE, DAMAGED), or that carries another application's
 *   application_id (NOT_A_FIELDBOOK);
 * - unless force: an unversioned file whose tables match no version (UNKNOWN_SCHEMA, status
 *   foreign), a document from a newer app (TOO_NEW), and inconsistent version bookkeeping in a
 *   file that is not recognisably ours (INCONSISTENT_VERSION with application_id 0 and no
 *   version rows: many applications set user_version);
 * - allowed: this app's documents, including inconsistent bookkeeping (what stamp repairs) and
 *   a schema that differs from its version's (UNKNOWN_SCHEMA, status damaged; the result says so).
 */
export function stampRefusal(c: Classification, engine: Engine, force: boolean): FieldbookError | null {
  const p = c.problem;
  if (!p) return null;
  const refuse = (why: string) => new FieldbookError(p.code, `${p.message}; ${why}`, { details: { path: c.path, status: c.status, forceable: why !== NEVER } });
  if (p.code === 'NOT_SQLITE' || p.code === 'DAMAGED' || p.code === 'NOT_A_FIELDBOOK') return refuse(NEVER);
  const ours = (c.applicationId !== null && engine.applicationIds.includes(c.applicationId)) || c.applied.length > 0;
  if (p.code === 'INCONSISTENT_VERSION' && ours) return null;
  if (p.code === 'UNKNOWN_SCHEMA' && c.status === 'damaged') return null;
  return force ? null : refuse(FORCEABLE);
}

const NEVER = 'it was not stamped (--force does not override this)';
const FORCEABLE = 'it was not stamped (--force, or force: true, stamps it anyway)';
