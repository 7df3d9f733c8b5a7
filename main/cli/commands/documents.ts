import {
  createDocument,
  currentVersion,
  type MigrationHistory,
  migrationHistory,
  stampDocument,
  salvageDocument,
  type SalvageResult,
  verifyDocuments,
  type VerifyReport,
} from '@fieldbook/engine';
import { EXIT, json, oneArgument, range, TARGET_HELP, usage, type Command } from '../command';
import { writeDemoNotebook } from '../../fieldbook/demo-notebook';

/** `fieldbook current`: currentVersion, printed. */
export const current = oneArgument({
  summary: "print a document's version",
  usage: 'fieldbook current FILE [--json]',
  arg: { name: 'FILE', description: 'the document' },
  call: (file, _values, engine) => currentVersion(file, { engine }),
  print(r, io) {
    io.out(`${r.version}${r.name ? ` (${r.name})` : ''}${r.status === 'current' ? ' (head)' : ` (${r.status})`}`);
  },
});

/** `fieldbook stamp`: stampDocument, printed (a schema that differs is a warning on stderr). */
export const stamp: Command = {
  summary: 'mark a document as being at a version without running migrations',
  usage: 'fieldbook stamp FILE TARGET [--force] [--json]',
  options: {
    force: { type: 'boolean', description: "also stamp an unversioned foreign file or a document from a newer app (never a damaged file or another application's)" },
    json,
  },
  args: [
    { name: 'FILE', description: 'the document' },
    { name: 'TARGET', description: 'the version to record (see TARGET below)' },
  ],
  helpAfter: TARGET_HELP,
  async run([file, target], values, _io, _signal, engine) {
    return stampDocument(file!, target!, { engine, force: values.force === true });
  },
  print(result, io) {
    const r = result as ReturnType<typeof stampDocument>;
    io.out(`${r.path}: stamped at version ${r.to} (was ${r.from})`);
    if (!r.schemaMatches) io.err(`warning: ${r.difference}`);
  },
};

/** `fieldbook new`: createDocument, printed. */
export const create = oneArgument({
  summary: 'create a new document (at head, or at a given version)',
  usage: 'fieldbook new FILE [--at TARGET] [--json]',
  arg: { name: 'FILE', description: 'the document to create (never replaces a file)' },
  options: { at: { type: 'string', value: 'TARGET', description: 'the version to create it at', default: 'head' } },
  helpAfter: TARGET_HELP,
  call: (file, values, engine) => createDocument(file, { engine, at: values.at as string | undefined }),
  print(r, io) {
    io.out(`${r.path}: created at version ${r.version}`);
  },
});

/** `fieldbook demo`: writeDemoNotebook, printed with what to do next. */
export const demo = oneArgument({
  summary: 'write a small, realistic old notebook (Fieldbook 1.0, with awkward values) to try upgrading on',
  usage: 'fieldbook demo FILE [--json]',
  arg: { name: 'FILE', description: 'where to write it (never replaces a file)' },
  call: (file, _values, engine) => writeDemoNotebook(file, engine),
  print(r, io) {
    io.out(`${r.path}: a Fieldbook 1.0 notebook (9 samples at 4 sites, 16 measurements, awkward values included)`);
    io.out(`next: fieldbook upgrade ${JSON.stringify(r.path)}   (backs it up, upgrades it to the newest version, and keeps what it cannot convert as data issues)`);
  },
});

/** `fieldbook history`: migrationHistory, printed. */
export const history: Command = {
  summary: 'list the bundled migrations (number, name, checksum, message, whether down exists)',
  usage: 'fieldbook history [-r FROM:TO] [--verbose] [--json]',
  options: {
    range: {
      type: 'string',
      short: 'r',
      value: 'FROM:TO',
      description: 'only the migrations after version FROM up to TO (what upgrading a document at FROM to TO runs); either side may be empty; FROM after TO is refused',
      default: 'all of them, base:head',
    },
    verbose: { type: 'boolean', description: "also each migration's file and full checksum" },
    json,
  },
  args: [],
  helpAfter: TARGET_HELP,
  async run(_args, values, _io, _signal, engine) {
    const { from, to } = range(values.range as string | undefined, '-r takes');
    return migrationHistory({ engine, from, to, verbose: values.verbose === true });
  },
  print(result, io) {
    const r = result as MigrationHistory;
    if (r.migrations.length === 0) io.out('no migrations in this range');
    for (const m of r.migrations) {
      io.out(`${String(m.version).padStart(4)}  ${m.name.padEnd(32)} ${m.checksum.slice(0, 12)}  ${m.hasDown ? 'down' : 'no down'}  ${m.message}`);
      if (m.path) io.out(`      ${m.path}\n      checksum ${m.checksum}`);
    }
  },
};

