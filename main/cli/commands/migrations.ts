import * as path from 'node:path';
import { confirmedDowngrade, describeLoss, type DowngradePlan, type DowngradeResult, type MigrateResult, upgradePaths, type UpgradeManyProgress, type UpgradeManySummary } from '@fieldbook/engine';
import { EXIT, backupOptions, backupSetting, json, stepProgress, usage, warnAboutStorage, type Command, type Io, type Values } from '../command';

/** An upgrade's or downgrade's result as `--json` prints it. */
export function migrationJson(r: MigrateResult | DowngradeResult): object {
  return { path: r.path, from: r.from, to: r.to, backup: r.backup, adopted: r.adopted, applied: r.applied, ...('lost' in r ? { lost: r.lost } : {}) };
}

/** An upgrade's or downgrade's result as a person reads it. */
export function printMigration(result: unknown, io: Io): void {
  const r = result as MigrateResult;
  if (r.applied.length === 0 && !r.adopted) io.out(`${r.path}: already at version ${r.to}, nothing to do`);
  else io.out(`${r.path}: version ${r.from} → ${r.to}${r.adopted ? ' (adopted an unversioned 0.9 document)' : ''}` +
    (r.applied.length ? `, ${r.applied.length} step${r.applied.length > 1 ? 's' : ''} (${r.applied.map((s) => s.name).join(', ')})` : ''));
  if (r.backup) io.out(`backup: ${r.backup}`);
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
  usage: 'fieldbook upgrade PATH... [--recursive] [--to TARGET] [--backup-dir DIR | --no-backup] [--json]',
  options: { json, to: { type: 'string' }, recursive: { type: 'boolean', short: 'r' }, ...backupOptions },
  positionals: [1, Infinity],
  async run(paths, values, io, signal, engine) {
    warnAboutStorage(paths, io);
    const line = progressLine(io, values);
    try {
      const result = await upgradePaths(paths, {
        engine, to: values.to as string | undefined, backup: backupSetting(values), recursive: values.recursive === true,
        onStep: stepProgress(io, values), onProgress: line?.update, signal,
      });
      return isSummary(result) ? result : migrationJson(result);
    } finally {
      line?.end();
    }
  },
  print(result, io) {
    if (isSummary(result)) printSummary(result, io);
    else printMigration(result, io);
  },
  exitCode(result) {
    return isSummary(result) && !result.ok ? EXIT.document : EXIT.ok;
  },
};

function isSummary(result: unknown): result is UpgradeManySummary {
  return typeof result === 'object' && result !== null && 'files' in result && 'totals' in result;
}

function printSummary(s: UpgradeManySummary, io: Io): void {
  const t = s.totals;
  const seconds = (s.durationMs / 1000).toFixed(1);
  io.out(`upgraded ${t.upgraded}, already current ${t.current}, skipped ${t.skipped}, failed ${t.failed}` +
    ` (${seconds} s${s.workers ? `, ${s.workers} worker${s.workers > 1 ? 's' : ''}` : ''})`);
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
      const text = p.phase === 'checking'
        ? `checking ${p.done}/${p.total} ${clip(name)}`
        : `upgrading ${p.done}/${p.total} (${p.running} running) ${clip(name)}`;
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
  usage: 'fieldbook downgrade FILE --to TARGET [--yes] [--backup-dir DIR | --no-backup] [--json]',
  options: { json, to: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, ...backupOptions },
  positionals: [1, 1],
  async run([file], values, io, signal, engine) {
    if (typeof values.to !== 'string') throw usage('downgrade needs --to TARGET');
    warnAboutStorage([file!], io);
    const ask = values.yes === true || values.json ? undefined : io.ask;
    return migrationJson(await confirmedDowngrade(file!, {
      engine, to: values.to, backup: backupSetting(values), onStep: stepProgress(io, values), signal, acceptLoss: values.yes === true,
      confirmLoss: ask && ((plan) => confirmLoss(io, ask, plan, signal)),
    }));
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
