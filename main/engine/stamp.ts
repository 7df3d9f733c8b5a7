import * as path from 'node:path';
import { classifyDocument, problemError, schemaMismatch, type EngineOption } from './classify';
import { openConnection, sqliteFailure } from './connection';
import { fieldbookEngine } from './engine';
import { FieldbookError } from './errors';
import { assertWritable } from './file-access';
import { acceptsChecksum } from './manifest';
import { versionRow } from './migrate';
import { describeObjects, forgedObjects, readSchema } from './schema-fingerprint';
import { resolveTarget, type Target } from './targets';
import { deleteVersionRowSql, insertVersionRowSql, readVersionTable, versionTableSql } from './version-table';

export interface StampOptions extends EngineOption {
  /** Also stamp documents from a newer app or another application (normally refused). */
  force?: boolean;
}

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
 * mismatched schema is allowed, as in Alembic, but the next upgrade will refuse it.
 * A document carrying objects no app creates (forgedObjects) is refused before anything is written.
 * @throws FieldbookError NOT_FOUND, NOT_SQLITE, DAMAGED, UNKNOWN_SCHEMA, NOT_A_FIELDBOOK / TOO_NEW (unless force), READ_ONLY, LOCKED, BAD_TARGET
 */
export function stampDocument(filePath: string, target: Target, options: StampOptions = {}): StampResult {
  const engine = options.engine ?? fieldbookEngine();
  const absolute = path.resolve(filePath);
  const before = classifyDocument(absolute, { engine });
  const problem = problemError(before);
  if (problem && (problem.code === 'NOT_SQLITE' || problem.code === 'DAMAGED')) throw problem;
  if (problem && !options.force && (problem.code === 'NOT_A_FIELDBOOK' || problem.code === 'TOO_NEW')) throw problem;
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
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new FieldbookError('DAMAGED', `${absolute} is damaged: ${String(check)}`);
    // Stamping writes the version table: refuse what could fire code the app did not create.
    const forged = forgedObjects(readSchema(db, engine.versionTable), engine.versionTable);
    if (forged.length) throw new FieldbookError('UNKNOWN_SCHEMA', `${absolute} carries objects this app never creates: ${describeObjects(forged)}`, { details: { path: absolute } });
    const from = db.pragma('user_version', { simple: true }) as number;
    const table = engine.versionTable;
    let rows = readVersionTable(db, table);
    if (rows === null) {
      db.exec(versionTableSql(table));
      rows = [];
    }
    const kept = new Set<number>();
    for (const row of rows) {
      const known = engine.migrations.migrations[row.version - 1];
      if (row.version <= to && known?.name === row.name && acceptsChecksum(known, row.checksum)) kept.add(row.version);
      else db.exec(deleteVersionRowSql(table, row.version));
    }
    for (const m of engine.migrations.migrations.slice(0, to)) {
      if (!kept.has(m.version)) db.exec(insertVersionRowSql(table, versionRow(engine, m, 'stamp', null)));
    }
    db.exec(`PRAGMA application_id = ${engine.applicationId}`);
    db.exec(`PRAGMA user_version = ${to}`);
    const difference = schemaMismatch(db, engine, to);
    db.exec('COMMIT');
    return { path: absolute, from, to, schemaMatches: difference === null, difference };
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}
