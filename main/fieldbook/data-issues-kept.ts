import { openDocument, type Engine } from '@fieldbook/engine';

/**
 * How many values the migrations after version `from` up to `to` kept in `data_issues` (each
 * records the version whose migration wrote it in `schema_version`): what an upgrade from `from`
 * to `to` could not carry over and kept for the user to review. 0 when the document has no
 * `data_issues` table (versions before 3). Reads the document through a read-only connection.
 * @throws FieldbookError the document's own problem (NOT_FOUND, LOCKED, ...)
 */
export async function dataIssuesKept(file: string, from: number, to: number, engine: Engine): Promise<number> {
  const doc = await openDocument(file, { engine, readOnly: true, upgrade: false });
  try {
    const table = doc.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'data_issues'").get();
    if (!table) return 0;
    return doc.db.prepare('SELECT count(*) FROM data_issues WHERE schema_version > ? AND schema_version <= ?').pluck().get(from, to) as number;
  } finally {
    doc.close();
  }
}
