import path = require('node:path');
import {
  confirmedDowngrade,
  describeLoss,
  type DowngradePlan,
  type DowngradeResult,
  type Engine,
  type FileOutcome,
  type MigrateResult,
  upgradePaths,
  type UpgradeManyProgress,
  type UpgradeManySummary,
} from '@fieldbook/engine';
import { dataIssuesKept } from '../../fieldbook/data-issues-kept';
import { EXIT, backupOptions, backupSetting, json, stepProgress, TARGET_HELP, usage, warnAboutStorage, type Command, type Io, type Values } from '../command';
import { splitTarget } from '../positional-target';

/** An upgrade's or downgrade's result as `--json` prints it (an upgrade's with `dataIssues`: the values it kept as data issues). */
export function migrationJson(r: MigrateResult | DowngradeResult, dataIssues?: number): object {
  return {
    path: r.path,
    from: r.from,
    to: r.to,
    backup: r.backup,
    adopted: r.adopted,
    applied: r.applied,
    ...('lost' in r ? { lost: r.lost } : {}),
    ...(dataIssues === undefined ? {} : { dataIssues }),
  };
}

/** What the upgrade from `from` to `to` kept in data_issues, said so that people know where to look. */
function dataIssuesLine(count: number, file: string): string {
  if (count === 0) return 'data issues: none (every value was carried over)';
  return `${keptLine(count)} (Data issues in the app, or: sqlite3 ${JSON.stringify(file)} 'SELECT * FROM data_issues WHERE NOT resolved')`;
}

function keptLine(count: number): string {
  return `data issues: ${count} value${count === 1 ? '' : 's'} could not be converted and ${count === 1 ? 'was' : 'were'} kept as ${count === 1 ? 'it was' : 'they were'}`;
}

/** An upgrade's or downgrade's result as a person reads it. */
export function printMigration(result: unknown, io: Io): void {
  const r = result as MigrateResult;
  if (r.applied.length === 0 && !r.adopted) io.out(`${r.path}: already at version ${r.to}, nothing to do`);
  else
    io.out(
      `${r.path}: version ${r.from} → ${r.to}${r.adopted ? ' (adopted an unversioned 0.9 document)' : ''}` +
        (r.applied.length ? `, ${r.applied.length} step${r.applied.length > 1 ? 's' : ''} (${r.applied.map((s) => s.name).join(', ')})` : ''),
    );
  if (r.backup) io.out(`backup: ${r.backup}`);
  const dataIssues = (r as { dataIssues?: number }).dataIssues;
  if (dataIssues !== undefined && r.applied.length) io.out(dataIssuesLine(dataIssues, r.path));
  const lost = (r as Partial<DowngradeResult>).lost;
  if (lost && r.applied.length) io.out(lost.length ? `lost: ${describeLoss(lost)}` : 'nothing lost');
}

/**
 * `upgrade FILE` upgrades one document; several paths, a folder or `--recursive` upgrade every
 * document found, each independently, and the result is a summary (see upgradePaths). The exit
 * code is 0 only when no file failed (files that are not documents are skipped and do not count).
 */
export const upgrade: Command = {
  summary: 'upgrade documents (backup first, all or nothing per document); several files or folders at once',
  usage: 'fieldbook upgrade PATH... [TARGET] [--recursive] [--to TARGET] [--backup-dir DIR | --no-backup] [--json]',
  options: {
    to: { type: 'string', value: 'TARGET', description: 'the version to upgrade to (also the last positional, as in Alembic: upgrade FILE head)', default: 'head' },
    recursive: { type: 'boolean', short: 'r', description: 'also look in the folders inside the folders given' },
    ...backupOptions,
    json,
  },
  args: [
    {
      name: 'PATH',
      variadic: true,
      description:
        'documents, and folders whose *.fieldbook files are upgraded; the last one is the TARGET when no file of that name exists and it reads as one (a name that is both is refused: --to 3, or ./3)',
    },
  ],
  helpAfter: TARGET_HELP,
  async run(positionals, values, io, signal, engine) {
    const { paths, to } = splitTarget('upgrade', positionals, values.to as string | undefined, engine);
    warnAboutStorage(paths, io);
    const line = progressLine(io, values);
    let result: MigrateResult | UpgradeManySummary;
    try {
      result = await upgradePaths(paths, {
        engine,
        to,
        backup: backupSetting(values),
        recursive: values.recursive === true,
        onStep: stepProgress(io, values),
        onProgress: line?.update,
        signal,
      });
    } finally {
      line?.end();
    }
    return 'files' in result ? withDataIssues(result, engine) : migrationJson(result, await dataIssuesKept(result.path, result.from, result.to, engine));
  },
  print(result, io) {
    if (isSummary(result)) printSummary(result, io);
    else printMigration(result, io);
  },
  exitCode(result) {
    return isSummary(result) && !result.ok ? EXIT.document : EXIT.ok;
  },
};

/** A batch's summary as the CLI prints it: each upgraded file with the values it kept as data issues, and their total. */
type Summary = Omit<UpgradeManySummary, 'totals' | 'files'> & {
  totals: UpgradeManySummary['totals'] & { dataIssues: number };
  files: (FileOutcome & { dataIssues?: number })[];
};

async function withDataIssues(s: UpgradeManySummary, engine: Engine): Promise<Summary> {
  const files: Summary['files'] = [];
  for (const f of s.files) files.push(f.outcome === 'upgraded' ? { ...f, dataIssues: await dataIssuesKept(f.path, f.from!, f.to!, engine) } : f);
  return { ...s, totals: { ...s.totals, dataIssues: files.reduce((sum, f) => sum + (f.dataIssues ?? 0), 0) }, files };
}

