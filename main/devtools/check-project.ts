import { type Connection, type Manifest, diffSchemas, fingerprintOf, readSchema, type SchemaObject } from '@fieldbook/engine/tooling';
import { checkManifest, checkReleases, readManifest } from './check-manifest';
import { describeCause, type MigrationModule } from '@fieldbook/engine';
import type { DevtoolsConfig } from './devtools-config';
import { diffModelsWith } from './diff-models';
import { listMigrationFiles, loadMigrationModule, numberingProblems, type MigrationFile } from './migration-files';
import { replayStep, scratchDatabase } from './replay-database';
import type { SchemaChange } from './schema-change';

export type CheckKind = 'numbering' | 'manifest' | 'released' | 'down' | 'replay' | 'models';

export interface CheckProblem {
  check: CheckKind;
  /** What is wrong and how to fix it. */
  message: string;
  /** The migration concerned, when there is one (`0003-numeric-values`). */
  migration?: string;
}

export interface CheckResult {
  ok: boolean;
  migrationsDir: string;
  /** Number of migration files (the head version). */
  migrations: number;
  /** Fingerprint of the replayed head schema (null when the replay did not get there). */
  headFingerprint: string | null;
  problems: CheckProblem[];
  /** Differences between the migrations and the models (also summed up as a `models` problem). */
  changes: SchemaChange[];
  /** Checks not run because an earlier problem made them meaningless. */
  skipped: CheckKind[];
  durationMs: number;
}

/**
 * The CI check of a migrations folder against its manifest and the models:
 * - numbering: files numbered 0001..N, no gap, no number twice;
 * - manifest: lists exactly those files in order, with the checksums of their current text;
 * - released (when the folder has a release ledger, `released.json`): the manifest still accepts
 *   every checksum a release shipped, and only those besides the current ones; with git at hand,
 *   the ledger keeps every entry it has at git HEAD;
 * - down: every migration has a `down()`;
 * - replay: in a scratch in-memory database, base → head gives each version's manifest
 *   fingerprint, head → base gives each earlier version's schema back (every `down()` is
 *   replayed), and base → head again gives the same schemas;
 * - models: the models match the head schema (the comparison `revision --autogenerate` uses).
 * Never throws for a problem it finds: everything is in `problems` (ok when empty).
 */
export async function checkProject(config: DevtoolsConfig): Promise<CheckResult> {
  const started = performance.now();
  const problems: CheckProblem[] = [];
  const skipped: CheckKind[] = [];
  let changes: SchemaChange[] = [];
  let headFingerprint: string | null = null;
  const files = listMigrationFiles(config.migrationsDir);
  const manifest = readManifest(config.migrationsDir, problems);

  for (const message of numberingProblems(files, new Set(manifest?.migrations.map((m) => m.name)))) problems.push({ check: 'numbering', message });
  const trusted = manifest ? checkManifest(manifest, files, problems) : new Set<string>();
  checkReleases(config.migrationsDir, manifest, problems);

  const modules: MigrationModule[] = [];
  for (const file of files) {
    try {
      modules.push(loadMigrationModule(file.path));
    } catch (error) {
      problems.push({ check: 'replay', migration: file.name, message: `${file.file} cannot be loaded: ${describeCause(error)}` });
    }
  }
  const loaded = modules.length === files.length;
  if (loaded) {
    files.forEach((file, i) => {
      if (typeof modules[i]!.down !== 'function') {
        problems.push({
          check: 'down',
          migration: file.name,
          message: `${file.file} has no down(): every migration must be reversible (export function down(ctx: MigrationContext))`,
        });
      }
    });
  }

  if (!loaded || problems.some((p) => p.check === 'numbering')) {
    skipped.push('replay', 'models');
  } else {
    const db = scratchDatabase();
    try {
      const replay = await replayRoundTrip(db, config, files, modules, manifest, trusted, problems, skipped, (head) => {
        changes = diffModelsWith(db, config, head).changes;
        if (changes.length) {
          problems.push({
            check: 'models',
            message:
              `the models and the migrations differ (${changes.length}): ${changes.map((c) => c.description).join('; ')}. ` +
              `Write a migration for it (${config.generatorName ?? 'revision --autogenerate'}) or fix the models.`,
          });
        }
      });
      headFingerprint = replay;
    } finally {
      db.close();
    }
  }
  return {
    ok: problems.length === 0,
    migrationsDir: config.migrationsDir,
    migrations: files.length,
    headFingerprint,
    problems,
    changes,
    skipped,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * base → head (checking each version against the manifest's fingerprint), then `atHead`, then
 * head → base (each down step must give the earlier version's schema back), then base → head
 * again. Returns the head fingerprint, or null when the first pass failed.
 */
async function replayRoundTrip(
  db: Connection,
  config: DevtoolsConfig,
  files: readonly MigrationFile[],
  modules: readonly MigrationModule[],
  manifest: Manifest | null,
  trusted: ReadonlySet<string>,
  problems: CheckProblem[],
  skipped: CheckKind[],
  atHead: (head: number) => void,
): Promise<string | null> {
  const schemas: SchemaObject[][] = [readSchema(db, config.versionTable)];
  const step = async (i: number, direction: 'up' | 'down'): Promise<boolean> => {
    try {
      await replayStep(db, { name: files[i]!.name, module: modules[i]! }, i + 1, direction);
      return true;
    } catch (error) {
      problems.push({ check: 'replay', migration: files[i]!.name, message: describeCause(error) });
      return false;
    }
  };
  for (let i = 0; i < files.length; i++) {
    if (!(await step(i, 'up'))) {
      skipped.push('models');
      return null;
    }
    schemas.push(readSchema(db, config.versionTable));
    const entry = manifest?.migrations[i];
    if (entry && trusted.has(files[i]!.name) && entry.fingerprint !== fingerprintOf(schemas[i + 1]!)) {
      const detail = diffSchemas(entry.schema ?? [], schemas[i + 1]!).join('; ');
      problems.push({
        check: 'replay',
        migration: files[i]!.name,
        message: `replaying up to ${files[i]!.file} gives another schema than the manifest records${detail ? ` (${detail})` : ''}: rebuild the manifest (npm run build)`,
      });
    }
  }
  const head = fingerprintOf(schemas[files.length]!);
  atHead(files.length);
  if (modules.some((m) => typeof m.down !== 'function')) return head;
  for (let i = files.length - 1; i >= 0; i--) {
    if (!(await step(i, 'down'))) return head;
    const actual = readSchema(db, config.versionTable);
    if (fingerprintOf(actual) !== fingerprintOf(schemas[i]!)) {
      problems.push({
        check: 'replay',
        migration: files[i]!.name,
        message: `${files[i]!.file} down() does not give back version ${i}'s schema: ${diffSchemas(schemas[i]!, actual).join('; ')}`,
      });
      return head;
    }
  }
  for (let i = 0; i < files.length; i++) {
    if (!(await step(i, 'up'))) return head;
    const actual = readSchema(db, config.versionTable);
    if (fingerprintOf(actual) !== fingerprintOf(schemas[i + 1]!)) {
      problems.push({
        check: 'replay',
        migration: files[i]!.name,
        message: `${files[i]!.file} up() after going down gives another schema than the first time: ${diffSchemas(schemas[i + 1]!, actual).join('; ')}`,
      });
      return head;
    }
  }
  return head;
}
