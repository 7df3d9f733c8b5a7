import path = require('node:path');
import { schemaMismatch, type EngineOption } from './classify';
import { openConnection } from '../sqlite/connection';
import { FieldbookError } from '../errors';
import { lostData, type LostData } from './lost-data';
import { downgradePrivateCopy } from './migrate';
import { abortIfAsked, writeDerivedDocument } from './write-derived-document';
import { relativeBase, resolveTarget, type Target } from '../migrations/targets';

export type { LostData } from './lost-data';

/** Options of exportDocument. */
export interface ExportDocumentOptions extends EngineOption {
  /** The version the copy is written at (a target: number, `head`, a name prefix...). Default: head. */
  asVersion?: Target;
  /** Replace an existing destination, atomically (default: refuse with EXISTS). */
  overwrite?: boolean;
  /** Cancels the export (ABORTED); nothing is left at the destination. */
  signal?: AbortSignal;
  /** Documents open in other processes, which the destination must not be (SAME_FILE). */
  openDocuments?: readonly string[];
}

/** What exportDocument wrote, and what the copy could not hold. */
export interface ExportDocumentResult {
  destination: string;
  version: number;
  source: { path: string; version: number };
  /** What could not be represented at `version` (empty when nothing was lost). */
  lost: LostData[];
}

/**
 * Writes a copy of a document at another version — typically an earlier one, for colleagues
 * with an older app (the Anki pattern): the document is copied with the online backup API
 * (an outdated source is upgraded in a private copy first), the copy is taken to the version
 * through the `down` migrations, validated, and renamed into place. The result lists, with row
 * counts, what that version cannot hold. The source is only read. A source from a newer app is
 * taken back to this app's head first through the way back it carries (its embedded down SQL,
 * run on a private copy as untrusted input: see takeCopyBack), so an older app can write a copy
 * for itself (`asVersion` at most its head); the loss is measured against the newer source.
 * @throws FieldbookError NO_WAY_BACK, UNSAFE_SQL (a newer source), BAD_TARGET, SAME_FILE, EXISTS, READ_ONLY, NO_SPACE, ABORTED, MIGRATION_FAILED and the source's codes (TOO_NEW, ...)
 */
export async function exportDocument(source: string, destination: string, options: ExportDocumentOptions): Promise<ExportDocumentResult> {
  const engine = options.engine;
  const asVersion = options.asVersion ?? 'head';
  const version = resolveTarget(
    asVersion,
    engine.migrations.migrations.map((m) => m.name),
    relativeBase(asVersion, source, engine),
  );
  return writeDerivedDocument(engine, source, destination, options, async (readable, temp, target) => {
    const from = openConnection(readable.path, { readonly: true, lockTimeoutMs: engine.lockTimeoutMs });
    try {
      // The down steps run only on head's exact schema (and never fire a trigger the app did
      // not create); say so about the source, not about the copy they would have run on.
      const mismatch = version < engine.migrations.head ? schemaMismatch(from, engine, engine.migrations.head) : null;
      if (mismatch) throw new FieldbookError('UNKNOWN_SCHEMA', `${path.resolve(source)}: ${mismatch}`, { details: { path: path.resolve(source) } });
      await from.backup(temp, { progress: () => 1 << 30 });
    } finally {
      from.close();
    }
    abortIfAsked(options.signal);
    // The copy is private and compared below (lostData): its downgrade need not measure its loss too.
    if (version < engine.migrations.head) await downgradePrivateCopy(temp, { to: version, engine, signal: options.signal });
    abortIfAsked(options.signal);
    const lost = lostData(temp, readable.original, engine);
    const db = openConnection(temp, { lockTimeoutMs: engine.lockTimeoutMs });
    try {
      db.exec('PRAGMA journal_mode = DELETE');
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new FieldbookError('MIGRATION_FAILED', `the exported copy failed integrity_check: ${String(integrity)}`);
    } finally {
      db.close();
    }
    return {
      destination: target,
      version,
      source: { path: readable.upgraded || readable.original !== readable.path ? path.resolve(source) : readable.path, version: readable.version },
      lost,
    };
  });
}
