import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileChecksum, sourceChecksum, type Connection, acceptsChecksum, MANIFEST_FILE, type Manifest, ledgerEntries, parseReleaseLedger, readReleaseLedger, RELEASED_FILE, type ReleaseLedger, diffSchemas, fingerprintOf, readSchema, type SchemaObject } from '@fieldbook/engine/tooling';
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
        problems.push({ check: 'down', migration: file.name, message: `${file.file} has no down(): every migration must be reversible (export function down(ctx: MigrationContext))` });
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
            message: `the models and the migrations differ (${changes.length}): ${changes.map((c) => c.description).join('; ')}. ` +
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

function readManifest(dir: string, problems: CheckProblem[]): Manifest | null {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    problems.push({ check: 'manifest', message: `no ${MANIFEST_FILE} in ${dir}: build it (npm run build)` });
    return null;
  }
  try {
    const manifest = JSON.parse(text) as Manifest;
    if (!Array.isArray(manifest.migrations)) throw new Error('no migrations list');
    return manifest;
  } catch (error) {
    problems.push({ check: 'manifest', message: `${file} is unreadable (${describeCause(error)}): rebuild it (npm run build)` });
    return null;
  }
}

/** Checks names, order and checksums; returns the names whose manifest entry matches the file. */
function checkManifest(manifest: Manifest, files: readonly MigrationFile[], problems: CheckProblem[]): Set<string> {
  const trusted = new Set<string>();
  const rebuild = 'rebuild the manifest (npm run build)';
  files.forEach((file, i) => {
    const entry = manifest.migrations[i];
    if (!entry || entry.name !== file.name) {
      const listed = manifest.migrations.some((m) => m.name === file.name);
      problems.push({
        check: 'manifest', migration: file.name,
        message: listed ? `${file.file} is listed in the manifest at another position than version ${i + 1}: ${rebuild}` : `${file.file} is not in the manifest (added since the last build?): ${rebuild}`,
      });
      return;
    }
    const bytes = fs.readFileSync(file.path);
    const recorded = manifest.files?.[file.file];
    if (entry.checksum !== sourceChecksum(bytes.toString('utf8')) || (recorded !== undefined && recorded !== fileChecksum(bytes))) {
      problems.push({
        check: 'manifest', migration: file.name,
        message: `${file.file} changed after the manifest was written (checksum differs). If this version was released, revert the edit ` +
          `and add a new migration instead (documents record the checksum they were migrated with); otherwise ${rebuild}.`,
      });
      return;
    }
    trusted.add(file.name);
  });
  for (const entry of manifest.migrations.slice(files.length)) {
    if (!files.some((f) => f.name === entry.name)) problems.push({ check: 'manifest', migration: entry.name, message: `the manifest lists ${entry.name} but there is no such file: ${rebuild}` });
  }
  return trusted;
}

/**
 * Documents migrated by a release record the checksums it shipped, so the manifest must keep
 * accepting each of them (a migration changed since must list its released checksums in
 * `supersededChecksums`, which the build takes from the ledger), and must accept no other old
 * checksum. A ledger entry that disappeared (compared with git HEAD) is a problem too: the build
 * would silently stop accepting what that release wrote.
 */
