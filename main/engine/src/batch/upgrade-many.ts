import os = require('node:os');
import { backupFolderSetting } from '../documents/backup';
import { classifyDocument, statDocument, type Classification } from '../documents/classify';
import { isOpenInThisProcess } from '../sqlite/connection';
import { engineSettings, type Engine } from '../engine';
import { FieldbookError } from '../errors';
import { fileFailure, type FileFailure } from './file-failure';
import { findDocuments, type FoundPath } from './find-documents';
import type { MigrationStep } from '../documents/migrate';
import { resolveTarget, type Target } from '../migrations/targets';
import { epochMs, runUpgradePool, type UpgradeJob, type UpgradeReply } from './upgrade-pool';

export type { FileFailure } from './file-failure';

/** Options of upgradeMany. */
export interface UpgradeManyOptions {
  /** Target version for every document (default head). Relative targets (`+1`) are per document. */
  to?: Target;
  /** As upgradeDocument's `backup`: true (default) backs up to the engine's folder, a string to that folder, false not at all. */
  backup?: boolean | string;
  /** Also look in the subfolders of the folders given (default false). */
  recursive?: boolean;
  /** Most documents upgraded at once (default `os.availableParallelism()`). */
  concurrency?: number;
  /** The app's engine; each worker thread rebuilds it from its plain settings (engineSettings). */
  engine: Engine;
  /** Called as files are checked and as upgrades start and finish. */
  onProgress?: (progress: UpgradeManyProgress) => void;
  /** The worker script (default: the one beside this file); for apps that bundle the engine. */
  workerFile?: string;
  /**
   * Cancels the run: documents not started are `failed` with ABORTED (untouched), running
   * upgrades stop at their next safe point and roll back (ABORTED) unless they already finished;
   * the summary is returned as usual (their failures carry the code ABORTED).
   */
  signal?: AbortSignal;
}

/** What upgradeMany reports to `onProgress` as files are checked and upgrades start and finish. */
export interface UpgradeManyProgress {
  /** `checking`: classifying the files found; `upgrading`: upgrades in worker threads. */
  phase: 'checking' | 'upgrading';
  /** Files checked, or upgrades finished. */
  done: number;
  /** Files to check, or documents to upgrade. */
  total: number;
  /** Upgrades handed to a worker and not finished (always 0 while checking). */
  running: number;
  /** The file just checked, or the document whose upgrade just started or finished. */
  path: string;
  /** Set when an upgrade finished. */
  outcome?: FileOutcome;
}

/**
 * What happened to one file:
 * - `upgraded`: moved to the target version (`from`, `to`, `backup`, `applied`, `adopted`);
 * - `current`: a document of the engine's app already at the target; nothing was done;
 * - `skipped`: not a document of the engine's app (another app's database, not SQLite at all); `reason`;
 * - `failed`: a document of the app (or a path asked for) that could not be brought to the
 *   target: missing, from a newer app, damaged, locked, read-only, a failed migration; `error`.
 */
export interface FileOutcome {
  path: string;
  outcome: 'upgraded' | 'current' | 'skipped' | 'failed';
  from?: number;
  to?: number;
  backup?: string | null;
  adopted?: boolean;
  applied?: MigrationStep[];
  error?: FileFailure;
  reason?: string;
  /** Other paths given or found that name the same file (it was handled once). */
  alsoNamedAs?: string[];
  /** Which worker thread upgraded it and when, in ms from the start of the batch. */
  worker?: { threadId: number; startMs: number; endMs: number };
}

/** What upgradeMany did, file by file. */
export interface UpgradeManySummary {
  /** True when no file failed: every document of the app found is now at the target. */
  ok: boolean;
  totals: { upgraded: number; current: number; skipped: number; failed: number };
  /** Worker threads started at once (0 when nothing needed upgrading). */
  workers: number;
  durationMs: number;
  /** One entry per file, in the order the paths were given and found (folders sorted by name). */
  files: FileOutcome[];
}

/**
 * Upgrades every document of the engine's app among `paths` (files, and files with the engine's
 * document extension in folders;
 * see findDocuments), each independently: one document's failure never stops the others, and
 * each upgrade is upgradeDocument's own all-or-nothing transaction with its backup.
 *
 * The files are classified first, in this thread (cheap: header, pragmas and version table);
 * then the documents that need it are upgraded in a pool of worker threads, at most
 * `concurrency` at once. Classification finishes before any worker starts, and two paths naming
 * one file are merged first, so a file is never open in two threads (closing a descriptor on a
 * file another thread's SQLite has open would drop SQLite's locks on it). The backup folder is
 * not searched inside folders: its files are old versions on purpose.
 *
 * Never throws for what happens to a file; every file gets an outcome.
 * @throws FieldbookError BAD_TARGET when `to` means nothing for any document (a relative
 *   target that is out of range for one document fails only that document); BAD_MIGRATIONS
 *   when the bundled migrations' manifest cannot be read; BACKUP_FAILED for an empty backup folder name
 */
