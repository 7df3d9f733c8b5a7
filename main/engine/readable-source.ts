import * as path from 'node:path';
import { classifyDocument, problemError } from './classify';
import { openConnection } from './connection';
import type { Engine } from './engine';
import { FieldbookError } from './errors';
import { upgradeDocument } from './migrate';
import { removeDocumentFiles, tempDocumentPath } from './temp-files';

export interface ReadableSource {
  /** A document at head to read from: the source itself, or a private upgraded copy of it. */
  path: string;
  /** The source's own version. */
  version: number;
  /** True when the source was outdated and a private copy was upgraded. */
  upgraded: boolean;
  dispose(): void;
}

/**
 * Gives a head-version document with the source's data, never writing to the source: a current
 * source in rollback-journal mode is used as it is (only read); an outdated or 0.9 one is copied
 * with the online backup API into a private temporary file, which is upgraded instead. A source
 * in WAL mode is copied too, since the last connection to close it would checkpoint its WAL
 * into the file.
 * @throws FieldbookError TOO_NEW, NOT_A_FIELDBOOK, UNKNOWN_SCHEMA, NOT_SQLITE, DAMAGED, INCONSISTENT_VERSION, NOT_FOUND, LOCKED
 */
export async function readableSource(engine: Engine, source: string): Promise<ReadableSource> {
  const absolute = path.resolve(source);
  const c = classifyDocument(absolute, { engine });
  const problem = problemError(c);
  if (problem) throw problem;
  const version = c.version ?? 0;
  const db = openConnection(absolute, { readonly: true, lockTimeoutMs: engine.lockTimeoutMs });
  const copy = tempDocumentPath('source');
  try {
    try {
      if (c.status === 'current' && db.pragma('journal_mode', { simple: true }) !== 'wal') {
        removeDocumentFiles(copy);
        return { path: absolute, version, upgraded: false, dispose() {} };
      }
      await db.backup(copy, { progress: () => 1 << 30 });
    } finally {
      db.close();
    }
    if (c.status !== 'current') await upgradeDocument(copy, { engine, backup: false });
  } catch (error) {
    removeDocumentFiles(copy);
    if (error instanceof FieldbookError) throw error;
    throw new FieldbookError('DAMAGED', `could not read ${absolute}: ${(error as Error).message}`, { cause: error });
  }
  return { path: copy, version, upgraded: c.status !== 'current', dispose: () => removeDocumentFiles(copy) };
}
