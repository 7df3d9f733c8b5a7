import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import {
  fileChecksum,
  sourceChecksum,
  acceptsChecksum,
  MANIFEST_FILE,
  type Manifest,
  ledgerEntries,
  parseReleaseLedger,
  readReleaseLedger,
  RELEASED_FILE,
  type ReleaseLedger,
} from '@fieldbook/engine/tooling';
import { describeCause } from '@fieldbook/engine';
import type { CheckProblem } from './check-project';
import type { MigrationFile } from './migration-files';

/**
 * The manifest of a migrations folder, for `checkProject`; null (with a `manifest` problem
 * added to `problems`) when it is missing or unreadable. Never throws.
 */
export function readManifest(dir: string, problems: CheckProblem[]): Manifest | null {
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

/** Checks names, order and checksums, adding `manifest` problems; returns the names whose manifest entry matches the file. Never throws. */
export function checkManifest(manifest: Manifest, files: readonly MigrationFile[], problems: CheckProblem[]): Set<string> {
  const trusted = new Set<string>();
  const rebuild = 'rebuild the manifest (npm run build)';
  files.forEach((file, i) => {
    const entry = manifest.migrations[i];
    if (!entry || entry.name !== file.name) {
      const listed = manifest.migrations.some((m) => m.name === file.name);
      problems.push({
        check: 'manifest',
        migration: file.name,
        message: listed
          ? `${file.file} is listed in the manifest at another position than version ${i + 1}: ${rebuild}`
          : `${file.file} is not in the manifest (added since the last build?): ${rebuild}`,
      });
      return;
    }
    const bytes = fs.readFileSync(file.path);
    const recorded = manifest.files?.[file.file];
    if (entry.checksum !== sourceChecksum(bytes.toString('utf8')) || (recorded !== undefined && recorded !== fileChecksum(bytes))) {
      problems.push({
        check: 'manifest',
        migration: file.name,
        message:
          `${file.file} changed after the manifest was written (checksum differs). If this version was released, revert the edit ` +
          `and add a new migration instead (documents record the checksum they were migrated with); otherwise ${rebuild}.`,
      });
      return;
    }
    trusted.add(file.name);
  });
  for (const entry of manifest.migrations.slice(files.length)) {
    if (!files.some((f) => f.name === entry.name))
      problems.push({ check: 'manifest', migration: entry.name, message: `the manifest lists ${entry.name} but there is no such file: ${rebuild}` });
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
export function checkReleases(dir: string, manifest: Manifest | null, problems: CheckProblem[]): void {
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
        check: 'released',
        migration: name,
        message:
          `${RELEASED_FILE} no longer records the checksum release ${release} shipped ${name} with (${checksum.slice(0, 12)}…, at git HEAD): ` +
          `documents that release migrated record it. Restore the entry (releases are only ever added), then ${rebuild}.`,
      });
    }
  }
  if (!manifest) return;
  for (const { release, name, checksum } of ledger ? ledgerEntries(ledger) : []) {
    const entry = manifest.migrations.find((m) => m.name === name);
    if (!entry) {
      problems.push({
        check: 'released',
        migration: name,
        message: `release ${release} shipped migration ${name}, which the manifest does not have: a released migration must stay (documents record it)`,
      });
    } else if (!acceptsChecksum(entry, checksum)) {
      problems.push({
        check: 'released',
        migration: name,
        message:
          `${name} no longer accepts the checksum release ${release} shipped it with (${checksum.slice(0, 12)}…): documents that release migrated ` +
          `would be refused as written by a newer app. Keep the checksum in supersededChecksums: ${rebuild} with ${RELEASED_FILE} in place.`,
      });
    }
  }
  for (const entry of manifest.migrations) {
    for (const checksum of entry.supersededChecksums ?? []) {
      if (!ledger || !Object.values(ledger).some((migrations) => migrations[entry.name] === checksum)) {
        problems.push({
          check: 'released',
          migration: entry.name,
          message: `the manifest accepts checksum ${checksum.slice(0, 12)}… for ${entry.name}, which no release in ${RELEASED_FILE} shipped: ${rebuild}`,
        });
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
