/**
 * One bench trial, run in its own process: `node dist/bench/trial.js <kind> <args...>` (kinds and
 * arguments in run-trial.ts). Prints one JSON line (a TrialResult) and exits 0, or exits 1 with
 * the error on stderr.
 *
 * Timing covers the operation only: each trial loads its modules first. Both sides of a
 * comparison also load better-sqlite3's native addon first (it is loaded lazily, on the first
 * `new Database`), since that cost is the library's, not the engine's. What the engine does
 * lazily itself, such as reading and verifying its migrations manifest on first use, stays
 * inside the timed cold call: that is what a user waits for. The engine itself (its
 * configuration, which a host makes once at start-up) is made before timing too.
 *
 * A trial starts as the `fieldbook` command does (bin/fieldbook.js): with the engine's compile
 * cache, in the bench's own folder (FIELDBOOK_COMPILE_CACHE, fresh for each bench run; the first
 * trials fill it). NODE_DISABLE_COMPILE_CACHE=1 turns it off, as for the command.
 */
import './trial-host';
import fs = require('node:fs');
import path = require('node:path');
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { median, type TrialKind, type TrialResult } from './run-trial';
import type { SiteSelection } from './subset-source';

type Trial = (args: string[]) => Promise<Omit<TrialResult, 'rssKB'>>;

