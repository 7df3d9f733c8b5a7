import { parseArgs } from 'node:util';
import { fieldbookAppVersion } from '../engine/engine';
import { FieldbookError, type ErrorCode } from '../engine/errors';
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
    'TARGET: head, base, a version number, +N/-N (relative), or a unique prefix of a migration name.',
    'Exit codes: 0 ok, 1 internal error, 2 usage error, 3 document error, 4 broken installation.',
  ].join('\n');
}

export function exitCodeFor(code: ErrorCode): number {
  if (code === 'USAGE' || code === 'BAD_TARGET' || code === 'BAD_SELECTION') return EXIT.usage;
  if (code === 'BAD_MIGRATIONS') return EXIT.installation;
  return EXIT.document;
}

const stdio: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  isTerminal: process.stderr.isTTY === true,
};

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
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true }) as typeof parsed;
    } catch (error) {
      throw usage(`${(error as Error).message.split('\n')[0]} (usage: ${command.usage})`);
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) throw usage(`wrong number of arguments (usage: ${command.usage})`);
    const result = await command.run(parsed.positionals, parsed.values, io);
    if (wantsJson) io.out(JSON.stringify(result, null, 2));
    else command.print(result, io);
    return command.exitCode?.(result) ?? EXIT.ok;
  } catch (error) {
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
