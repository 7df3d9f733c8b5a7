import { parseArgs, type ParseArgsConfig } from 'node:util';
import { classifyDocument, type Classification } from '../engine/classify';
import { createDocument } from '../engine/create';
import { fieldbookAppVersion, fieldbookEngine } from '../engine/engine';
import { FieldbookError, type ErrorCode } from '../engine/errors';
import { listMigrations } from '../engine/list-migrations';
import { downgradeDocument, upgradeDocument, type MigrateResult } from '../engine/migrate';
import { stampDocument } from '../engine/stamp';

/**
 * The `fieldbook` command line: a thin adapter over the engine's functions. Each command parses
 * its arguments, calls one function and prints its result (JSON with --json).
 *
 * Exit codes: 0 success; 1 unexpected internal error; 2 usage error (bad arguments or target);
 * 3 the document cannot be used or changed (the error's code says why); 4 the installation's
 * bundled migrations are broken.
 */
export const EXIT = { ok: 0, internal: 1, usage: 2, document: 3, installation: 4 } as const;

interface Io {
  out(text: string): void;
  err(text: string): void;
  isTerminal: boolean;
}

type Values = Record<string, string | boolean | string[] | undefined>;

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals: [min: number, max: number];
  run(args: string[], values: Values, io: Io): Promise<unknown>;
  print(result: unknown, io: Io): void;
}

const json = { type: 'boolean' } as const;
const backupOptions = { 'backup-dir': { type: 'string' }, 'no-backup': { type: 'boolean' } } as const;

function backupSetting(values: Values): boolean | string {
  if (values['no-backup'] && values['backup-dir']) throw usage('use either --backup-dir or --no-backup');
  if (values['no-backup']) return false;
  return typeof values['backup-dir'] === 'string' ? values['backup-dir'] : true;
}

function progress(io: Io, values: Values) {
  return io.isTerminal && !values.json
    ? (s: { name: string; direction: string; index: number; total: number }) => io.err(`  [${s.index + 1}/${s.total}] ${s.direction === 'up' ? 'applying' : 'reverting'} ${s.name}`)
    : undefined;
}

function printMigration(result: unknown, io: Io): void {
  const r = result as MigrateResult;
  if (r.applied.length === 0 && !r.adopted) io.out(`${r.path}: already at version ${r.to}, nothing to do`);
  else io.out(`${r.path}: version ${r.from} → ${r.to}${r.adopted ? ' (adopted an unversioned 0.9 document)' : ''}` +
    (r.applied.length ? `, ${r.applied.length} step${r.applied.length > 1 ? 's' : ''} (${r.applied.map((s) => s.name).join(', ')})` : ''));
  if (r.backup) io.out(`backup: ${r.backup}`);
}

function migrationJson(r: MigrateResult): object {
  return { path: r.path, from: r.from, to: r.to, backup: r.backup, adopted: r.adopted, applied: r.applied };
}

function infoJson(c: Classification): object {
  return {
    path: c.path, status: c.status, version: c.version, head: c.head, applicationId: c.applicationId,
    applied: c.applied.map((a) => ({ version: a.version, name: a.name, checksum: a.checksum, appliedAt: a.appliedAt, appVersion: a.appVersion, durationMs: a.durationMs, method: a.method })),
    problem: c.problem,
  };
}

