import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Values } from './command';

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
export function parseCommandArgs(args: string[], options: NonNullable<ParseArgsConfig['options']>): { values: Values; positionals: string[] } {
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