/** `fieldbook heads`: the newest bundled migration (Alembic's `heads`; a Fieldbook history never branches, so there is one). */
export const heads: Command = {
  summary: 'show the head: the newest bundled migration, the version new and upgraded documents get',
  usage: 'fieldbook heads [--verbose] [--json]',
  options: { verbose: { type: 'boolean', description: "also the migration's file and full checksum" }, json },
  args: [],
  async run(_args, values, _io, _signal, engine) {
    const { head, migrations } = migrationHistory({ engine, verbose: values.verbose === true });
    return { heads: migrations.filter((m) => m.version === head) };
  },
  print(result, io) {
    const { heads: list } = result as { heads: MigrationHistory['migrations'] };
    if (list.length === 0) io.out('no migrations: documents stay at base (version 0)');
    for (const m of list) {
      io.out(`${String(m.version).padStart(4)}  ${m.name} (head)  ${m.message}`);
      if (m.path) io.out(`      ${m.path}\n      checksum ${m.checksum}`);
    }
  },
};

/** `fieldbook verify`: verifyDocuments, printed; exit 3 when any file is damaged or could not be checked. */
export const verify: Command = {
  summary: 'check documents for damage (quick_check and the schema; integrity_check with --full); changes nothing',
  usage: 'fieldbook verify PATH... [--full] [--recursive] [--json]',
  options: {
    full: { type: 'boolean', description: 'integrity_check instead of quick_check (also finds an index that disagrees with its table; slower)' },
    recursive: { type: 'boolean', short: 'r', description: 'also look in the folders inside the folders given' },
    json,
  },
  args: [{ name: 'PATH', variadic: true, description: 'documents, and folders whose *.fieldbook files are checked' }],
  async run(paths, values, io, signal, engine) {
    const live = io.isTerminal && !values.json;
    return verifyDocuments(paths, {
      engine,
      full: values.full === true,
      recursive: values.recursive === true,
      signal,
      onFile: live ? (f) => io.err(`${f.verdict.padEnd(14)} ${f.path}`) : undefined,
    });
  },
  print(result, io) {
    const r = result as VerifyReport;
    for (const f of r.files) {
      if (f.verdict === 'ok') continue;
      io.out(`${f.verdict}: ${f.path}${f.problem ? `: ${f.problem.code}: ${f.problem.message}` : ''}`);
    }
    const t = r.totals;
    io.out(
      `${t.ok} ok, ${t.damaged} damaged, ${t.failed} could not be checked${t.notDocuments ? `, ${t.notDocuments} not documents of this app` : ''}${r.interrupted ? ' (interrupted)' : ''}`,
    );
  },
  exitCode: (result) => ((result as VerifyReport).ok ? EXIT.ok : EXIT.document),
};

/** `fieldbook salvage`: salvageDocument, printed. */
export const salvage: Command = {
  summary: 'read what can be read of a damaged document into a new one (at head); the source is never written',
  usage: 'fieldbook salvage SOURCE --out DEST [--overwrite] [--json]',
  options: {
    out: { type: 'string', value: 'DEST', description: 'the new document to write', required: true },
    overwrite: { type: 'boolean', description: 'replace DEST if it exists (atomically; never SOURCE itself)' },
    json,
  },
  args: [{ name: 'SOURCE', description: 'the damaged document (only read)' }],
  async run([source], values, _io, _signal, engine) {
    if (typeof values.out !== 'string') throw usage('salvage needs --out DEST');
    return salvageDocument(source!, values.out, { engine, overwrite: values.overwrite === true });
  },
  print(result, io) {
    const r = result as SalvageResult;
    io.out(`${r.destination}: ${r.recovered} rows recovered from ${r.source} (read as version ${r.sourceVersion}, now at ${r.version})`);
    if (r.repairedHeader.length) io.out(`  repaired in a private copy: ${r.repairedHeader.join(', ')}`);
    for (const t of r.tables) {
      const lost = t.lost.length
        ? `, rows lost in rowids ${t.lost
            .map(([a, b]) => (a === b ? `${a}` : `${a <= -Number.MAX_SAFE_INTEGER ? '' : a}-${b >= Number.MAX_SAFE_INTEGER ? '' : b}`))
            .join(' ')
            .replace(/^-$/, 'all')}`
        : '';
      const orphans = t.orphans ? `, ${t.orphans} left out (their parent row was lost)` : '';
      const unlinked = t.unlinked ? `, ${t.unlinked} kept without their link to a lost row` : '';
      const placeholders = t.placeholders ? `, ${t.placeholders} placeholder rows for lost rows others refer to` : '';
      io.out(`  ${t.name}: ${t.unreadable ? `not read: ${t.unreadable}` : `${t.recovered} rows${lost}${orphans}${unlinked}${placeholders}`}`);
    }
  },
};
