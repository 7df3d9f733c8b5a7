import * as path from 'node:path';
import { classifyForReading, problemError } from './classify';
import { openConnection } from '../sqlite/connection';
import type { Engine } from '../engine';
import { FieldbookError } from '../errors';
import { privateCopyFailure } from '../sqlite/file-system-failure';
import { upgradeDocument } from './migrate';
import { removeDocumentFiles, tempDocumentPath } from '../sqlite/temp-files';

/** A head-version document to read a source's data from; dispose of it when done. */
export interface ReadableSource {
  /** A document at head to read from: the source itself, or a private upgraded copy of it. */
  path: string;
  /** The source's own version. */
  version: number;
  /** True when the source was outdated and a private copy was upgraded. */
  upgraded: boolean;
  /** Removes the private copy, if one was made (safe to call more than once). */
  dispose(): void;
}

/**
 * Gives a head-version document with the source's data, never changing the source's bytes and
 * leaving nothing beside it: a current source in rollback-journal mode is used as it is (only
 * read); an outdated or 0.9 one is copied with the online backup API into a private temporary
 * file, which is upgraded instead. A WAL-mode source (or one whose interrupted transaction could
 * not be rolled back in place) is read from the private copy classification made of its last
 * committed state (planRead), or, when another program has it open (its `-wal` and `-shm` are
 * there), backed up through a read-only connection that uses those files as they are.
 * @throws FieldbookError TOO_NEW, NOT_A_FIELDBOOK, UNKNOWN_SCHEMA, NOT_SQLITE, DAMAGED, INCONSISTENT_VERSION, NOT_FOUND, LOCKED, NO_SPACE
 */
export async function readableSource(engine: Engine, source: string): Promise<ReadableSource> {
  const absolute = path.resolve(source);
  const { classification: c, plan } = classifyForReading(absolute, { engine });
  const problem = problemError(c);
  if (problem) {
    plan.dispose();
    throw problem;
  }
  const version = c.version ?? 0;
  const upgraded = c.status !== 'current';
  if (plan.copy) {
    try {
      if (upgraded) await upgradeDocument(plan.file, { engine, backup: false });
    } catch (error) {
      plan.dispose();
      throw readFailure(error, absolute, plan.file);
    }
    return { path: plan.file, version, upgraded, dispose: () => plan.dispose() };
  }
  const copy = tempDocumentPath('source');
  try {
    const db = openConnection(absolute, { readonly: true, lockTimeoutMs: engine.lockTimeoutMs });
    try {
      if (!upgraded && db.pragma('journal_mode', { simple: true }) !== 'wal') {
        removeDocumentFiles(copy);
        return { path: absolute, version, upgraded: false, dispose() {} };
      }
      await db.backup(copy, { progress: () => 1 << 30 });
    } finally {
      db.close();
    }
    if (upgraded) await upgradeDocument(copy, { engine, backup: false });
  } catch (error) {
    removeDocumentFiles(copy);
    throw readFailure(error, absolute, copy);
  }
  return { path: copy, version, upgraded, dispose: () => removeDocumentFiles(copy) };
}

/** A failure of the private copy is told as the file system's (privateCopyFailure); only what nothing explains is DAMAGED. */
function readFailure(error: unknown, absolute: string, copy: string): FieldbookError {
  const mapped = privateCopyFailure(error, copy, absolute);
  if (mapped instanceof FieldbookError) return mapped;
  return new FieldbookError('DAMAGED', `could not read ${absolute}: ${(error as Error).message}`, { cause: error });
}
