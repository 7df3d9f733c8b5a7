import { spawn, type ChildProcess } from 'node:child_process';
import path = require('node:path');

/**
 * The trials `bench/trial.ts` knows, with their arguments. Every trial runs in a fresh Node
 * process so that no trial profits from another's warm caches, JIT or loaded modules.
 */
export type TrialKind =
  | 'classify-engine' // <document> <warm calls>
  | 'classify-minimal' // <document> <warm calls>
  | 'capture-classify' // <document> <calls.json>: classifies once, recording its better-sqlite3 calls
  | 'classify-by-hand' // <document> <warm calls> <calls.json> [sql-only]: without 'sql-only', the document's file checks too
  | 'upgrade-engine' // <document>
  | 'upgrade-by-hand' // <document> <calls.json>
  | 'upgrade-statements-by-hand' // <document> <statements.json>
  | 'capture-sql' // <document> <statements.json> <calls.json>: upgrades once, writing the statements and calls it made
  | 'backup-engine' // <document> <backup folder>
  | 'copy-file' // <document> <destination>
  | 'copy-file-fsync' // <document> <destination>
  | 'subset-engine' // <source> <destination> <selection JSON>
  | 'subset-by-hand' // <source> <destination> <selection JSON>
  | 'write-version1-document' // <document> <samples> <measurements per sample>: set-up, not a measurement
  | 'prepare-subset-source' // <1.0 document>: upgrades it in place and adds rows (subset-source.ts); set-up
  | 'salvage-corpus'; // <1.0 document> <folder>: damages copies of it and salvages each (salvage-corpus.ts)

/** The one JSON line a trial process prints. */
export interface TrialResult {
  /** Duration of the measured operation, ms (the cold, first call for classify trials). */
  ms: number;
  /** Classify trials: median duration of the warm calls after the first, ms. */
  warmMs?: number;
  /** `process.resourceUsage().maxRSS` of the trial process at its end, KB. */
  rssKB: number;
  /** Upgrade trials: the engine's per-step durations; subset trials: per-phase durations, ms. */
  steps?: { name: string; durationMs: number }[];
  /**
   * Engine upgrade trials: the checksums of the migrations the engine ran, joined. Trials that
   * are compared must agree on it (see assertSameMigrations).
   */
  migrations?: string;
  /** The salvage-corpus trial: what each damaged file gave. */
  salvage?: import('./salvage-corpus').SalvageCase[];
}

const TRIAL_SCRIPT = path.join(__dirname, 'trial.js');

/**
 * `env` without the compile cache (NODE_DISABLE_COMPILE_CACHE=1): a process's first run. Every
 * set-up trial runs so. An entry of the cache holds the code its first process compiled, and is
 * used as it is by every later one: set-up that loads engine modules without running them (the
 * 1.0 document's writer) would leave entries without the code of the operations measured, which
 * then compile it afresh in every trial (about 6 ms of figure 2a); set-up that runs them another
 * way (the trials that record the SQL an operation makes, with better-sqlite3 and fs wrapped)
 * leaves entries that make later trials slower too (figure 1 warm about 8%). Measured trials fill
 * the cache, as the commands a user runs fill theirs.
 */
export function withoutCompileCache(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_DISABLE_COMPILE_CACHE: '1' };
}

/**
 * Runs one trial in a fresh `node` process and returns what it printed.
 * @throws Error carrying the trial's stderr when it exits non-zero or prints no result; a bench
 *   whose trials fail has no figures to report.
 */
export async function runTrial(kind: TrialKind, args: readonly string[], env: NodeJS.ProcessEnv): Promise<TrialResult> {
  const { code, stdout, stderr } = await runNode([TRIAL_SCRIPT, kind, ...args], env);
  const line = stdout.trim().split('\n').at(-1);
  if (code !== 0 || !line) throw new Error(`trial ${kind} ${args.join(' ')} failed (exit ${code}):\n${stderr || '(no output)'}`);
  return JSON.parse(line) as TrialResult;
}

const running = new Set<ChildProcess>();

/**
 * Runs `node <args>` to completion, collecting its output. Asynchronous so that this process
 * keeps handling signals while a trial runs (see stopRunningProcesses).
 */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      running.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code: code ?? signal ?? 'unknown', stdout, stderr });
    });
  });
}

/** Kills the trial processes still running (when the bench is interrupted). */
export function stopRunningProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs `count` rounds of one measurement per side, rotating which side goes first, so that
 * drift during the run (page cache, thermal state, other load) favours no side. Returns each
 * side's results in the order of `sides`.
 */
export async function rotatingTrials<T>(count: number, sides: readonly ((round: number) => Promise<T>)[]): Promise<T[][]> {
  const results: T[][] = sides.map(() => []);
  for (let round = 0; round < count; round++) {
    for (let i = 0; i < sides.length; i++) {
      const side = (round + i) % sides.length;
      results[side]!.push(await sides[side]!(round));
    }
  }
  return results;
}

/** rotatingTrials of two sides. */
export async function pairedTrials<T>(count: number, first: (round: number) => Promise<T>, second: (round: number) => Promise<T>): Promise<{ first: T[]; second: T[] }> {
  const [a, b] = await rotatingTrials(count, [first, second]);
  return { first: a!, second: b! };
}

/**
 * Checks that upgrade trials ran the same bundled migrations. Fieldbook is rebuilt while people
 * work; a rebuild in the middle of a run would compare one version of the SQL with another.
 * @throws Error naming the differing sets
 */
export function assertSameMigrations(trials: readonly TrialResult[]): void {
  const seen = new Set(trials.map((t) => t.migrations));
  if (seen.size > 1) {
    throw new Error(`the bundled migrations changed during the run (was dist/ rebuilt?); run the bench again. Seen: ${[...seen].join(' | ')}`);
  }
}