const commands: Record<string, Command> = {
  info: {
    summary: 'identify a document: status, version, applied migrations',
    usage: 'fieldbook info FILE [--check] [--json]',
    options: { json, check: { type: 'boolean' } },
    positionals: [1, 1],
    async run([file], values) {
      return infoJson(classifyDocument(file!, { check: values.check ? 'quick' : 'none' }));
    },
    print(result, io) {
      const c = result as ReturnType<typeof infoJson> & Classification;
      io.out(`${c.path}: ${c.status}${c.version !== null ? ` (version ${c.version}, head ${c.head})` : ''}`);
      if (c.applicationId !== null) io.out(`application_id: 0x${(c.applicationId >>> 0).toString(16).padStart(8, '0')}`);
      if (c.problem) io.out(`${c.problem.code}: ${c.problem.message}`);
      for (const a of c.applied) io.out(`  ${a.name}  ${a.appliedAt}  app ${a.appVersion}  ${a.method}${a.durationMs !== null ? `  ${a.durationMs} ms` : ''}`);
    },
  },
  current: {
    summary: "print a document's version",
    usage: 'fieldbook current FILE [--json]',
    options: { json },
    positionals: [1, 1],
    async run([file]) {
      const c = classifyDocument(file!);
      if (c.problem && c.status !== 'newer') throw new FieldbookError(c.problem.code, c.problem.message);
      const last = c.applied.at(-1);
      return { path: c.path, version: c.version, name: last?.name ?? null, head: c.head, status: c.status };
    },
    print(result, io) {
      const r = result as { version: number; name: string | null; status: string };
      io.out(`${r.version}${r.name ? ` (${r.name})` : ''}${r.status === 'current' ? ' (head)' : ` (${r.status})`}`);
    },
  },
  upgrade: {
    summary: 'upgrade a document (backup first, all or nothing)',
    usage: 'fieldbook upgrade FILE [--to TARGET] [--backup-dir DIR | --no-backup] [--json]',
    options: { json, to: { type: 'string' }, ...backupOptions },
    positionals: [1, 1],
    async run([file], values, io) {
      return migrationJson(await upgradeDocument(file!, { to: values.to as string | undefined, backup: backupSetting(values), onStep: progress(io, values) }));
    },
    print: printMigration,
  },
  downgrade: {
    summary: 'downgrade a document through down migrations (backup first, all or nothing)',
    usage: 'fieldbook downgrade FILE --to TARGET [--backup-dir DIR | --no-backup] [--json]',
    options: { json, to: { type: 'string' }, ...backupOptions },
    positionals: [1, 1],
    async run([file], values, io) {
      if (typeof values.to !== 'string') throw usage('downgrade needs --to TARGET');
      return migrationJson(await downgradeDocument(file!, { to: values.to, backup: backupSetting(values), onStep: progress(io, values) }));
    },
    print: printMigration,
  },
  stamp: {
    summary: 'mark a document as being at a version without running migrations',
    usage: 'fieldbook stamp FILE TARGET [--force] [--json]',
    options: { json, force: { type: 'boolean' } },
    positionals: [2, 2],
    async run([file, target], values) {
      return stampDocument(file!, target!, { force: values.force === true });
    },
    print(result, io) {
      const r = result as ReturnType<typeof stampDocument>;
      io.out(`${r.path}: stamped at version ${r.to} (was ${r.from})`);
      if (!r.schemaMatches) io.err(`warning: ${r.difference}`);
    },
  },
  new: {
    summary: 'create a new document (at head, or at a given version)',
    usage: 'fieldbook new FILE [--at TARGET] [--json]',
    options: { json, at: { type: 'string' } },
    positionals: [1, 1],
    async run([file], values) {
      return createDocument(file!, { at: values.at as string | undefined });
    },
    print(result, io) {
      const r = result as ReturnType<typeof createDocument>;
      io.out(`${r.path}: created at version ${r.version}`);
    },
  },
  history: {
    summary: 'list the bundled migrations',
    usage: 'fieldbook history [--json]',
    options: { json },
    positionals: [0, 0],
    async run() {
      return { head: fieldbookEngine().migrations.head, migrations: listMigrations().map(({ path: _p, ...m }) => m) };
    },
    print(result, io) {
      const r = result as { migrations: ReturnType<typeof listMigrations> };
      for (const m of r.migrations) io.out(`${String(m.version).padStart(4)}  ${m.name.padEnd(32)} ${m.checksum.slice(0, 12)}  ${m.hasDown ? 'down' : 'no down'}  ${m.message}`);
    },
  },
};

function usage(message: string): FieldbookError {
  return new FieldbookError('USAGE', message);
}

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

function exitCodeFor(code: ErrorCode): number {
  if (code === 'USAGE' || code === 'BAD_TARGET') return EXIT.usage;
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
    return EXIT.ok;
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
