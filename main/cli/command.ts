import os = require('node:os');
import { type Engine, FieldbookError, storageWarning } from '@fieldbook/engine';

/**
 * Exit codes: 0 success; 1 unexpected internal error; 2 usage error (bad arguments, target or
 * selection); 3 a document cannot be used or changed (the error's code says why; for a batch,
 * any document failed); 4 the installation's bundled migrations are broken; 5 better-sqlite3's
 * native code cannot be loaded (missing, or built for another runtime: `npm rebuild better-sqlite3`).
 */
export const EXIT = { ok: 0, internal: 1, usage: 2, document: 3, installation: 4, nativeModule: 5 } as const;

/** Where a command writes. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  isTerminal: boolean;
  /**
   * Shows `text` as a status line that the next status replaces (`''` clears it): a terminal's
   * progress display. Absent when stderr is not a terminal.
   */
  status?(text: string): void;
  /**
   * Asks a question on the terminal and resolves with the line typed (null when input ended or
   * was interrupted, also by `signal`). Absent when stdin or stderr is not a terminal: nobody is there to answer.
   */
  ask?(question: string, signal?: AbortSignal): Promise<string | null>;
}

/** The parsed options of a command, by their long name (`backup-dir`, `no-backup`). */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** One option of a command, as its help shows it (commander builds the parser and the help from these). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The name of its value in help (`DIR`, `TARGET`); string options only. */
  value?: string;
  description: string;
  /** What applies when the option is absent, in words (help shows it as `(default: ...)`); booleans default to off. */
  default?: string;
  /** The command cannot run without it (help says `(required)`; the command checks it and says so). */
  required?: boolean;
  /** May be given several times; each use adds a value (`--site 1 --site 2`). */
  multiple?: boolean;
}

/** A positional argument, as help shows it. */
export interface ArgumentSpec {
  name: string;
  description: string;
  optional?: boolean;
  /** Takes one or more values (`PATH...`); only the last argument. */
  variadic?: boolean;
}

/**
 * One CLI command: how it is parsed, the one engine call it makes, and how its result is shown
 * without --json (with --json the result itself is printed).
 */
export interface Command {
  summary: string;
  usage: string;
  /** Its options by long name (`backup-dir`); a `no-` name is a switch that turns something off. */
  options: Record<string, OptionSpec>;
  /** Its positional arguments (their number is checked before `run`). */
  args: ArgumentSpec[];
  /** More help after the options (the TARGET grammar, examples). */
  helpAfter?: string;
  /** Parse plain argument lists without loading commander (see quickParse): for a command whose start-up time matters. */
  quickStart?: boolean;
  /**
   * `signal` is aborted when the user interrupts the CLI (SIGINT, SIGTERM); long commands pass it
   * to the engine. `engine` is the app's engine, which the CLI's entry builds once and every
   * command hands to the engine's functions.
   */
  run(args: string[], values: Values, io: Io, signal: AbortSignal, engine: Engine): Promise<unknown>;
  print(result: unknown, io: Io): void;
  /** Exit code for a result that is not a plain success (e.g. a batch with failures); default 0. */
  exitCode?(result: unknown): number;
}

/** `--json`, which every command takes: print the result as JSON. */
export const json: OptionSpec = { type: 'boolean', description: 'print the result (or the error) as JSON on stdout' };

/** What a command of one positional argument is made of (see oneArgument). */
export interface OneArgumentCommand<T> {
  summary: string;
  usage: string;
  /** Its one positional argument. */
  arg: ArgumentSpec;
  /** Its options besides --json. */
  options?: Command['options'];
  helpAfter?: string;
  quickStart?: boolean;
  /** The one engine call, with the argument and the parsed options. */
  call(arg: string, values: Values, engine: Engine): T | Promise<T>;
  /** Shows the result without --json. */
  print(result: T, io: Io): void;
}