export async function upgradeMany(paths: readonly string[], options: UpgradeManyOptions): Promise<UpgradeManySummary> {
  const began = epochMs();
  const engine = options.engine;
  const settings = engineSettings(engine);
  const names = engine.migrations.migrations.map((m) => m.name);
  const relativeTarget = options.to !== undefined && /^\s*[+-]\d+\s*$/.test(String(options.to));
  const fixedTarget = options.to === undefined ? names.length : relativeTarget ? null : resolveTarget(options.to, names, null);
  const backup = options.backup ?? true;
  const backupFolder = backupFolderSetting(backup, engine.backupDir);

  const found = findDocuments(paths, { extension: engine.documentExtension, recursive: options.recursive, excludeFolders: backupFolder ? [backupFolder] : [] });
  const outcomes: FileOutcome[] = [];
  const byKey = new Map<string, FileOutcome>();
  const jobs: UpgradeJob[] = [];
  const jobOutcomes: FileOutcome[] = [];
  const outcomeOf = (item: FoundPath): FileOutcome => {
    if (item.kind === 'problem') return { path: item.path, outcome: 'failed', error: item.error };
    if (item.kind === 'broken-link') return { path: item.path, outcome: 'skipped', reason: item.reason };
    const { outcome, upgradeTo } = decide(item.path, engine, names, fixedTarget, options.to);
    if (upgradeTo !== undefined) {
      jobs.push({ id: jobs.length, path: item.path, to: upgradeTo, backup, engine: settings });
      jobOutcomes.push(outcome);
    }
    return outcome;
  };
  let checked = 0;
  for (const item of found) {
    const key = item.kind === 'file' ? item.key : `path:${item.path}`;
    const earlier = byKey.get(key);
    if (earlier) {
      if (earlier.path !== item.path && !earlier.alsoNamedAs?.includes(item.path)) (earlier.alsoNamedAs ??= []).push(item.path);
    } else {
      const outcome = outcomeOf(item);
      byKey.set(key, outcome);
      outcomes.push(outcome);
    }
    options.onProgress?.({ phase: 'checking', done: ++checked, total: found.length, running: 0, path: item.path });
  }

  const size = Math.max(1, Math.min(options.concurrency ?? os.availableParallelism(), jobs.length));
  let running = 0;
  let finished = 0;
  await runUpgradePool(jobs, {
    size,
    workerFile: options.workerFile,
    signal: options.signal,
    onStart(job) {
      running++;
      options.onProgress?.({ phase: 'upgrading', done: finished, total: jobs.length, running, path: job.path });
    },
    onReply(reply) {
      const outcome = jobOutcomes[reply.id]!;
      Object.assign(outcome, fromReply(reply, began));
      running--;
      finished++;
      options.onProgress?.({ phase: 'upgrading', done: finished, total: jobs.length, running, path: outcome.path, outcome });
    },
  });

  const totals = { upgraded: 0, current: 0, skipped: 0, failed: 0 };
  for (const o of outcomes) totals[o.outcome]++;
  return { ok: totals.failed === 0, totals, workers: jobs.length ? size : 0, durationMs: round(epochMs() - began), files: outcomes };
}

/**
 * What to do with one file, from its classification: an outcome now, or an upgrade to run
 * (the outcome is then a placeholder that the worker's reply completes).
 */
function decide(file: string, engine: Engine, names: string[], fixedTarget: number | null, to: Target | undefined): { outcome: FileOutcome; upgradeTo?: number } {
  let c: Classification;
  try {
    // A worker reads the header of the file it upgrades with fs; closing that descriptor would
    // drop the POSIX locks of a connection this thread holds on the same file (sqlite.org
    // howtocorrupt), and that connection would then see its schema change under it.
    if (isOpenInThisProcess(statDocument(file))) {
      throw new FieldbookError('LOCKED', `${file} is open in this app; close it before upgrading it`);
    }
    c = classifyDocument(file, { engine });
  } catch (error) {
    return { outcome: { path: file, outcome: 'failed', error: fileFailure(error) } };
  }
  const problem = c.problem ?? { code: 'DAMAGED' as const, message: `${file} cannot be upgraded (${c.status})` };
  if (c.status === 'foreign' || (c.status === 'damaged' && problem.code === 'NOT_SQLITE')) {
    return { outcome: { path: file, outcome: 'skipped', reason: problem.message } };
  }
  if (c.status !== 'current' && c.status !== 'outdated' && c.status !== 'legacy') {
    return { outcome: { path: file, outcome: 'failed', error: { code: problem.code, message: problem.message } } };
  }
  // As upgradeDocument counts: an unversioned 0.9 document is the version it is adopted as.
  const from = c.status === 'legacy' ? (engine.adoptUnversionedAs ?? 0) : (c.version ?? 0);
  let target: number;
  try {
    target = fixedTarget ?? resolveTarget(to!, names, from);
  } catch (error) {
    return { outcome: { path: file, outcome: 'failed', error: fileFailure(error) } };
  }
  if (target < from) {
    const error = new FieldbookError('BAD_TARGET', `${file} is at version ${from}; use downgrade to go back to ${target}`);
    return { outcome: { path: file, outcome: 'failed', from, error: fileFailure(error) } };
  }
  if (target === from && c.status !== 'legacy') return { outcome: { path: file, outcome: 'current', from, to: target } };
  return { outcome: { path: file, outcome: 'upgraded' }, upgradeTo: target };
}

function fromReply(reply: UpgradeReply, began: number): Partial<FileOutcome> {
  const worker = { threadId: reply.threadId, startMs: round(reply.startedAt - began), endMs: round(reply.finishedAt - began) };
  if (!reply.ok) return { outcome: 'failed', error: reply.error, worker };
  const r = reply.result;
  return { outcome: 'upgraded', from: r.from, to: r.to, backup: r.backup, adopted: r.adopted, applied: r.applied, worker };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
