/**
 * The IPC contract's CSV operations: exporting what the sample list shows, and importing
 * measurements from a CSV file through a column mapping and a preview. Part of the contract
 * (contract.ts re-exports it): types only, importing nothing.
 *
 * The renderer never sees a CSV file's path or contents: main reads and parses the file it chose
 * with its own dialog and keeps it, under an `importId`, until the import is made or discarded.
 */

/** How an exported CSV file is written. */
export interface CsvExportOptions {
  /** Start the file with a UTF-8 byte order mark (Excel then reads it as UTF-8; without one it guesses the system's ANSI code page). */
  bom: boolean;
  /** `,` (RFC 4180), or `;` with decimal commas, as Excel writes CSV where the comma is the decimal separator. */
  delimiter: ',' | ';';
}

export interface CsvExportOutcome {
  /** File name of the written CSV file ("Show file" shows it: showLastExport). */
  name: string;
  samples: number;
  /** Data rows written (one per measurement, one per sample without any), the header not counted. */
  rows: number;
}

/** What a column of an imported file can be. `code` and `quantity` must be mapped; the others may not be. */
export type CsvField = 'code' | 'site' | 'quantity' | 'value' | 'unit' | 'instrument';

/** Which column (0-based) holds each field; null or absent: none. */
export type CsvMapping = Partial<Record<CsvField, number | null>>;

/** How a CSV file was read, as far as main could tell from its bytes. */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A CSV file main has read and parsed for import: what the mapping step shows. */
export interface CsvImportFile {
  importId: string;
  /** File name only. */
  name: string;
  bytes: number;
  encoding: CsvEncoding;
  /**
   * Set when the file is not UTF-8 (nor UTF-16 with a byte order mark) and was read as Windows-1252
   * (Western European, what Excel writes as "CSV" on such systems): the user must look at the
   * preview and confirm (`acceptEncoding`) before it is imported.
   */
  encodingWarning: string | null;
  delimiter: ',' | ';' | '\t';
  /** Guessed: the first row names the columns. */
  hasHeader: boolean;
  /** Guessed: values may use a decimal comma (files separated by `;` or tabs). */
  decimalComma: boolean;
  /** Rows in the file (a header included), blank lines not counted. */
  rows: number;
  /** Each column: its cell in the first row (its name when that row is a header) and its next few values. */
  columns: { index: number; first: string; examples: string[] }[];
  /** The mapping guessed from the headers (the user may change it). */
  mapping: CsvMapping;
}

/** How to read the rows of a file chosen for import. */
export interface CsvImportSettings {
  mapping: CsvMapping;
  hasHeader: boolean;
  decimalComma: boolean;
  /** Import the rows without errors and skip the others; otherwise nothing is imported while any row has an error. */
  skipErrors: boolean;
  /** Confirms a file read as Windows-1252 (CsvImportFile.encodingWarning); required for such a file. */
  acceptEncoding: boolean;
}

/**
 * Why a row is not imported. `no-measurement` is no error: the row names a sample but its
 * quantity, value, unit and instrument are all empty (as the export writes a sample without
 * measurements), so it is left out; every other kind is an error.
 */
export type CsvRowProblem = 'no-measurement' | 'no-code' | 'unknown-site' | 'unknown-sample' | 'ambiguous-code' | 'no-quantity' | 'not-a-number' | 'too-long';

/** A row as it will be imported, or why it cannot be. */
export interface CsvPreviewRow {
  /** The row's number in the file as a spreadsheet numbers it (the first row is 1, a header included). */
  row: number;
  code: string;
  /** The site of the sample the row belongs to (as the notebook names it), or the site the row gives. */
  site: string | null;
  quantity: string;
  value: number | null;
  unit: string | null;
  instrument: string | null;
  problem: { kind: CsvRowProblem; message: string } | null;
}

/** Rows with one kind of problem: how many, and the first few. */
export interface CsvProblemCount {
  kind: CsvRowProblem;
  count: number;
  /** The first rows with it (row numbers as in CsvPreviewRow). */
  rows: number[];
  /** The first row's problem, in words. */
  example: string;
}

export interface CsvImportPreview {
  /** The first rows (at most 20) as they will be imported. */
  rows: CsvPreviewRow[];
  /** Up to 50 rows with errors (not `no-measurement`), from the whole file. */
  errorRows: CsvPreviewRow[];
  /** Data rows (the header not counted). */
  total: number;
  /** Rows that can be imported. */
  valid: number;
  /** Rows with errors (problems other than `no-measurement`). */
  errors: number;
  problems: CsvProblemCount[];
}

export interface CsvImportOutcome {
  name: string;
  imported: number;
  /** Rows left out: with errors (skipErrors), or holding no measurement; by kind in `problems`. */
  skipped: number;
  problems: CsvProblemCount[];
  /** The undo step the import made ("Import 120 measurements from field.csv"). */
  undoLabel: string;
}