/** A command taking exactly one positional argument (a file, a target) and --json. */
export function oneArgument<T>(spec: OneArgumentCommand<T>): Command {
  return {
    summary: spec.summary,
    usage: spec.usage,
    options: { ...spec.options, json },
    args: [spec.arg],
    helpAfter: spec.helpAfter,
    quickStart: spec.quickStart,
    async run([arg], values, _io, _signal, engine) {
      return spec.call(arg!, values, engine);
    },
    print: (result, io) => spec.print(result as T, io),
  };
}

/** `--backup-dir DIR` and `--no-backup`, for the commands that write a document in place. */
export const backupOptions: Record<string, OptionSpec> = {
  'backup-dir': {
    type: 'string',
    value: 'DIR',
    description: 'where to back the document up first (a leading ~/ is the home folder)',
    default: "the app-data folder's backups/ (FIELDBOOK_DATA_DIR overrides it)",
  },
  'no-backup': { type: 'boolean', description: 'make no backup', default: 'a backup is made' },
};

/**
 * The TARGET grammar, for the help of commands that take one. Values starting with a dash: an
 * option's value may (`--to -1`); a positional may when it is a number (`stamp FILE -1`), else after `--`.
 */
export const TARGET_HELP = [
  "TARGET: head, base, a version number, +N/-N (relative to the document's version; for export, the source's),",
  '        a unique prefix of a migration name (0003, 0003-num), or any of those with +N/-N (3+1, head-2).',
  'Values may start with a dash when they are numbers or relative targets: --to -1, --as-version=-2.',
].join('\n');

/** A USAGE error (exit 2) with this message. */
export function usage(message: string): FieldbookError {
  return new FieldbookError('USAGE', message);
}

/**
 * The backup setting `--backup-dir` and `--no-backup` ask for (MigrateOptions.backup): a folder,
 * false, or true (the engine's folder).
 * @throws FieldbookError USAGE when both are given
 */
export function backupSetting(values: Values): boolean | string {
  if (values['no-backup'] && values['backup-dir'] !== undefined) throw usage('use either --backup-dir or --no-backup');
  if (values['no-backup']) return false;
  return typeof values['backup-dir'] === 'string' ? expandHome(values['backup-dir']) : true;
}

/**
 * A range `FROM:TO` (either side may be empty), as Alembic's `history -r` and `--sql start:end`
 * write it; `lead` starts the USAGE message for anything else (`-r takes`).
 */
export function range(text: string | undefined, lead: string): { from?: string; to?: string } {
  if (text === undefined) return {};
  const match = /^([^:]*):([^:]*)$/.exec(text);
  if (!match) throw usage(`${lead} FROM:TO (e.g. 2:head), not "${text}"`);
  return { from: match[1] || undefined, to: match[2] || undefined };
}

/**
 * A leading `~` or `~/` is the home folder, as the shell would have expanded it in
 * `--backup-dir ~/x` but does not in `--backup-dir=~/x` (nor when no shell is involved);
 * otherwise a folder literally named `~` would appear in the working folder.
 */
export function expandHome(file: string): string {
  const home = process.platform === 'win32' ? /^~(?=$|[\\/])/ : /^~(?=$|\/)/;
  return home.test(file) ? os.homedir() + file.slice(1) : file;
}

/** Step-by-step progress on stderr, for people at a terminal (never with --json). */
export function stepProgress(io: Io, values: Values) {
  return io.isTerminal && !values.json
    ? (s: { name: string; direction: string; index: number; total: number }) => io.err(`  [${s.index + 1}/${s.total}] ${s.direction === 'up' ? 'applying' : 'reverting'} ${s.name}`)
    : undefined;
}

/** Prints a warning line (stderr) for each path on a network or removable file system. */
export function warnAboutStorage(paths: readonly string[], io: Io): void {
  for (const p of paths) {
    const warning = storageWarning(p);
    if (warning) io.err(`warning: ${warning}`);
  }
}