const trials: Record<TrialKind, Trial> = {
  async 'classify-engine'([file, warm]) {
    const { classifyDocument } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
    await loadSqliteAddon();
    const classify = () => {
      const c = classifyDocument(file!, { engine: fieldbookEngine() });
      if (c.status !== 'current') throw new Error(`expected a current document, got ${c.status}: ${c.problem?.message}`);
    };
    return timeColdAndWarm(classify, Number(warm));
  },

  /**
   * The check without the engine's forged-object scan: open read-only, two pragmas and the
   * version table (figure 1's context line: what the scan of sqlite_schema adds).
   */
  async 'classify-minimal'([file, warm]) {
    const Database = await loadSqliteAddon();
    const classify = () => {
      const db = new Database(file!, { readonly: true, fileMustExist: true });
      try {
        const applicationId = db.pragma('application_id', { simple: true }) as number;
        const version = db.pragma('user_version', { simple: true }) as number;
        const applied = db.prepare('SELECT version, name, checksum FROM fieldbook_migrations ORDER BY version').all();
        if (applicationId === 0 || version === 0 || applied.length !== version) throw new Error(`not a current document: ${file}`);
      } finally {
        db.close();
      }
    };
    return timeColdAndWarm(classify, Number(warm));
  },

  /** Records the better-sqlite3 calls of one classification (sql-recorder.ts), for classify-by-hand. */
  async 'capture-classify'([file, callsFile]) {
    const { classifyDocument } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
    const { recordCalls, writeCalls } = require('./sql-recorder') as typeof import('./sql-recorder');
    const engine = fieldbookEngine();
    const started = performance.now();
    const calls = await recordCalls(file!, () => {
      const c = classifyDocument(file!, { engine });
      if (c.status !== 'current') throw new Error(`expected a current document, got ${c.status}: ${c.problem?.message}`);
    });
    writeCalls(callsFile!, calls);
    return { ms: performance.now() - started };
  },

  /** The same SQL and file checks by hand (or, `sql-only`, the SQL alone): the calls capture-classify recorded, replayed. */
  async 'classify-by-hand'([file, warm, callsFile, only]) {
    const { readCalls, compileReplay } = require('./sql-recorder') as typeof import('./sql-recorder');
    await loadSqliteAddon();
    const replay = compileReplay(file!, readCalls(callsFile!), { withFileChecks: only !== 'sql-only' });
    return timeColdAndWarm(replay, Number(warm));
  },

  async 'upgrade-engine'([file]) {
    const { upgradeDocument } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
    await loadSqliteAddon();
    const engine = fieldbookEngine();
    const started = performance.now();
    const result = await upgradeDocument(file!, { engine, backup: false });
    const ms = performance.now() - started;
    if (result.applied.length === 0) throw new Error(`nothing was upgraded in ${file}`);
    return { ms, steps: result.applied.map((s) => ({ name: s.name, durationMs: s.durationMs })), migrations: await bundledMigrationsId() };
  },

  /** The same SQL and file checks by hand: every better-sqlite3 call the engine's upgrade made, and its file checks on the document (capture-sql), replayed. */
  async 'upgrade-by-hand'([file, callsFile]) {
    const { readCalls, compileReplay } = require('./sql-recorder') as typeof import('./sql-recorder');
    const Database = await loadSqliteAddon();
    const replay = compileReplay(file!, readCalls(callsFile!));
    const started = performance.now();
    replay();
    const ms = performance.now() - started;
    assertUpgraded(Database, file!);
    return { ms };
  },

  /**
   * The migration statements alone (no checks: figure 2's context line), as the engine's sqlLog
   * reports them, in one transaction with foreign keys off.
   */
  async 'upgrade-statements-by-hand'([file, statementsFile]) {
    const statements = JSON.parse(fs.readFileSync(statementsFile!, 'utf8')) as string[];
    const Database = await loadSqliteAddon();
    const started = performance.now();
    const db = new Database(file!, { fileMustExist: true });
    try {
      db.pragma('foreign_keys = OFF');
      db.exec('BEGIN');
      for (const sql of statements) db.exec(sql);
      db.exec('COMMIT');
    } finally {
      db.close();
    }
    const ms = performance.now() - started;
    assertUpgraded(Database, file!);
    return { ms };
  },

  /** Upgrades once, recording the migration statements (sqlLog) and every better-sqlite3 call (sql-recorder.ts). */
  async 'capture-sql'([file, statementsFile, callsFile]) {
    const { upgradeDocument } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
    const { recordCalls, writeCalls } = require('./sql-recorder') as typeof import('./sql-recorder');
    const sqlLog: string[] = [];
    const started = performance.now();
    const calls = await recordCalls(file!, () => upgradeDocument(file!, { engine: fieldbookEngine(), backup: false, sqlLog }));
    const ms = performance.now() - started;
    fs.writeFileSync(statementsFile!, JSON.stringify(sqlLog));
    writeCalls(callsFile!, calls);
    return { ms, migrations: await bundledMigrationsId() };
  },

  /** The engine's pre-upgrade backup, on a connection opened the way the upgrade opens one. */
  async 'backup-engine'([file, backupDir]) {
    const { backupDocument } = require('@fieldbook/engine/tooling') as typeof import('@fieldbook/engine/tooling');
    const { openConnection } = require('@fieldbook/engine/tooling') as typeof import('@fieldbook/engine/tooling');
    const absolute = path.resolve(file!);
    const db = openConnection(absolute);
    try {
      const version = db.pragma('user_version', { simple: true }) as number;
      const started = performance.now();
      const target = await backupDocument(db, absolute, version, backupDir!, 5, '.fieldbook');
      const ms = performance.now() - started;
      if (!fs.statSync(target).isFile()) throw new Error(`no backup at ${target}`);
      return { ms };
    } finally {
      db.close();
    }
  },

  async 'copy-file'([file, destination]) {
    const started = performance.now();
    fs.copyFileSync(file!, destination!);
    return { ms: performance.now() - started };
  },

  /** A copy that is on stable storage, as the engine's backup is (for context; no target). */
  async 'copy-file-fsync'([file, destination]) {
    const started = performance.now();
    fs.copyFileSync(file!, destination!);
    const fd = fs.openSync(destination!, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return { ms: performance.now() - started };
  },

  /**
   * `exportSubset` into a fresh destination, timed from the call to its return (creating the
   * destination document, working out the rows, copying, checks, fsync and rename). Records how
   * long each phase took through `onProgress`, which the engine calls some fifteen times.
   */
  async 'subset-engine'([source, destination, selection]) {
    const { exportSubset } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
    await loadSqliteAddon();
    const phases = new PhaseClock();
    const started = performance.now();
    const result = await exportSubset(source!, destination!, JSON.parse(selection!), {
      engine: fieldbookEngine(),
      onProgress: (p) => phases.enter(p.phase === 'copying' ? `copy ${p.table ?? '?'}` : p.phase, p.phase === 'copying'),
    });
    const ms = performance.now() - started;
    if (result.empty) throw new Error(`the selection ${selection} picked nothing in ${source}`);
    return { ms, steps: phases.finish() };
  },

  /** The same rows by hand (subset-by-hand.ts), createDocument included in the timing as in the engine's. */
  async 'subset-by-hand'([source, destination, selection]) {
    const { subsetByHand } = require('./subset-by-hand') as typeof import('./subset-by-hand');
    await loadSqliteAddon();
    const started = performance.now();
    const steps = subsetByHand(source!, destination!, JSON.parse(selection!) as SiteSelection);
    return { ms: performance.now() - started, steps };
  },

  async 'write-version1-document'([file, samples, measurementsPerSample]) {
    const { writeLargeVersion1Document } = require('../test/helpers/large-document') as typeof import('../test/helpers/large-document');
    const started = performance.now();
    writeLargeVersion1Document(file!, { samples: Number(samples), measurementsPerSample: Number(measurementsPerSample) });
    return { ms: performance.now() - started };
  },

  async 'salvage-corpus'([file, dir]) {
    const { runSalvageCorpus } = require('./salvage-corpus') as typeof import('./salvage-corpus');
    const started = performance.now();
    const salvage = await runSalvageCorpus(file!, dir!);
    return { ms: performance.now() - started, salvage };
  },

  async 'prepare-subset-source'([file]) {
    const { upgradeDocument } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
    const { openConnection } = require('@fieldbook/engine/tooling') as typeof import('@fieldbook/engine/tooling');
    const { addSubsetSourceRows } = require('./subset-source') as typeof import('./subset-source');
    const started = performance.now();
    await upgradeDocument(file!, { engine: fieldbookEngine(), backup: false });
    const db = openConnection(file!);
    try {
      addSubsetSourceRows(db);
    } finally {
      db.close();
    }
    return { ms: performance.now() - started };
  },
};

/**
 * Turns the engine's progress reports into phase durations: `open` (classify the source, create
 * the destination, attach), `selecting` (working out the rows, and the first chunk of the first
 * table copied: the engine reports nothing between them), `copy <table>`, and `finishing`
 * (triggers, full-text rebuild, commit, checks, fsync, rename). A `copying` report comes after
 * its chunk is copied; the others come before their phase's work.
 */
class PhaseClock {
  private readonly durations = new Map<string, number>();
  private current = 'open';
  private since = performance.now();

  /** @param copying the report is a `copying` one, made once a chunk of `phase`'s table is copied */
  enter(phase: string, copying: boolean): void {
    const now = performance.now();
    const done = copying && this.current.startsWith('copy ') ? phase : this.current;
    this.durations.set(done, (this.durations.get(done) ?? 0) + now - this.since);
    this.current = phase;
    this.since = now;
  }

  finish(): { name: string; durationMs: number }[] {
    this.enter('done', false);
    return [...this.durations].map(([name, durationMs]) => ({ name, durationMs }));
  }
}

/** The engine's migrations, as `name:checksum` pairs (already loaded by the timed call, so free). */
async function bundledMigrationsId(): Promise<string> {
  const { fieldbookEngine } = require('../main/fieldbook/fieldbook-engine') as typeof import('../main/fieldbook/fieldbook-engine');
  return fieldbookEngine()
    .migrations.migrations.map((m) => `${m.name}:${m.checksum.slice(0, 12)}`)
    .join(',');
}

/** @throws Error when a replay left `file` at version 1 */
function assertUpgraded(Database: Awaited<ReturnType<typeof loadSqliteAddon>>, file: string): void {
  const check = new Database(file, { readonly: true });
  const version = check.pragma('user_version', { simple: true });
  check.close();
  if (version === 1) throw new Error(`the replay left ${file} at version 1`);
}

/** Loads better-sqlite3 and its native addon (by opening an in-memory database) and returns the class. */
async function loadSqliteAddon() {
  const { default: Database } = await import('better-sqlite3');
  new Database(':memory:').close();
  return Database;
}

/** Times the first call (cold) and the median of `warmCalls` further calls. */
function timeColdAndWarm(operation: () => void, warmCalls: number): { ms: number; warmMs: number } {
  let started = performance.now();
  operation();
  const ms = performance.now() - started;
  const warm: number[] = [];
  for (let i = 0; i < warmCalls; i++) {
    started = performance.now();
    operation();
    warm.push(performance.now() - started);
  }
  return { ms, warmMs: median(warm) };
}

async function main(): Promise<void> {
  const [kind, ...args] = process.argv.slice(2);
  const trial = trials[kind as TrialKind];
  if (!trial) throw new Error(`unknown trial kind ${kind}; expected one of ${Object.keys(trials).join(', ')}`);
  const result = await trial(args);
  const line: TrialResult = { ...result, rssKB: process.resourceUsage().maxRSS };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
