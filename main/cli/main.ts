import { fieldbookAppVersion, fieldbookEngine } from '../fieldbook/fieldbook-engine';
import { FieldbookError, type ErrorCode } from '@fieldbook/engine';
import { EXIT, usage, type Command, type Io, type Values } from './command';
import { Interrupted, interrupted, listenForInterruption, LONG_COMMANDS, SIGNAL_EXIT } from './interruption';
import { parseCommandArgs } from './parse-args';
import { stdio } from './terminal';

/**
 * The `fieldbook` command line: a thin adapter over the engine's functions. Each command (in
 * ./commands) parses its arguments, calls one function and prints its result (JSON with --json).
 * Exit codes: see EXIT.
 */
export { EXIT };

const documents = () => require('./commands/documents') as typeof import('./commands/documents');
const migrations = () => require('./commands/migrations') as typeof import('./commands/migrations');
const exporting = () => require('./commands/exports') as typeof import('./commands/exports');
const scripts = () => require('./commands/scripts') as typeof import('./commands/scripts');
const devtools = () => require('./commands/devtools') as typeof import('./commands/devtools');

/** The commands, each loaded from its module only when it runs (or for --help): `info` loads no more than it uses. */
const commands: Record<string, () => Command> = {
  info: () => documents().info, verify: () => documents().verify, salvage: () => documents().salvage, current: () => documents().current, upgrade: () => migrations().upgrade, downgrade: () => migrations().downgrade,
  stamp: () => documents().stamp, new: () => documents().create, demo: () => documents().demo, history: () => documents().history, subset: () => exporting().subset,
  export: () => exporting().exportCommand, sql: () => scripts().sql, show: () => scripts().show, revision: () => devtools().revision, check: () => devtools().check,
};

function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: fieldbook COMMAND [options]   (every command accepts --json)',
    '',
    ...Object.entries(commands).map(([name, load]) => `  ${name.padEnd(width)}  ${load().summary}\n  ${' '.repeat(width)}  ${load().usage}`),
    '',
    "TARGET: head, base, a version number, +N/-N (relative to the document's version; for export, the source's),",
    '        a unique prefix of a migration name (0003, 0003-num), or any of those with +N/-N (3+1, head-2).',
    'Values may start with a dash when they are numbers or relative targets: --to -1, --as-version=-2.',
    'Exit codes: 0 ok, 1 internal error, 2 usage error, 3 document error, 4 broken installation.',
  ].join('\n');
}

/** The exit code for an error's code: 2 for usage, targets and selections, 4 for broken migrations, 3 for the rest. */
export function exitCodeFor(code: ErrorCode): number {
  if (code === 'USAGE' || code === 'BAD_TARGET' || code === 'BAD_SELECTION') return EXIT.usage;
  if (code === 'BAD_MIGRATIONS') return EXIT.installation;
  return EXIT.document;
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
    const command = Object.hasOwn(commands, name) ? commands[name]!() : undefined;
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
