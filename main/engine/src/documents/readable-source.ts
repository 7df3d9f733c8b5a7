import path = require('node:path');
import { classifyForReading, problemError } from './classify';
import { openConnection } from '../sqlite/connection';
import type { Engine } from '../engine';
import { FieldbookError } from '../errors';
import { privateCopyFailure } from '../sqlite/file-system-failure';
import { upgradeDocument } from './migrate';
import { removeDocumentFiles, tempDocumentPath } from '../sqlite/temp-files';
import { takeCopyBack } from '../travel/take-back';
import type { ReadPlan } from '../sqlite/read-plan';
import type { Classification } from './classify';

/** A head-version document to read a source's data from; dispose of it when done. */
export interface ReadableSource {
  /** A document at head to read from: the source itself, or a private upgraded copy of it. */
  path: string;
  /** The source's own version. */
  version: number;
  /** True when the source was outdated and a private copy was upgraded. */
  upgraded: boolean;
  /**
   * The file holding the source's own data, to measure what a copy lost against: `path`, or,
   * when a newer source was taken back to head through its way back, the source as read.
   */
  original: string;
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
 * there), backed up through a read-only connection that uses those files as they are. A source
 * from a newer app that carries a way back to head is copied and the copy taken back
 * (takeCopyBack); `original` then names the source as read, for measuring losses.
 * @throws FieldbookError NO_WAY_BACK, UNSAFE_SQL, MIGRATION_FAILED (a newer source), TOO_NEW, NOT_A_FIELDBOOK, UNKNOWN_SCHEMA, NOT_SQLITE, DAMAGED, INCONSISTENT_VERSION, NOT_FOUND, LOCKED, NO_SPACE
 */
export async function readableSource(engine: Engine, source: string): Promise<ReadableSource> {
  const absolute = path.resolve(source);
  const { classification: c, plan } = classifyForReading(absolute, { engine });
  if (c.status === 'newer' && c.newer?.wayBack) return newerSource(engine, c, plan, absolute);
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
    return { path: plan.file, version, upgraded, original: plan.file, dispose: () => plan.dispose() };
  }
  const copy = tempDocumentPath('source');
  try {
    const db = openConnection(absolute, { readonly: true, lockTimeoutMs: engine.lockTimeoutMs });
    try {
      if (!upgraded && db.pragma('journal_mode', { simple: true }) !== 'wal') {
        removeDocumentFiles(copy);
        return { path: absolute, version, upgraded: false, original: absolute, dispose() {} };
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
  return { path: copy, version, upgraded, original: copy, dispose: () => removeDocumentFiles(copy) };
}

/** A newer source's data at head: a private copy (online backup of what classification read) taken back through its way back. */
async function newerSource(engine: Engine, c: Classification, plan: ReadPlan, absolute: string): Promise<ReadableSource> {
  const copy = tempDocumentPath('source');
  try {
    const db = openConnection(plan.file, { readonly: true, lockTimeoutMs: engine.lockTimeoutMs });
    try {
      await db.backup(copy, { progress: () => 1 << 30 });
    } finally {
      db.close();
    }
    await takeCopyBack(copy, engine);
  } catch (error) {
    removeDocumentFiles(copy);
    plan.dispose();
    if (error instanceof FieldbookError) throw error;
    throw readFailure(error, absolute, copy);
  }
  return {
    path: copy,
    version: c.version ?? 0,
    upgraded: false,
    original: plan.file,
    dispose: () => {
      removeDocumentFiles(copy);
      plan.dispose();
    },
  };
}

/** A failure of the private copy is told as the file system's (privateCopyFailure); only what nothing explains is DAMAGED. */
function readFailure(error: unknown, absolute: string, copy: string): FieldbookError {
  const mapped = privateCopyFailure(error, copy, absolute);
  if (mapped instanceof FieldbookError) return mapped;
  return new FieldbookError('DAMAGED', `could not read ${absolute}: ${(error as Error).message}`, { cause: error });
}
