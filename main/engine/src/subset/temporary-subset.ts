import { removeDocumentFiles, tempDocumentPath } from '../sqlite/temp-files';
import { exportSubset, type ExportOptions, type SubsetResult } from './export-subset';

/** A subset that lives in the OS temp folder until it is disposed of. */
export interface TemporarySubset {
  readonly path: string;
  readonly result: SubsetResult;
  /** Removes the file (safe to call more than once). */
  dispose(): void;
}

/**
 * Writes a subset into the OS temp folder for a script that needs it for a while. The file is
 * removed by `dispose()`, at process exit, or, if the process crashed or was killed, by the next
 * process that makes a temporary document.
 */
export async function createTemporarySubset(source: string, selection: unknown, options: Omit<ExportOptions, 'overwrite'>): Promise<TemporarySubset> {
  const file = tempDocumentPath('subset');
  let result: SubsetResult;
  try {
    result = await exportSubset(source, file, selection, options);
  } catch (error) {
    removeDocumentFiles(file);
    throw error;
  }
  return { path: file, result, dispose: () => removeDocumentFiles(file) };
}

/** Runs `fn` with a temporary subset and removes it when `fn` settles, whether it returns or throws. */
export async function withTemporarySubset<T>(
  source: string,
  selection: unknown,
  fn: (subset: TemporarySubset) => T | Promise<T>,
  options: Omit<ExportOptions, 'overwrite'>,
): Promise<T> {
  const subset = await createTemporarySubset(source, selection, options);
  try {
    return await fn(subset);
  } finally {
    subset.dispose();
  }
}
