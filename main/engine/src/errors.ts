/**
 * The one error type the engine throws on purpose. Every failure a user or an embedding app can
 * meet carries a stable `code`; the CLI maps codes to exit codes and IPC adapters send
 * `{code, message}`. Anything that is not a FieldbookError is a bug and is shown with its stack.
 */
export type ErrorCode =
  /** The path does not exist, or is not a regular file. */
  | 'NOT_FOUND'
  /** The file is not an SQLite database (empty, text, image, ...). */
  | 'NOT_SQLITE'
  /** An SQLite database carrying another application's application_id. */
  | 'NOT_A_FIELDBOOK'
  /** The schema matches no version this app knows (unversioned foreign file, or a versioned one that was altered). */
  | 'UNKNOWN_SCHEMA'
  /** Written by a newer app: a version or migration this app does not know. */
  | 'TOO_NEW'
  /** Truncated, or fails SQLite's quick_check. */
  | 'DAMAGED'
  /** Another connection holds a lock on the document. */
  | 'LOCKED'
  /** The file or its folder cannot be written. */
  | 'READ_ONLY'
  /** A migration failed; the document was rolled back to its original bytes. */
  | 'MIGRATION_FAILED'
  /** user_version and the version table disagree. */
  | 'INCONSISTENT_VERSION'
  /** A migration target could not be resolved. */
  | 'BAD_TARGET'
  /** The destination already exists. */
  | 'EXISTS'
  /**
   * The destination of a write (export, subset, backup) is the source itself or a document that
   * is open: the same path, a symlink or hard link to it, or a case-insensitive match of it.
   */
  | 'SAME_FILE'
  /** The disk (or the folder's quota) is full; nothing was left half-written. */
  | 'NO_SPACE'
  /** The bundled migrations do not match their manifest (missing, extra, reordered, altered). */
  | 'BAD_MIGRATIONS'
  /** The backup could not be written. */
  | 'BACKUP_FAILED'
  /** A subset selection with unknown keys or values of the wrong type. */
  | 'BAD_SELECTION'
  /** A subset selection that matched no rows, when the caller asked for that to be refused; nothing was written. */
  | 'EMPTY_SELECTION'
  /** The operation was cancelled (AbortSignal); nothing was left behind. */
  | 'ABORTED'
  /** An edit the document refuses (empty or duplicate code, impossible date, ...): DocumentHandle.write. */
  | 'INVALID_VALUE'
  /** A read-only document (from a newer app, or opened read-only) cannot be edited: DocumentHandle.write. */
  | 'READ_ONLY_DOCUMENT'
  /**
   * A request from the renderer with arguments of the wrong shape, or for a document not its
   * own. Raised by an app's IPC layer, never by the engine: it judges a process boundary the
   * engine does not have. It is an engine code so that every shell reports it the same way.
   */
  | 'BAD_REQUEST'
  /** A migration whose logic runs in JavaScript cannot be written out as an offline SQL script. */
  | 'NOT_RENDERABLE'
  /**
   * Wrong arguments to a command: mostly raised by a command line while it parses (unknown
   * options, missing values: only it knows its syntax), and by an engine command given an
   * argument it cannot take (showMigration of `base`).
   */
  | 'USAGE'
  /**
   * A write (a downgrade) would lose data that the caller did not accept; nothing was written.
   * `details.lost` lists it as `{table, column, rows}`.
   */
  | 'DATA_LOSS'
  /**
   * The system reported an input/output error (a failing disk, a removed drive, a network share)
   * that neither permissions nor a full disk explain; the document was not judged damaged.
   */
  | 'IO_ERROR';

/** What a FieldbookError carries besides its code and message. */
export interface FieldbookErrorOptions {
  cause?: unknown;
  /** Extra, machine-readable facts (migration name, backup path, ...). Serialised by the CLI with --json. */
  details?: Record<string, unknown>;
}

/**
 * An error the engine (or an app's shell) raises on purpose, with a stable `code` and
 * machine-readable `details`; `toJSON()` gives `{code, message, ...details}`. Catch it at the
 * edges; anything that is not a FieldbookError is a bug.
 */
export class FieldbookError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: FieldbookErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FieldbookError';
    this.code = code;
    this.details = options.details ?? {};
  }

  toJSON(): { code: ErrorCode; message: string } & Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/**
 * A migration failed and its transaction was rolled back. `migration` names the step that threw
 * (or the validation that refused the result), `cause` is the original error.
 */
export class MigrationError extends FieldbookError {
  readonly migration: string;
  readonly direction: 'up' | 'down';

  constructor(migration: string, direction: 'up' | 'down', cause: unknown, backup: string | null) {
    super(
      'MIGRATION_FAILED',
      `migration ${migration} (${direction}) failed: ${describeCause(cause)}` +
        (backup ? `; the document was left unchanged; backup: ${backup}` : '; the document was left unchanged'),
      {
        cause,
        details: { migration, direction, backup },
      },
    );
    this.name = 'MigrationError';
    this.migration = migration;
    this.direction = direction;
  }
}

/** The message of an error, or any other thrown value as text. Never throws. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}

/** True when `error` is a FieldbookError (with `code`, when given). Never throws. */
export function isFieldbookError(error: unknown, code?: ErrorCode): error is FieldbookError {
  return error instanceof FieldbookError && (code === undefined || error.code === code);
}
