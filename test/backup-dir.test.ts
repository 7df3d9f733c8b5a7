/**
 * Item 14 of issue 8 (backup folders that cannot be) and the backup half of item 12 (a failed
 * attempt does not leave a new identical backup each time).
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { isFieldbookError, upgradeDocument } from '@fieldbook/engine';
import { backupFolderFor } from '@fieldbook/engine';
import { prepareBackupFolder, pruneBackups } from '@fieldbook/engine/tooling';
import { documentAt, runCli, sha256File, tempDir, withDb } from './helpers/fixtures';
import { readOnlyMount } from './helpers/file-system-traps';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

function outdatedDocument(name = 'field notes.fieldbook'): string {
  const file = documentAt(3, tempDir(), name);
  withDb(file, (db) => db.exec("INSERT INTO sites VALUES (1, 'S', 1, 1); INSERT INTO samples VALUES (1, 1, 'a', '2/3/2021', 'basalt')"));
  return file;
}

const BAD_FOLDERS: [string, (dir: string) => string][] = [
  ['a folder under /proc', () => '/proc/fieldbook-backups'],
  ['a folder deep under /proc/self', () => '/proc/self/fieldbook/backups'],
  ['a folder under /sys', () => '/sys/fieldbook-backups'],
  ['a folder under /dev', () => '/dev/fieldbook-backups'],
  [
    'a path that is a file',
    (dir) => {
      const f = path.join(dir, 'a file');
      fs.writeFileSync(f, 'x');
      return f;
    },
  ],
  [
    'a path under a file',
    (dir) => {
      const f = path.join(dir, 'plain file');
      fs.writeFileSync(f, 'x');
      return path.join(f, 'sub', 'backups');
    },
  ],
  [
    'a path inside a symlink to /proc',
    (dir) => {
      const l = path.join(dir, 'to proc');
      fs.symlinkSync('/proc', l);
      return path.join(l, 'backups');
    },
  ],
];

for (const [name, make] of BAD_FOLDERS) {
  test(`--backup-dir on ${name} is BACKUP_FAILED on one line within seconds, and the document is not changed`, { timeout: 30_000 }, () => {
    const file = outdatedDocument();
    const before = sha256File(file);
    const dir = make(path.dirname(file));
    const started = Date.now();
    const result = runCli(['upgrade', file, '--backup-dir', dir]);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.equal(result.status, 3, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line, no stack: ${result.stderr}`);
    assert.match(lines[0]!, /^error: BACKUP_FAILED: /);
    assert.equal(sha256File(file), before);
    assert.equal(fs.existsSync(path.join(path.dirname(file), 'plain file', 'sub')), false);
  });
}

test('a backup folder whose creation needs a read-only folder is refused before anything is created', { timeout: 30_000 }, async () => {
  const file = outdatedDocument();
  const before = sha256File(file);
  const trap = readOnlyMount();
  try {
    const result = runCli(['upgrade', file, '--backup-dir', path.join(trap.dir, 'new', 'backups')]);
    assert.equal(result.status, 3, result.stderr);
    assert.match(result.stderr.trim(), /^error: BACKUP_FAILED: .*read only cannot be written \(EROFS\)/);
    assert.equal(sha256File(file), before);
    assert.deepEqual(fs.readdirSync(trap.dir), []);
    await assert.rejects(upgradeDocument(file, { engine: fieldbookEngine(), backup: path.join(trap.dir, 'x') }), (e: unknown) => isFieldbookError(e, 'BACKUP_FAILED'));
  } finally {
    trap.release();
  }
  assert.throws(
    () => prepareBackupFolder('/proc/1/x', file),
    (e: unknown) => isFieldbookError(e, 'BACKUP_FAILED'),
  );
  const fresh = path.join(tempDir(), 'a', 'b c', 'd');
  prepareBackupFolder(fresh, file);
  assert.ok(fs.statSync(fresh).isDirectory(), 'a good path is created');
});

test('failed attempts reuse an identical newest backup instead of leaving one per attempt', async () => {
  const file = outdatedDocument('retry "me".fieldbook');
  const backups = path.join(tempDir(), 'backups');
  const attempt = async () => {
    const controller = new AbortController();
    // Cancelled at the first step: after the backup, inside the transaction.
    await assert.rejects(upgradeDocument(file, { engine: fieldbookEngine(), backup: backups, signal: controller.signal, onStep: () => controller.abort() }), (e: unknown) =>
      isFieldbookError(e, 'ABORTED'),
    );
  };
  const before = sha256File(file);
  await attempt();
  await attempt();
  await attempt();
  assert.equal(sha256File(file), before, 'the cancelled upgrades were rolled back');
  const folder = backupFolderFor(backups, file);
  const listing = () => fs.readdirSync(folder).sort();
  assert.equal(listing().length, 1, `one backup after three failed attempts: ${listing().join(', ')}`);
  assert.match(listing()[0]!, /\.v3\..*\.fieldbook$/);
  const kept = path.join(folder, listing()[0]!);
  assert.equal(sha256File(kept).length, 64);
  const done = await upgradeDocument(file, { engine: fieldbookEngine(), backup: backups });
  assert.equal(done.backup, kept, 'the successful attempt reuses the same backup');
  assert.equal(done.to, 6);
  // A document whose content changed gets a new backup.
  const other = outdatedDocument('changed.fieldbook');
  await assert.rejects(upgradeDocument(other, { engine: fieldbookEngine(), backup: backups, signal: AbortSignal.abort() }));
  withDb(other, (db) => db.exec("UPDATE samples SET notes = 'changed' WHERE id = 1"));
  const second = await upgradeDocument(other, { engine: fieldbookEngine(), backup: backups });
  assert.equal(fs.readdirSync(backupFolderFor(backups, other)).length, 2, 'different content, two backups');
  assert.ok(second.backup && fs.existsSync(second.backup));
});

test('partial backups of processes that are gone are removed at once; those of live processes stay', () => {
  const folder = tempDir();
  const dead = path.join(folder, 'notes.v3.2026-01-01T00-00-00-000Z.p999999999.abcdef.fieldbook.partial');
  const alive = path.join(folder, `notes.v3.2026-01-01T00-00-00-000Z.p${process.ppid}.abcdef.fieldbook.partial`);
  fs.writeFileSync(dead, 'half');
  fs.writeFileSync(alive, 'half');
  pruneBackups(folder, 5, '.fieldbook');
  assert.equal(fs.existsSync(dead), false);
  assert.equal(fs.existsSync(alive), true);
});

test('an empty or blank --backup-dir is BACKUP_FAILED, not a silent "no backup"; nothing is upgraded', async () => {
  const file = outdatedDocument('empty "dir" notes.fieldbook');
  const before = sha256File(file);
  for (const folder of ['', '   ']) {
    await assert.rejects(upgradeDocument(file, { engine: fieldbookEngine(), backup: folder }), (e: unknown) => isFieldbookError(e, 'BACKUP_FAILED'), JSON.stringify(folder));
    for (const args of [
      ['upgrade', file, '--backup-dir', folder],
      ['upgrade', file, `--backup-dir=${folder}`],
      ['upgrade', path.dirname(file), '-r', '--backup-dir', folder],
    ]) {
      const run = runCli(args);
      assert.equal(run.status, 3, `${args.join(' ')}: ${run.stderr}${run.stdout}`);
      assert.match(run.stderr, /^error: BACKUP_FAILED: the backup folder is empty[^\n]*\n$/, run.stderr);
    }
    assert.equal(sha256File(file), before, 'the document was not upgraded without its backup');
  }
  assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)]);
});

test('--backup-dir=~/... and --out=~/... mean the home folder (no folder named "~" appears in the working folder)', () => {
  const file = outdatedDocument('home notes.fieldbook');
  const home = tempDir('fieldbook-home-');
  const cwd = tempDir('fieldbook-cwd-');
  const env = { HOME: home };
  const run = runCli(['upgrade', file, '--backup-dir=~/my backups', '--json'], { cwd, env });
  assert.equal(run.status, 0, run.stderr);
  const backup = (run.json as { backup: string }).backup;
  assert.ok(backup.startsWith(path.join(home, 'my backups') + path.sep), backup);
  assert.ok(fs.existsSync(backup));
  const out = runCli(['subset', file, '--out=~/subset.fieldbook', '--all'], { cwd, env });
  assert.equal(out.status, 0, out.stderr);
  assert.ok(fs.existsSync(path.join(home, 'subset.fieldbook')));
  assert.deepEqual(fs.readdirSync(cwd), []);
});
