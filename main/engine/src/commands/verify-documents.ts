import { classifyDocument, type DocumentStatus, type EngineOption } from '../documents/classify';
import { findDocuments } from '../batch/find-documents';
import { fileFailure, type FileFailure } from '../batch/file-failure';

/** Options of verifyDocuments. */
export interface VerifyOptions extends EngineOption {
  /** `integrity_check` (reads every page and index entry) instead of `quick_check`. Default false. */
  full?: boolean;
  /** Descend into subfolders of the folders given. Default false. */
  recursive?: boolean;
  /** Called after each file, in order. */
  onFile?(file: VerifiedFile): void;
  /** Stops before the next file once aborted (the files checked so far are reported). */
  signal?: AbortSignal;
}

/** What verifyDocuments found in one file. */
export interface VerifiedFile {
  path: string;
  /**
   * `ok`: a document of this app whose pages, indexes and schema check out (current, outdated,
   * from a newer app, or a 0.9 one); `damaged`: a document of this app (or an SQLite file that
   * claims to be one) that fails the check; `not-a-document`: a readable file of something else;
   * `failed`: a file that could not be checked at all (missing, locked, unreadable).
   */
  verdict: 'ok' | 'damaged' | 'not-a-document' | 'failed';
  /** The classification's status, or null when the file could not be checked. */
  status: DocumentStatus | null;
  version: number | null;
  problem: FileFailure | null;
}

/** What verifyDocuments found: a verdict per file, in the order found, and their totals. */
export interface VerifyReport {
  files: VerifiedFile[];
  totals: { ok: number; damaged: number; notDocuments: number; failed: number };
  /** No file is damaged or failed (files of other apps found in folders do not count). */
  ok: boolean;
  /** The run stopped early (signal). */
  interrupted: boolean;
}

/**
 * Checks many documents without changing any: each file given, and the document files (by the
 * engine's extension) of each folder given, is classified with `quick_check` (or
 * `integrity_check` with `full`) and its schema compared with its version's. Reading never
 * writes (classifyDocument). Never throws for a file: every outcome is a verdict. Between files
 * it yields to the event loop, so a signal (Ctrl-C in a CLI) can stop a long run.
 */
export async function verifyDocuments(paths: readonly string[], options: VerifyOptions): Promise<VerifyReport> {
  const { engine } = options;
  const files: VerifiedFile[] = [];
  let interrupted = false;
  for (const found of findDocuments(paths, { extension: engine.documentExtension, recursive: options.recursive, excludeFolders: [engine.backupDir] })) {
    if (files.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    let file: VerifiedFile;
    if (found.kind === 'problem') file = { path: found.path, verdict: 'failed', status: null, version: null, problem: found.error };
    else if (found.kind === 'broken-link') continue;
    else file = verifyOne(found.path, options);
    files.push(file);
    options.onFile?.(file);
  }
  const count = (verdict: VerifiedFile['verdict']) => files.filter((f) => f.verdict === verdict).length;
  const totals = { ok: count('ok'), damaged: count('damaged'), notDocuments: count('not-a-document'), failed: count('failed') };
  return { files, totals, ok: totals.damaged === 0 && totals.failed === 0, interrupted };
}

function verifyOne(file: string, options: VerifyOptions): VerifiedFile {
  try {
    const c = classifyDocument(file, { engine: options.engine, check: options.full ? 'full' : 'quick' });
    const problem = c.problem ? { code: c.problem.code, message: c.problem.message.replace(/\s*\n\s*/g, ' ') } : null;
    const verdict = c.status === 'damaged' ? 'damaged' : c.status === 'foreign' ? 'not-a-document' : 'ok';
    return { path: c.path, verdict, status: c.status, version: c.version, problem };
  } catch (error) {
    return { path: file, verdict: 'failed', status: null, version: null, problem: fileFailure(error) };
  }
}
