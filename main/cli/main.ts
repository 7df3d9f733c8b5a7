import * as readline from 'node:readline';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fieldbookAppVersion, fieldbookEngine } from '../fieldbook/fieldbook-engine';
import { FieldbookError, type ErrorCode, removeTemporaryFiles } from '@fieldbook/engine';
import { EXIT, usage, type Command, type Io, type Values } from './command';
import { create, current, history, info, stamp } from './commands/documents';
import { check, revision } from './commands/devtools';
import { exportCommand, subset } from './commands/exports';
import { downgrade, upgrade } from './commands/migrations';
import { show, sql } from './commands/scripts';

/**
 * The `fieldbook` command line: a thin adapter over the engine's functions. Each command (in
 * ./commands) parses its arguments, calls one function and prints its result (JSON with --json).
 * Exit codes: see EXIT.
 */
export { EXIT };

const commands: Record<string, Command> = { info, current, upgrade, downgrade, stamp, new: create, history, subset, export: exportCommand, sql, show, revision, check };

function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: fieldbook COMMAND [options]   (every command accepts --json)',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  ${c.usage}`),
    '',
    "TARGET: head, base, a version number, +N/-N (relative to the document's version; for export, the source's),",
    '        a unique prefix of a migration name (0003, 0003-num), or any of those with +N/-N (3+1, head-2).',
    'Values may start with a dash when they are numbers or relative targets: --to -1, --as-version=-2.',
    'Exit codes: 0 ok, 1 internal error, 2 usage error, 3 document error, 4 broken installation.',
  ].join('\n');
}

export function exitCodeFor(code: ErrorCode): number {
  if (code === 'USAGE' || code === 'BAD_TARGET' || code === 'BAD_SELECTION') return EXIT.usage;
  if (code === 'BAD_MIGRATIONS') return EXIT.installation;
  return EXIT.document;
}

/** Commands that change or write documents for a while: SIGINT, SIGTERM and SIGHUP (the terminal closed) cancel them cleanly. */
const LONG_COMMANDS = new Set(['upgrade', 'downgrade', 'subset', 'export']);
/** The shell's convention: 128 + the signal's number. */
const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof SIGNAL_EXIT;
/** SIGHUP does not exist on Windows (Node emulates it only for a closing console). */
const STOP_SIGNALS = (Object.keys(SIGNAL_EXIT) as StopSignal[]).filter((s) => s !== 'SIGHUP' || process.platform !== 'win32');
/** How long a cancelled command may take to roll back and clean up before the CLI stops anyway. */
const CANCEL_GRACE_MS = 10_000;

class Interrupted extends Error {
  constructor(readonly signal: StopSignal, readonly error: FieldbookError) {
    super(error.message);
  }
}

/**
 * While a long command runs, SIGINT, SIGTERM and SIGHUP abort its signal: the engine stops at its next
 * safe point, rolls back and removes its temporary and partial files, and the CLI exits with
 * 130 or 143. A second signal, or a command that has not stopped after CANCEL_GRACE_MS, ends
 * the process at once, after removing the temporary files it made (an open transaction is
 * rolled back by SQLite on the next open).
 */
/** The handlers of the last finished command, removed when the process is about to exit or the next command starts. */
let lingering: (() => void) | undefined;

function listenForInterruption(enabled: boolean): { signal: AbortSignal; received: StopSignal | null; stop(): void } {
  const controller = new AbortController();
  const state = { signal: controller.signal, received: null as StopSignal | null, stop() {} };
  if (!enabled) return state;
  let timer: NodeJS.Timeout | undefined;
  const forceExit = (signal: StopSignal) => {
    removeTemporaryFiles();
    process.stderr.write(`error: ABORTED: stopped by ${signal}; temporary files were removed\n`);
    process.exit(SIGNAL_EXIT[signal]);
  };
  let finished = false;
  const handler = (signal: StopSignal) => {
    // After the command returned (its result may still be printing): recorded, and reported as "already finished".
    if (finished) {
      state.received ??= signal;
      return;
    }
    if (state.received) forceExit(signal);
    state.received = signal;
    controller.abort(new FieldbookError('ABORTED', `interrupted by ${signal}`));
    timer = setTimeout(() => forceExit(signal), CANCEL_GRACE_MS);
    timer.unref();
  };
  lingering?.();
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  const remove = () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
    process.off('beforeExit', remove);
    if (lingering === remove) lingering = undefined;
  };
  // The handlers stay until the process is about to exit: a signal between the command's end and
  // the exit must not kill the process by default (its work is done; it exits as it would have).
  state.stop = () => {
    finished = true;
    if (timer) clearTimeout(timer);
    lingering = remove;
    process.on('beforeExit', remove);
  };
  return state;
}

