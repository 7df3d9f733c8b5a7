import fs = require('node:fs');
import path = require('node:path');
import Papa = require('papaparse');
import { FieldbookError } from '@fieldbook/engine';
import type { CsvEncoding } from '../ipc/contract';

/** The largest CSV file an import reads (the whole file is kept in memory between preview and import). */
export const MAX_CSV_BYTES = 50 * 1024 * 1024;

/** Rows parsed between two yields to the event loop. */
const ROWS_PER_STEP = 2000;

/** A CSV file as read from disk: its text's rows of cells, how it was read, and what it was when read. */
export interface ParsedCsv {
  file: string;
  name: string;
  bytes: number;
  /** Modification time when read: an import refuses a file that changed since (readCsvFile's stamp). */
  mtimeMs: number;
  encoding: CsvEncoding;
  delimiter: ',' | ';' | '\t';
  /** Every row that is not blank (rows may differ in length). */
  records: CsvRecord[];
}

/** A row of a CSV file: its cells, and its number in the file as a spreadsheet counts rows (the first is 1; blank rows count). */
export interface CsvRecord {
  row: number;
  cells: string[];
}

/** A CSV file that cannot be imported as it is: BAD_IMPORT, naming the file only. */
export function badImport(name: string, why: string): FieldbookError {
  return new FieldbookError('BAD_IMPORT', `“${name}” ${why}; nothing was imported`);
}

/**
 * Reads a CSV file for import: at most MAX_CSV_BYTES, decoded from UTF-8 (with or without a
 * byte order mark) or UTF-16 with a byte order mark; a file that is not valid UTF-8 is read as
 * Windows-1252 (Latin-1 and what Excel writes on Western European systems), which the caller
 * must have the user confirm. A file that is no text (a workbook, an image, UTF-16 without a
 * byte order mark) is refused. The text is parsed with papaparse (RFC 4180 quoting; the
 * delimiter guessed among `,`, `;` and tab; blank rows left out but counted), yielding to the event loop
 * every ROWS_PER_STEP rows so a large file does not stall the app.
 * @throws FieldbookError BAD_IMPORT (too large, not text, a quote never closed), NOT_FOUND and READ_ONLY (cannot be read)
 */
export async function readCsvFile(file: string): Promise<ParsedCsv> {
  const name = path.basename(file);
  let stat: fs.Stats;
  let bytes: Buffer;
  try {
    stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw badImport(name, 'is not a file');
    if (stat.size > MAX_CSV_BYTES)
      throw badImport(name, `is ${megabytes(stat.size)}; Fieldbook imports CSV files of up to ${megabytes(MAX_CSV_BYTES)} (split it into smaller files)`);
    bytes = await fs.promises.readFile(file);
  } catch (error) {
    if (error instanceof FieldbookError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FieldbookError('NOT_FOUND', `“${name}” is not there any more; nothing was imported`);
    if (code === 'EACCES' || code === 'EPERM') throw new FieldbookError('READ_ONLY', `“${name}” cannot be read (no permission); nothing was imported`);
    throw error;
  }
  const { text, encoding } = decode(bytes, name);
  const { records, delimiter } = await parseCsvText(text, name);
  return { file, name, bytes: bytes.length, mtimeMs: stat.mtimeMs, encoding, delimiter, records };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** The file's text and how it was decoded (see readCsvFile). */
export function decode(bytes: Buffer, name: string): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: utf8(bytes.subarray(3), name), encoding: 'utf-8-bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw badImport(name, 'is a workbook (.xlsx or another zip file), not CSV: in Excel, save it with File ▸ Save As ▸ CSV UTF-8');
  }
  const head = bytes.subarray(0, 65536);
  if (head.length > 0 && head.filter((b) => b === 0).length > head.length / 10) {
    throw badImport(name, 'is not a text file (or it is UTF-16 text without a byte order mark: save it as CSV UTF-8)');
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badImport(name, 'starts with a UTF-8 byte order mark but is not valid UTF-8 (the file may be damaged)');
  }
}

/**
 * Parses CSV text into its rows that are not blank (papaparse; see readCsvFile), with the
 * delimiter it found (`,` when the text has a single column).
 * @throws FieldbookError BAD_IMPORT when a quoted cell is never closed (the rest of the file would be one cell)
 */
export function parseCsvText(text: string, name: string): Promise<{ records: CsvRecord[]; delimiter: ParsedCsv['delimiter'] }> {
  return new Promise((resolve, reject) => {
    const records: CsvRecord[] = [];
    let row = 0;
    let delimiter: ParsedCsv['delimiter'] = ',';
    let failed = false;
    Papa.parse<string[]>(text, {
      delimitersToGuess: [',', ';', '\t'],
      step(results, parser) {
        if (failed) return;
        row += 1;
        if (results.errors.some((e) => e.type === 'Quotes')) {
          failed = true;
          parser.abort();
          reject(badImport(name, `has a quoted cell that is never closed (in row ${row})`));
          return;
        }
        if (results.meta.delimiter === ';' || results.meta.delimiter === '\t') delimiter = results.meta.delimiter;
        if (results.data.some((cell) => cell.trim() !== '')) records.push({ row, cells: results.data });
        if (row % ROWS_PER_STEP === 0) {
          parser.pause();
          setImmediate(() => parser.resume());
        }
      },
      complete() {
        if (!failed) resolve({ records, delimiter });
      },
      error(error: Error) {
        failed = true;
        reject(error);
      },
    });
  });
}
