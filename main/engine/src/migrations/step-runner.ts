import type { BundledMigrations } from './bundled-migrations';
import type { MigrationContext, MigrationModule } from './migration-context';
import { createMigrationContext } from './migration-steps';
import type { SqlExecutor } from '../sqlite/sql-executor';
import { loadUmzug } from './umzug-loader';
import type { VersionContext, VersionedMigration, VersionTableStorage } from './version-storage';

/** A migration the runner can run: what the version table records, and its module. */
export interface RunnableMigration extends VersionedMigration {
  /** The migration's module (called when its step runs; may verify and load files). */
  load(): MigrationModule;
}

/** One step as the runner's hooks see it. */
export interface StepEvent {
  migration: RunnableMigration;
  direction: 'up' | 'down';
  /** Position of the step in this run (0-based) and the number of steps the run has. */
  index: number;
  total: number;
}

/** A step the runner ran. */
export interface RanStep {
  version: number;
  name: string;
  direction: 'up' | 'down';
  /** The step's time, `up`/`down` and `afterStep` together, ms rounded to 0.1 (also recorded in the version table). */
  durationMs: number;
}

/** What runSteps runs, where, and the hooks around each step. */
export interface RunStepsOptions {
  /** Where every statement goes: a document, a scratch database, an offline script's replica. */
  executor: SqlExecutor;
  /** The migrations the run may touch, ascending by version (umzug's list; may be a part of them). */
  migrations: readonly RunnableMigration[];
  /** Records and unrecords each step; read to know which migrations are applied. */
  storage: VersionTableStorage;
  /** The version the storage records now, and the version to reach (up when `to > from`). */
  from: number;
  to: number;
  /** Written to each step's MigrationContext. */
  appVersion: string;
  /** The context a step receives (default: createMigrationContext on `executor`). */
  context?: (migration: RunnableMigration, direction: 'up' | 'down') => MigrationContext;
  /** Before a step's module is loaded: progress, cancellation (throwing stops the run). */
  beforeStep?: (step: StepEvent) => void | Promise<void>;
  /** After a step's `up`/`down`, before its version row is written: checks (throwing stops the run). */
  afterStep?: (step: StepEvent) => void | Promise<void>;
  /**
   * Record each step's duration in the version table (default true; false for scripts rendered
   * on a replica, whose time says nothing about the document's).
   */
  recordDurations?: boolean;
  /** The error for a `down` step whose module has none (default: an Error naming it). */
  missingDown?: (migration: RunnableMigration) => Error;
}

/**
 * The one loop that runs migration steps — upgrades and downgrades of documents, offline SQL
 * scripts, schema replays (manifest build, `check`) and the testing helpers all call it, so
 * they run the same statements in the same order. umzug sequences the steps over `storage`
 * (which reads the version table); each step runs its module's `up` or `down` through a
 * MigrationContext on `executor`, then `afterStep`, then the storage records or unrecords it.
 * The caller owns the transaction. Before anything runs, the storage must record exactly the
 * versions `from` implies among `migrations` (none above it, all of them up to it).
 * @throws the first error a step, a hook or the storage throws, as thrown (umzug's wrapper is
 *   removed); Error when the version table does not record `from`
 */
export async function runSteps(options: RunStepsOptions): Promise<RanStep[]> {
  const { migrations, storage, from, to } = options;
  const direction = to >= from ? 'up' : 'down';
  const durationsMs = new Map<string, number>();
  const context: VersionContext = { durationsMs };
  const executed = new Set(await storage.executed({ context }));
  const wrong = migrations.filter((m) => executed.has(m.name) !== (m.version <= from));
  if (wrong.length) {
    throw new Error(`the version table does not record version ${from}: ${wrong.map((m) => `${m.name} is ${executed.has(m.name) ? '' : 'not '}recorded`).join(', ')}`);
  }
  const steps = direction === 'up'
    ? migrations.filter((m) => m.version > from && m.version <= to)
    : migrations.filter((m) => m.version > to && m.version <= from);
  if (steps.length === 0) return [];
  const ran: RanStep[] = [];
  const run = async (m: RunnableMigration, dir: 'up' | 'down') => {
    const event: StepEvent = { migration: m, direction: dir, index: ran.length, total: steps.length };
    await options.beforeStep?.(event);
    const mod = m.load();
    const fn = dir === 'up' ? mod.up : mod.down;
    if (!fn) throw options.missingDown?.(m) ?? new Error(`${m.name} has no down() migration`);
    // hrtime, not performance.now(): the first use of the `performance` global loads perf_hooks (about 0.8 ms of a command's upgrade).
    const started = process.hrtime.bigint();
    await fn.call(mod, options.context?.(m, dir) ?? createMigrationContext(options.executor, options.appVersion, m.version, dir));
    await options.afterStep?.(event);
    const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
    if (options.recordDurations !== false) durationsMs.set(m.name, durationMs);
    ran.push({ version: m.version, name: m.name, direction: dir, durationMs });
  };
  const { Umzug, MigrationError } = loadUmzug();
  const umzug = new Umzug<VersionContext>({
    logger: undefined,
    context,
    storage,
    migrations: migrations.map((m) => ({ name: m.name, up: async () => run(m, 'up'), down: async () => run(m, 'down') })),
  });
  try {
    // umzug reverts down to and including the `to` it is given: the lowest step.
    if (direction === 'up') await umzug.up({ to: steps.at(-1)!.name });
    else await umzug.down({ to: steps[0]!.name });
  } catch (error) {
    throw error instanceof MigrationError && error.cause !== undefined ? error.cause : error;
  }
  return ran;
}

/** An engine's bundled migrations as the runner takes them (each loads through `bundled.load`, which verifies the folder first). */
export function runnableMigrations(bundled: BundledMigrations): RunnableMigration[] {
  return bundled.migrations.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum, load: () => bundled.load(m) }));
}
