import { randomUUID } from 'node:crypto';
import fs = require('node:fs');
import { FieldbookError, type DocumentHandle } from '@fieldbook/engine';
import type { CsvImportFile, CsvImportOutcome, CsvImportPreview, CsvImportSettings, DocumentId } from '../ipc/contract';
import { columnCount, describeColumns, guessHeader, guessMapping } from './csv-columns';
import { badImport, readCsvFile, type CsvRecord, type ParsedCsv } from './csv-read';
import { countProblems, isError, previewOf, resolveRows, SampleDirectory, type ResolvedRow } from './csv-rows';
import type { DocumentSession } from './document-session';
import { inFieldbookWords } from './edit-refusals';

type Connection = DocumentHandle['db'];

/** Rows inserted between two yields to the event loop during an import. */
const ROWS_PER_STEP = 2000;

/** A file read for import, kept in main between the mapping step and the import. */
export interface PendingImport {
  importId: string;
  documentId: DocumentId;
  parsed: ParsedCsv;
  /** What the mapping step was first shown. */
  view: CsvImportFile;
}

/**
 * The files chosen for import, by import id, each for one document: at most one per document
 * (choosing another forgets the first), so memory stays bounded by the open windows. A file's
 * rows stay here, never in the renderer, until it is imported or discarded.
 */
export class CsvImports {
  private readonly pending = new Map<string, PendingImport>();

  /** Reads and parses `file` for the document, guesses its header and mapping, and keeps it. */
  async read(documentId: DocumentId, file: string): Promise<CsvImportFile> {
    const parsed = await readCsvFile(file);
    this.forgetDocument(documentId);
    const hasHeader = guessHeader(parsed.records);
    const columns = describeColumns(parsed.records);
    const importId = randomUUID();
    const view: CsvImportFile = {
      importId,
      name: parsed.name,
      bytes: parsed.bytes,
      encoding: parsed.encoding,
      encodingWarning:
        parsed.encoding === 'windows-1252'
          ? 'This file is not UTF-8, so it was read as Windows-1252 (Western European). Check that accented letters in the preview look right before importing.'
          : null,
      delimiter: parsed.delimiter,
      hasHeader,
      decimalComma: parsed.delimiter !== ',',
      rows: parsed.records.length,
      columns,
      mapping: guessMapping(
        columns.map((c) => c.first),
        hasHeader,
      ),
    };
    this.pending.set(importId, { importId, documentId, parsed, view });
    return view;
  }

  /** The file kept under `importId` for this document. @throws FieldbookError NOT_FOUND when there is none (imported, discarded, or another document's) */
  get(documentId: DocumentId, importId: string): PendingImport {
    const found = this.pending.get(importId);
    if (!found || found.documentId !== documentId) throw new FieldbookError('NOT_FOUND', 'that CSV file is no longer at hand: choose it again');
    return found;
  }

  discard(documentId: DocumentId, importId: string): void {
    if (this.pending.get(importId)?.documentId === documentId) this.pending.delete(importId);
  }

  forgetDocument(documentId: DocumentId): void {
    for (const [id, p] of this.pending) if (p.documentId === documentId) this.pending.delete(id);
  }
}

/** The rows of the file that hold data: all of them, or all but the first when it is a header. */
function dataRecords(parsed: ParsedCsv, hasHeader: boolean): CsvRecord[] {
  return hasHeader ? parsed.records.slice(1) : parsed.records;
}

/**
 * Checks settings against the file: `code` and `quantity` mapped, every mapped column one the
 * file has, and a Windows-1252 file confirmed.
 * @throws FieldbookError BAD_REQUEST
 */
export function checkSettings(pending: PendingImport, settings: CsvImportSettings): void {
  const columns = columnCount(pending.parsed.records);
  for (const [field, column] of Object.entries(settings.mapping)) {
    if (column !== null && column !== undefined && column >= columns) throw new FieldbookError('BAD_REQUEST', `the file has no column ${column + 1} (for ${field})`);
  }
  if (settings.mapping.code === null || settings.mapping.code === undefined) throw new FieldbookError('BAD_REQUEST', 'choose the column that holds the sample codes');
  if (settings.mapping.quantity === null || settings.mapping.quantity === undefined) throw new FieldbookError('BAD_REQUEST', 'choose the column that holds the quantities');
}

/** The preview of an import with these settings: no change to the notebook. */
export function previewImport(db: Connection, pending: PendingImport, settings: CsvImportSettings): CsvImportPreview {
  checkSettings(pending, settings);
  return previewOf(resolveRows(dataRecords(pending.parsed, settings.hasHeader), settings, new SampleDirectory(db)));
}

