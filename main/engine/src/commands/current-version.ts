import { classifyDocument, type DocumentStatus, type EngineOption } from '../documents/classify';
import { FieldbookError } from '../errors';

/** A document's version as `currentVersion` reports it. */
export interface CurrentVersion {
  /** Absolute path of the document. */
  path: string;
  /** `PRAGMA user_version` (0 for an unversioned 0.9 document). */
  version: number | null;
  /** The last migration its version table records, or null when it records none. */
  name: string | null;
  /** The newest version this app knows. */
  head: number;
  /** `current`, `outdated`, `legacy` or `newer`. */
  status: DocumentStatus;
}

/**
 * A document's version, as Alembic's `current` command reports it: the version, the name of the
 * last migration applied and the head. A document from a newer app is reported too (status
 * `newer`): its version is known even though this app cannot upgrade it.
 * @throws FieldbookError NOT_FOUND and LOCKED, and for a file whose version cannot be told the
 *   problem its classification names (NOT_SQLITE, NOT_A_FIELDBOOK, UNKNOWN_SCHEMA, DAMAGED,
 *   INCONSISTENT_VERSION)
 */
export function currentVersion(filePath: string, options: EngineOption): CurrentVersion {
  const c = classifyDocument(filePath, { engine: options.engine });
  if (c.problem && c.status !== 'newer') throw new FieldbookError(c.problem.code, c.problem.message);
  return { path: c.path, version: c.version, name: c.applied.at(-1)?.name ?? null, head: c.head, status: c.status };
}