function isSummary(result: unknown): result is Summary {
  return typeof result === 'object' && result !== null && 'files' in result && 'totals' in result;
}

function printSummary(s: Summary, io: Io): void {
  const t = s.totals;
  const seconds = (s.durationMs / 1000).toFixed(1);
  io.out(
    `upgraded ${t.upgraded}, already current ${t.current}, skipped ${t.skipped}, failed ${t.failed}` +
      ` (${seconds} s${s.workers ? `, ${s.workers} worker${s.workers > 1 ? 's' : ''}` : ''})`,
  );
  if (t.dataIssues)
    io.out(
      `${keptLine(t.dataIssues)} (${s.files
        .filter((f) => f.dataIssues)
        .map((f) => `${path.basename(f.path)}: ${f.dataIssues}`)
        .join(', ')})`,
    );
  const failed = s.files.filter((f) => f.outcome === 'failed');
  const skipped = s.files.filter((f) => f.outcome === 'skipped');
  if (failed.length) io.out(['failed:', ...failed.map((f) => `  ${f.path}: ${f.error!.code}: ${f.error!.message}`)].join('\n'));
  if (skipped.length) io.out(['skipped (not Fieldbook documents):', ...skipped.map((f) => `  ${f.path}: ${f.reason}`)].join('\n'));
}

/**
 * One line on stderr that rewrites itself (`upgrading 3/12 (2 running) notes.fieldbook`), for
 * people at a terminal; none with --json or when stderr is not a terminal. Io writes whole
 * lines, so each repaint moves the cursor back up over the previous one; the last ends with a
 * newline. Repaints are spaced at least 50 ms apart (the last one always shows).
 */
function progressLine(io: Io, values: Values): { update(p: UpgradeManyProgress): void; end(): void } | null {
  if (!io.isTerminal || values.json) return null;
  let shown = false;
  let last = 0;
  let pending: string | null = null;
  const paint = (text: string) => {
    io.err(`${shown ? '\x1b[1A' : ''}\r\x1b[2K${text}`);
    shown = true;
    last = Date.now();
    pending = null;
  };
  return {
    update(p) {
      const name = path.basename(p.path);
      const text = p.phase === 'checking' ? `checking ${p.done}/${p.total} ${clip(name)}` : `upgrading ${p.done}/${p.total} (${p.running} running) ${clip(name)}`;
      if (Date.now() - last >= 50) paint(text);
      else pending = text;
    },
    end() {
      if (pending) paint(pending);
    },
  };
}

function clip(name: string): string {
  return name.length > 40 ? `${name.slice(0, 39)}…` : name;
}

/**
 * `downgrade FILE --to TARGET` lists what the downgrade would lose before writing anything. A
 * lossless downgrade just runs. A lossy one runs with `--yes`; without it, on a terminal (and
 * without --json) it asks "Downgrade and lose this? [y/N]" and runs only on yes, accepting no
 * more than the list shown; otherwise it fails with DATA_LOSS and the file is unchanged.
 */
export const downgrade: Command = {
  summary: 'downgrade a document through down migrations (lists what it loses and asks first; backup first, all or nothing)',
  usage: 'fieldbook downgrade FILE (TARGET | --to TARGET) [--yes] [--backup-dir DIR | --no-backup] [--json]',
  options: {
    to: { type: 'string', value: 'TARGET', description: 'the version to go back to (or the second positional, as in Alembic: downgrade FILE -1)', required: true },
    yes: { type: 'boolean', short: 'y', description: 'accept losing what the older version cannot hold, without asking' },
    ...backupOptions,
    json,
  },
  args: [
    { name: 'FILE', description: 'the document' },
    { name: 'TARGET', optional: true, description: 'the version to go back to, instead of --to' },
  ],
  helpAfter: TARGET_HELP,
  async run(positionals, values, io, signal, engine) {
    const {
      paths: [file],
      to,
    } = splitTarget('downgrade', positionals, values.to as string | undefined, engine);
    if (to === undefined) throw usage('downgrade needs a target: fieldbook downgrade FILE TARGET, or --to TARGET');
    warnAboutStorage([file!], io);
    const ask = values.yes === true || values.json ? undefined : io.ask;
    return migrationJson(
      await confirmedDowngrade(file!, {
        engine,
        to,
        backup: backupSetting(values),
        onStep: stepProgress(io, values),
        signal,
        acceptLoss: values.yes === true,
        confirmLoss: ask && ((plan) => confirmLoss(io, ask, plan, signal)),
      }),
    );
  },
  print: printMigration,
};

/** Shows the loss on stderr and asks; true only for y or yes (Ctrl-C, Ctrl-D or a signal answer no). */
async function confirmLoss(io: Io, ask: NonNullable<Io['ask']>, plan: DowngradePlan, signal: AbortSignal): Promise<boolean> {
  io.err(`downgrading ${plan.path} from version ${plan.from} to ${plan.to} loses:`);
  for (const l of plan.lost) io.err(`  ${l.table}${l.column ? `.${l.column}` : ''}: ${l.rows} row${l.rows === 1 ? '' : 's'}`);
  const answer = await ask('Downgrade and lose this? [y/N] ', signal);
  return /^y(es)?$/i.test(answer?.trim() ?? '');
}