/** What the CLI reports for a command stopped by a signal: the engine's ABORTED, or what failed instead, said to be an interruption. */
function interrupted(error: unknown, signal: StopSignal): Interrupted {
  if (error instanceof FieldbookError) {
    if (error.code === 'ABORTED') return new Interrupted(signal, new FieldbookError('ABORTED', `interrupted by ${signal}: ${error.message}`, { details: error.details }));
    return new Interrupted(signal, error);
  }
  return new Interrupted(signal, new FieldbookError('ABORTED', `interrupted by ${signal}: ${error instanceof Error ? error.message : String(error)}`));
}

const stdio: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  isTerminal: process.stderr.isTTY === true,
  ...(process.stdin.isTTY && process.stderr.isTTY ? { ask: askAtTerminal } : {}),
};

/** Reads one line typed at the terminal (the question goes to stderr); Ctrl-C, Ctrl-D or an aborted `signal` (a signal sent to the process) answers null. */
function askAtTerminal(question: string, signal?: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    let answer: string | null = null;
    const stop = () => rl.close();
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    rl.on('SIGINT', stop);
    rl.on('close', () => {
      signal?.removeEventListener('abort', stop);
      resolve(answer);
    });
    rl.question(question, (line) => {
      answer = line;
      rl.close();
    });
  });
}

/** A dash and a digit: a negative number, a relative target (`-1`), a range (`-2:head`); never an option here. */
const DASH_VALUE = /^-\d/;

/**
 * util.parseArgs takes every token that starts with a dash for an option, so `--sample -5` and
 * `--as-version -1` fail as ambiguous and `stamp FILE -1` as an unknown option. No command has a
 * digit for a short option, so a dash-digit token is read as a value: the value of the option
 * before it when that option takes one (rewritten `--name=-5`), else a positional (held out of
 * parseArgs's sight under a placeholder, which argv can never contain, and put back after).
 * Everything else is parseArgs's, strict.
 */
function parseCommandArgs(args: string[], options: NonNullable<ParseArgsConfig['options']>): { values: Values; positionals: string[] } {
  const longOf = new Map(Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  const rewritten: string[] = [];
  const held: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rewritten.push(...args.slice(i));
      break;
    }
    const name = /^--[^=]+$/.test(arg) ? arg.slice(2) : /^-[^-\d]$/.test(arg) ? longOf.get(arg[1]!) : undefined;
    const next = args[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && DASH_VALUE.test(next)) {
      rewritten.push(`--${name}=${next}`);
      i++;
    } else if (DASH_VALUE.test(arg)) {
      rewritten.push(`\0${held.length}`);
      held.push(arg);
    } else {
      rewritten.push(arg);
    }
  }
  const parsed = parseArgs({ args: rewritten, options, allowPositionals: true, strict: true });
  const positionals = parsed.positionals.map((p) => (/^\0\d+$/.test(p) ? held[Number(p.slice(1))]! : p));
  return { values: parsed.values as Values, positionals };
}

/** Runs the CLI with arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  const wantsJson = rest.includes('--json');
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(helpText());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === 'version') {
    io.out(fieldbookAppVersion());
    return EXIT.ok;
  }
  try {
    const command = commands[name];
    if (!command) throw usage(`unknown command "${name}" (try fieldbook --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`usage: ${command.usage}`);
      return EXIT.ok;
    }
    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseCommandArgs(rest, command.options);
    } catch (error) {
      // parseArgs's later lines say how to pass a value that starts with a dash (`--out=-x.fieldbook`).
      throw usage(`${(error as Error).message.split('\n').join(' ')} (usage: ${command.usage})`);
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) throw usage(`wrong number of arguments (usage: ${command.usage})`);
    const interruption = listenForInterruption(LONG_COMMANDS.has(name));
    let result: unknown;
    try {
      result = await command.run(parsed.positionals, parsed.values, io, interruption.signal, fieldbookEngine());
    } catch (error) {
      if (interruption.received) throw interrupted(error, interruption.received);
      throw error;
    } finally {
      interruption.stop();
    }
    if (wantsJson) io.out(JSON.stringify(result, null, 2));
    else command.print(result, io);
    if (interruption.received) {
      io.err(`interrupted by ${interruption.received}, but the command had already finished`);
      return SIGNAL_EXIT[interruption.received];
    }
    return command.exitCode?.(result) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof Interrupted) {
      const inner = error.error;
      const oneLine = inner.message.replace(/\s*\n\s*/g, ' ');
      if (wantsJson) io.out(JSON.stringify({ error: { code: inner.code, message: oneLine, signal: error.signal, ...inner.details } }));
      else io.err(`error: ${inner.code}: ${oneLine}`);
      return SIGNAL_EXIT[error.signal];
    }
    if (!(error instanceof FieldbookError)) {
      io.err(error instanceof Error && error.stack ? error.stack : String(error));
      if (wantsJson) io.out(JSON.stringify({ error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } }));
      return EXIT.internal;
    }
    const oneLine = error.message.replace(/\s*\n\s*/g, ' ');
    if (wantsJson) io.out(JSON.stringify({ error: { code: error.code, message: oneLine, ...error.details } }));
    else io.err(`error: ${error.code}: ${oneLine}`);
    return exitCodeFor(error.code);
  }
}
