import type { Command as Program, CommanderError, Help, Option } from 'commander';
import { usage, type Command, type OptionSpec, type Values } from './command';

/** commander, loaded when a command line is parsed or its help shown. */
function commander(): typeof import('commander') {
  return require('commander') as typeof import('commander');
}

/** A dash and a digit: a negative number, a relative target (`-1`), a range (`-2:head`). */
const DASH_VALUE = /^-\d/;

/** `--name` for an option's long name. */
const flag = (name: string) => `--${name}`;

function optionFor(name: string, spec: OptionSpec): Option {
  const { Option } = commander();
  const flags = `${spec.short ? `-${spec.short}, ` : ''}${flag(name)}${spec.type === 'string' ? ` <${spec.value ?? 'VALUE'}>` : ''}`;
  const option = new Option(flags, spec.description);
  if (spec.multiple) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  // Help shows what applies when the option is absent; the commands apply it (an absent option stays undefined).
  option.defaultValueDescription = spec.required ? undefined : (spec.default ?? (spec.type === 'boolean' ? 'off' : undefined));
  return option;
}

/**
 * commander's help with every option's default: its own optionDescription shows a default only
 * for a default value it applies itself, and here the commands apply theirs.
 */
function helpConfiguration(command: Command): Partial<Help> {
  const specs = new Map(Object.entries(command.options).map(([name, spec]) => [flag(name), spec]));
  return {
    optionDescription(option: Option) {
      const spec = specs.get(option.long ?? '');
      if (option.long === '--help') return 'show this help';
      if (!spec) return option.description;
      return `${spec.description} (${spec.required ? 'required' : `default: ${option.defaultValueDescription}`}${spec.multiple ? '; may be repeated' : ''})`;
    },
  };
}

/** The commander program of one command: its options, arguments, usage line and help. */
export function commandProgram(name: string, command: Command): Program {
  const { Command: Program } = commander();
  const program = new Program(`fieldbook ${name}`)
    .description(command.summary)
    .usage(command.usage.replace(/^fieldbook \S+\s*/, ''))
    .helpOption('-h, --help')
    .configureHelp(helpConfiguration(command))
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  for (const [optionName, spec] of Object.entries(command.options)) program.addOption(optionFor(optionName, spec));
  for (const a of command.args) program.argument(a.optional ? `[${a.name}${a.variadic ? '...' : ''}]` : `<${a.name}${a.variadic ? '...' : ''}>`, a.description);
  return program;
}

/** The full help of one command, as `fieldbook NAME --help` prints it. */
export function commandHelp(name: string, command: Command): string {
  return commandProgram(name, command).helpInformation().trimEnd() + (command.helpAfter ? `\n\n${command.helpAfter}` : '');
}

/**
 * Parses a command's arguments with commander: `{help}` when help was asked for, else the
 * options by long name (absent ones undefined) and the positionals, their number checked.
 * A value option reads the next token as its value, also when it starts with a dash and a digit
 * (`--to -1`, `--sample -5`: the command's own validation decides), and commander reads a
 * negative number as a positional (`stamp FILE -1`). A value option followed by any other token
 * that starts with a dash (`--out --overwrite`) is refused rather than read as its value.
 * @throws FieldbookError USAGE for unknown options, missing values, a wrong number of arguments
 */
export function parseCommandArgs(name: string, args: string[], command: Command): { values: Values; positionals: string[] } | { help: string } {
  return (command.quickStart && quickParse(args, command)) || parseWithCommander(name, args, command);
}

/**
 * The quick path of a command marked `quickStart` (`info`, whose start-up time is a benchmark
 * figure: loading commander costs a few ms, most of it node:child_process, which commander loads
 * at once). Node's own util.parseArgs, strict, reads the same specs; when it reads the arguments
 * without complaint and their number fits, commander would read them the same way
 * (test/cli-parsing.test.ts compares the two). Anything else (help, an unknown option, a value
 * that starts with a dash, a wrong number of arguments) returns null, and commander reads them
 * and says what is wrong.
 */
export function quickParse(args: string[], command: Command): { values: Values; positionals: string[] } | null {
  const { parseArgs } = require('node:util') as typeof import('node:util');
  const options = Object.fromEntries(
    Object.entries(command.options).map(([n, o]) => [n, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch {
    return null;
  }
  const required = command.args.filter((a) => !a.optional).length;
  const variadic = command.args.some((a) => a.variadic);
  if (parsed.positionals.length < required || (!variadic && parsed.positionals.length > command.args.length)) return null;
  const values: Values = {};
  for (const optionName of Object.keys(command.options)) values[optionName] = parsed.values[optionName];
  return { values, positionals: parsed.positionals };
}

/** Parses with commander (every command but the quick path's): see parseCommandArgs. */
export function parseWithCommander(name: string, args: string[], command: Command): { values: Values; positionals: string[] } | { help: string } {
  const end = args.indexOf('--');
  for (let i = 0; i < (end === -1 ? args.length : end) - 1; i++) {
    const optionName = /^--[^=]+$/.test(args[i]!)
      ? args[i]!.slice(2)
      : /^-[^-\d]$/.test(args[i]!)
        ? Object.keys(command.options).find((k) => command.options[k]!.short === args[i]![1])
        : undefined;
    const next = args[i + 1]!;
    if (optionName !== undefined && command.options[optionName]?.type === 'string' && next.startsWith('-') && !DASH_VALUE.test(next)) {
      throw usage(`option --${optionName} needs a value before ${next}; a value that starts with a dash is written --${optionName}=-XYZ (usage: ${command.usage})`);
    }
  }
  const program = commandProgram(name, command);
  try {
    program.parse(args, { from: 'user' });
  } catch (error) {
    const e = error as CommanderError;
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return { help: commandHelp(name, command) };
    const dashValue = /unknown option '(-\d[^']*)'/.exec(e.message)?.[1];
    const hint = dashValue ? `; a value that starts with a dash goes after -- (fieldbook ${name} -- ${dashValue})` : '';
    throw usage(
      `${e.message
        .replace(/^error: /, '')
        .split('\n')
        .join(' ')}${hint} (usage: ${command.usage})`,
    );
  }
  const opts = program.opts();
  const values: Values = {};
  for (const optionName of Object.keys(command.options)) {
    const negated = optionName.startsWith('no-');
    const key = camel(negated ? optionName.slice(3) : optionName);
    if (negated) values[optionName] = opts[key] === false ? true : undefined;
    else values[optionName] = opts[key] === false ? undefined : (opts[key] as Values[string]);
  }
  return { values, positionals: program.args };
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