/**
 * Imports the rows of the file kept for `pending` as measurements: exactly the rows that were
 * read and previewed, after checking that the file on disk has not changed since (its size and
 * modification time: a changed file must be chosen again, to preview what it holds now). The
 * whole import is one edit of the session: one transaction and one undo step called
 * "Import N measurements from <file>". The rows are read against the notebook again inside that
 * edit; while any has an error nothing is imported, unless `skipErrors`, when those rows are
 * left out and counted. Instruments named by rows are found by name (case aside) or created. A
 * row the notebook refuses rolls the whole import back, naming the row.
 * @throws FieldbookError BAD_IMPORT (the file changed, or a Windows-1252 file was not confirmed), INVALID_VALUE (rows with errors, nothing to import, a refused row), READ_ONLY_DOCUMENT
 */
export async function commitImport(session: DocumentSession, pending: PendingImport, settings: CsvImportSettings): Promise<CsvImportOutcome> {
  checkSettings(pending, settings);
  const { parsed } = pending;
  if (parsed.encoding === 'windows-1252' && !settings.acceptEncoding) {
    throw badImport(parsed.name, 'is not UTF-8 and was read as Windows-1252; confirm that the preview looks right');
  }
  const now = await fs.promises.stat(parsed.file).catch(() => null);
  if (!now || now.size !== parsed.bytes || now.mtimeMs !== parsed.mtimeMs) {
    throw badImport(parsed.name, 'has changed since it was read (or was moved); choose it again to see what it holds now');
  }
  const db = session.handle.db;
  let rows: ResolvedRow[] = [];
  let valid: ResolvedRow[] = [];
  let failedRow = 0;
  const label = async () => {
    rows = resolveRows(dataRecords(parsed, settings.hasHeader), settings, new SampleDirectory(db));
    valid = rows.filter((r) => !r.problem);
    const bad = rows.find(isError);
    if (bad && !settings.skipErrors) {
      const count = rows.filter(isError).length;
      throw new FieldbookError(
        'INVALID_VALUE',
        `${count} ${count === 1 ? 'row has an error' : 'rows have errors'} (row ${bad.row}: ${bad.problem!.message}), so nothing was imported. Correct the file, or choose to skip rows with errors`,
      );
    }
    if (valid.length === 0) throw new FieldbookError('INVALID_VALUE', `no row of “${parsed.name}” can be imported, so nothing was imported`);
    return `Import ${valid.length} measurement${valid.length === 1 ? '' : 's'} from ${parsed.name}`;
  };
  let undoLabel = '';
  await session.edit(
    async () => (undoLabel = await label()),
    () =>
      insertMeasurements(db, valid, (row) => {
        failedRow = row;
      }),
    (refusal) => `row ${failedRow} of “${parsed.name}” was refused (${inFieldbookWords(refusal)}), so nothing was imported`,
  );
  const skipped = rows.filter((r) => r.problem);
  return { name: parsed.name, imported: valid.length, skipped: skipped.length, problems: countProblems(skipped), undoLabel };
}

/**
 * Inserts the rows as measurements on the session's connection, inside the transaction of the
 * edit that calls it (the SQLite transaction Sequelize opened on that same connection), with
 * prepared statements: a few hundred thousand rows take well under a second, and every
 * ROWS_PER_STEP rows the event loop gets a turn (other requests' statements wait for the
 * transaction). `failing` is told the row a refused insert came from before the error is rethrown.
 */
async function insertMeasurements(db: Connection, rows: readonly ResolvedRow[], failing: (row: number) => void): Promise<void> {
  const findInstrument = db.prepare('SELECT id FROM instruments WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1').pluck();
  const addInstrument = db.prepare('INSERT INTO instruments (name, serial) VALUES (?, NULL)');
  const insert = db.prepare('INSERT INTO measurements (sample_id, kind, value, unit, instrument_id) VALUES (?, ?, ?, ?, ?)');
  const instruments = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % ROWS_PER_STEP === 0) await new Promise((resolve) => setImmediate(resolve));
    const row = rows[i]!;
    try {
      let instrumentId: number | null = null;
      if (row.instrument) {
        instrumentId = instruments.get(row.instrument) ?? (findInstrument.get(row.instrument) as number | undefined) ?? Number(addInstrument.run(row.instrument).lastInsertRowid);
        instruments.set(row.instrument, instrumentId);
      }
      insert.run(row.sampleId, row.quantity, row.value, row.unit, instrumentId);
    } catch (error) {
      failing(row.row);
      throw error;
    }
  }
}