function checkReleases(dir: string, manifest: Manifest | null, problems: CheckProblem[]): void {
  const file = path.join(dir, RELEASED_FILE);
  const rebuild = 'rebuild the manifest (npm run build)';
  let ledger: ReleaseLedger | null;
  try {
    ledger = readReleaseLedger(file);
  } catch (error) {
    problems.push({ check: 'released', message: `${describeCause(error)}: fix ${RELEASED_FILE} (it lists, per release, the checksum of every migration it shipped)` });
    return;
  }
  const atHead = ledgerAtGitHead(dir);
  for (const { release, name, checksum } of atHead ? ledgerEntries(atHead) : []) {
    if (ledger?.[release]?.[name] !== checksum) {
      problems.push({
        check: 'released', migration: name,
        message: `${RELEASED_FILE} no longer records the checksum release ${release} shipped ${name} with (${checksum.slice(0, 12)}…, at git HEAD): ` +
          `documents that release migrated record it. Restore the entry (releases are only ever added), then ${rebuild}.`,
      });
    }
  }
  if (!manifest) return;
  for (const { release, name, checksum } of ledger ? ledgerEntries(ledger) : []) {
    const entry = manifest.migrations.find((m) => m.name === name);
    if (!entry) {
      problems.push({ check: 'released', migration: name, message: `release ${release} shipped migration ${name}, which the manifest does not have: a released migration must stay (documents record it)` });
    } else if (!acceptsChecksum(entry, checksum)) {
      problems.push({
        check: 'released', migration: name,
        message: `${name} no longer accepts the checksum release ${release} shipped it with (${checksum.slice(0, 12)}…): documents that release migrated ` +
          `would be refused as written by a newer app. Keep the checksum in supersededChecksums: ${rebuild} with ${RELEASED_FILE} in place.`,
      });
    }
  }
  for (const entry of manifest.migrations) {
    for (const checksum of entry.supersededChecksums ?? []) {
      if (!ledger || !Object.values(ledger).some((migrations) => migrations[entry.name] === checksum)) {
        problems.push({ check: 'released', migration: entry.name, message: `the manifest accepts checksum ${checksum.slice(0, 12)}… for ${entry.name}, which no release in ${RELEASED_FILE} shipped: ${rebuild}` });
      }
    }
  }
}

/** The ledger as committed at git HEAD, or null when git, the repository or the committed file is not there. */
function ledgerAtGitHead(dir: string): ReleaseLedger | null {
  const run = spawnSync('git', ['-C', dir, 'show', `HEAD:./${RELEASED_FILE}`], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  if (run.error || run.status !== 0) return null;
  try {
    return parseReleaseLedger(run.stdout, `${RELEASED_FILE} at git HEAD`);
  } catch {
    return null;
  }
}

/**
 * base → head (checking each version against the manifest's fingerprint), then `atHead`, then
 * head → base (each down step must give the earlier version's schema back), then base → head
 * again. Returns the head fingerprint, or null when the first pass failed.
 */
async function replayRoundTrip(
  db: Connection, config: DevtoolsConfig, files: readonly MigrationFile[], modules: readonly MigrationModule[],
  manifest: Manifest | null, trusted: ReadonlySet<string>, problems: CheckProblem[], skipped: CheckKind[], atHead: (head: number) => void,
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
      problems.push({ check: 'replay', migration: files[i]!.name, message: `replaying up to ${files[i]!.file} gives another schema than the manifest records${detail ? ` (${detail})` : ''}: rebuild the manifest (npm run build)` });
    }
  }
  const head = fingerprintOf(schemas[files.length]!);
  atHead(files.length);
  if (modules.some((m) => typeof m.down !== 'function')) return head;
  for (let i = files.length - 1; i >= 0; i--) {
    if (!(await step(i, 'down'))) return head;
    const actual = readSchema(db, config.versionTable);
    if (fingerprintOf(actual) !== fingerprintOf(schemas[i]!)) {
      problems.push({ check: 'replay', migration: files[i]!.name, message: `${files[i]!.file} down() does not give back version ${i}'s schema: ${diffSchemas(schemas[i]!, actual).join('; ')}` });
      return head;
    }
  }
  for (let i = 0; i < files.length; i++) {
    if (!(await step(i, 'up'))) return head;
    const actual = readSchema(db, config.versionTable);
    if (fingerprintOf(actual) !== fingerprintOf(schemas[i + 1]!)) {
      problems.push({ check: 'replay', migration: files[i]!.name, message: `${files[i]!.file} up() after going down gives another schema than the first time: ${diffSchemas(schemas[i + 1]!, actual).join('; ')}` });
      return head;
    }
  }
  return head;
}
