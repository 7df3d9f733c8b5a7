import { FieldbookError, type ErrorCode } from '../errors';

/**
 * Why one file of a batch failed, as plain data (it crosses from worker threads and into JSON).
 * `INTERNAL` marks what is not a FieldbookError: a bug, or a worker thread that died.
 */
export interface FileFailure {
  code: ErrorCode | 'INTERNAL';
  message: string;
}

/** Describes any thrown value as a FileFailure, on one line (messages of SQLite errors may span several). */
export function fileFailure(error: unknown): FileFailure {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
  if (error instanceof FieldbookError) return { code: error.code, message: oneLine(error.message) };
  return { code: 'INTERNAL', message: oneLine(error instanceof Error ? error.message : String(error)) };
}
