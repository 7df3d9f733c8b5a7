import fs = require('node:fs');
import path = require('node:path');
import { fsyncPath } from '../sqlite/fsync';
import { checkDestination } from '../sqlite/destination';
import { writeFailure } from '../sqlite/file-system-failure';
import { placeFile } from '../sqlite/place-file';
import { partialPathFor, removeDocumentFiles } from '../sqlite/temp-files';
import type { EngineOption } from './classify';
import { createConnection, type Connection } from '../sqlite/connection';
import type { Engine } from '../engine';
import { FieldbookError } from '../errors';
import { connectionExecutor } from '../sqlite/sql-executor';
import { resolveTarget, type Target } from '../migrations/targets';
import { engineVersionStorage } from '../migrations/version-storage';
import { validate } from '../migrations/version-validation';

/** Options of createDocument. */
export interface CreateOptions extends EngineOption {
  /** The version to create the document at (default: head). */
  at?: Target;
}

/** The document createDocument made: its absolute path and version. */
export interface CreateResult {
  path: string;
  version: number;
}

/**
 * Creates a new document at head (or any version), already stamped: application_id,
 * user_version and a version table listing every migration. The schema comes from the
 * manifest, which records what replaying the migrations produced at build time, so the result
 * is identical to an upgraded document without replaying migrations on every call. The file is
 * built under a temporary name beside the destination and linked into place only when complete.
 * @throws FieldbookError EXISTS, SAME_FILE (the journal or WAL of an open document), BAD_TARGET, NOT_FOUND (no such folder, or a path that cannot name a file), READ_ONLY, NO_SPACE
 */
export function createDocument(filePath: string, options: CreateOptions): CreateResult {
  const engine = options.engine;
  const absolute = path.resolve(filePath);
  const version = resolveTarget(
    options.at ?? 'head',
    engine.migrations.migrations.map((m) => m.name),
    null,
  );
  if (fs.existsSync(absolute)) throw new FieldbookError('EXISTS', `${absolute} already exists`, { details: { path: absolute } });
  // The rest of a destination's checks: a usable path, not a journal of an open document, a writable folder.
  checkDestination(absolute, true);
  const temp = partialPathFor(absolute);
  try {
    const db = createConnection(temp);
    try {
      writeSchemaAt(db, engine, version, 'create');
    } finally {
      db.close();
    }
    fsyncPath(temp);
    placeFile(temp, absolute);
  } catch (error) {
    throw writeFailure(error, temp, absolute);
  } finally {
    removeDocumentFiles(temp);
  }
  return { path: absolute, version };
}

/**
 * Writes the manifest's schema for `version` into an empty database and stamps it, in one
 * transaction, validated like a migration before commit.
 */
export function writeSchemaAt(db: Connection, engine: Engine, version: number, method: 'create' | 'stamp'): void {
  const x = connectionExecutor(db);
  db.exec('BEGIN');
  try {
    const schema = version === 0 ? [] : engine.migrations.migrations[version - 1]!.schema;
    for (const object of schema) {
      // Virtual tables create their shadow tables themselves; the manifest leaves those out.
      x.exec(object.sql);
    }
    const storage = engineVersionStorage(engine, x);
    storage.createTable();
    for (const m of engine.migrations.migrations.slice(0, version)) storage.record(m, method);
    x.exec(`PRAGMA application_id = ${engine.applicationId}`);
    storage.setUserVersion(version);
    validate(x, engine, version);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
