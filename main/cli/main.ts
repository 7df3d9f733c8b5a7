import { fieldbookAppVersion, fieldbookEngine } from '../fieldbook/fieldbook-engine';
import { FieldbookError, type ErrorCode } from '@fieldbook/engine';
import { EXIT, TARGET_HELP, usage, type Command, type Io } from './command';
import { Interrupted, interrupted, listenForInterruption, LONG_COMMANDS, SIGNAL_EXIT } from './interruption';
import { commandHelp, parseCommandArgs } from './parse-args';
import { stdio } from './terminal';

/**
 * The `fieldbook` command line: a thin adapter over the engine's functions. Each command (in
 * ./commands) parses its arguments, calls one function and prints its result (JSON with --json).
 * Exit codes: see EXIT.
 */
export { EXIT };
export { exitWhenWritten } from './terminal';

const documents = () => require('./commands/documents') as typeof import('./commands/documents');
const migrations = () => require('./commands/migrations') as typeof import('./commands/migrations');
const exporting = () => require('./commands/exports') as typeof import('./commands/exports');
const scripts = () => require('./commands/scripts') as typeof import('./commands/scripts');
const devtools = () => require('./commands/devtools') as typeof import('./commands/devtools');
// Needed only when a command fails (info's start-up loads no more than it uses).
const cliMessage = (message: string) => (require('./flag-names') as typeof import('./flag-names')).cliMessage(message);
const nativeModuleFailure = (error: unknown) => (require('./native-module') as typeof import('./native-module')).nativeModuleFailure(error);

/** The commands, each loaded from its module only when it runs (or for --help): `info` loads no more than it uses. */
const commands: Record<string, () => Command> = {
  info: () => (require('./commands/info') as typeof import('./commands/info')).info,
  verify: () => documents().verify,
  salvage: () => documents().salvage,
  current: () => documents().current,
  upgrade: () => migrations().upgrade,
  downgrade: () => migrations().downgrade,
  stamp: () => documents().stamp,
  new: () => documents().create,
  demo: () => documents().demo,
  history: () => documents().history,
  heads: () => documents().heads,
  subset: () => exporting().subset,
  export: () => exporting().exportCommand,
  sql: () => scripts().sql,
  show: () => scripts().show,
  revision: () => devtools().revision,
  check: () => devtools().check,
};

function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: fieldbook COMMAND [options]   (every command accepts --json; fieldbook COMMAND --help lists its options and their defaults)',
    '',
    ...Object.entries(commands).map(([name, load]) => `  ${name.padEnd(width)}  ${load().summary}\n  ${' '.repeat(width)}  ${load().usage}`),
    '',
    TARGET_HELP,
    `Exit codes: 0 ok, 1 internal error, 2 usage error, 3 document error, 4 broken installation, ${EXIT.nativeModule} better-sqlite3 cannot be loaded.`,
  ].join('\n');
}

/** The exit code for an error's code: 2 for usage, targets and selections (also one that matched nothing), 4 for broken migrations, 3 for the rest. */
export function exitCodeFor(code: ErrorCode): number {
  if (code === 'USAGE' || code === 'BAD_TARGET' || code === 'BAD_SELECTION' || code === 'EMPTY_SELECTION') return EXIT.usage;
  if (code === 'BAD_MIGRATIONS') return EXIT.installation;
  return EXIT.document;
}

/** Runs the CLI with arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  const wantsJson = rest.includes('--json');
  if (name === 'help' && rest[0] !== undefined && Object.hasOwn(commands, rest[0])) {
    io.out(commandHelp(rest[0], commands[rest[0]]!()));
    return EXIT.ok;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(helpText());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === 'version') {
    io.out(fieldbookAppVersion());
    return EXIT.ok;
  }
  try {
    const command = Object.hasOwn(commands, name) ? commands[name]!() : undefined;
    if (!command) throw usage(`unknown command "${name}" (try fieldbook --help)`);
    const parsed = parseCommandArgs(name, rest, command);
    if ('help' in parsed) {
      io.out(parsed.help);
      return EXIT.ok;
    }
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
      const oneLine = cliMessage(inner.message).replace(/\s*\n\s*/g, ' ');
      if (wantsJson) io.out(JSON.stringify({ error: { code: inner.code, message: oneLine, signal: error.signal, ...inner.details } }));
      else io.err(`error: ${inner.code}: ${oneLine}`);
      return SIGNAL_EXIT[error.signal];
    }
    const native = nativeModuleFailure(error);
    if (native) {
      if (wantsJson) io.out(JSON.stringify({ error: { code: 'NATIVE_MODULE', message: native } }));
      else io.err(`error: NATIVE_MODULE: ${native}`);
      return EXIT.nativeModule;
    }
    if (!(error instanceof FieldbookError)) {
      io.err(error instanceof Error && error.stack ? error.stack : String(error));
      if (wantsJson) io.out(JSON.stringify({ error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } }));
      return EXIT.internal;
    }
    const oneLine = cliMessage(error.message).replace(/\s*\n\s*/g, ' ');
    if (wantsJson) io.out(JSON.stringify({ error: { code: error.code, message: oneLine, ...error.details } }));
    else io.err(`error: ${error.code}: ${oneLine}`);
    return exitCodeFor(error.code);
  }
}
