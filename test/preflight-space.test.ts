/**
 * Issue 10, item 3: before a backup or an upgrade writes anything, the engine checks that the
 * document's file system has room for the upgrade (twice the document's size and 256 KB: journal,
 * rebuilt and new tables) and the backup folder's for the backup (the document's size), adding the two
 * up when they share a file system, and refuses with NO_SPACE naming the amounts. Nothing is
 * created: no journal, no backup folder, no partial file. Real tmpfs mounts (root), no mocks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { isFieldbookError, storageWarning, upgradeDocument } from '@fieldbook/engine';
import { assertSpaceFor, describeBytes } from '@fieldbook/engine/tooling';
import { runCli, sha256File, tempDir, testEngine } from './helpers/fixtures';
import { fullDisk } from './helpers/file-system-traps';
import { writeLargeVersion1Document } from './helpers/large-document';

/** Fills `dir`'s tmpfs (whose filler is `filler`) until exactly about `leave` bytes are free. */
function leaveFree(dir: string, filler: string, leave: number): void {
  fs.rmSync(filler, { force: true });
  const free = fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize;
  fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free - leave)));
}

test('an upgrade without room beside the document is refused before anything is written, saying how much is needed', async () => {
  const trap = fullDisk(4096, 4096);
  try {
    const file = path.join(trap.dir, 'notes.fieldbook');
    writeLargeVersion1Document(file, { samples: 2000, measurementsPerSample: 4 });
    const size = fs.statSync(file).size;
    leaveFree(trap.dir, trap.filler, Math.floor(size / 2));
    const before = sha256File(file);
    await assert.rejects(upgradeDocument(file, { engine: testEngine(), backup: false }), (e: unknown) => {
      assert.ok(isFieldbookError(e, 'NO_SPACE'), String(e));
      const error = e as unknown as Error & { details: { neededBytes: number; freeBytes: number; folder: string } };
      assert.equal(error.details.neededBytes, 2 * size + 256 * 1024);
      assert.ok(error.details.freeBytes < size);
      assert.equal(error.details.folder, trap.dir);
      assert.match(error.message, new RegExp(`needs up to ${describeBytes(2 * size + 256 * 1024).replace('.', '\\.')}`));
      assert.match(error.message, /not enough free space for upgrading .*notes\.fieldbook/);
      return true;
    });
    assert.equal(sha256File(file), before);
    assert.deepEqual(fs.readdirSync(trap.dir).sort(), ['filler', 'notes.fieldbook'], 'no journal, nothing beside it');
    // With room again, the same upgrade goes through.
    leaveFree(trap.dir, trap.filler, 3 * size);
    const done = await upgradeDocument(file, { engine: testEngine(), backup: false });
    assert.equal(done.to, 6);
  } finally {
    trap.release();
  }
});

test('a backup folder without room for the backup: NO_SPACE before the folder is even created (CLI: one line, exit 3)', () => {
  const trap = fullDisk(1024, 64);
  try {
    const file = path.join(tempDir(), 'notes.fieldbook');
    writeLargeVersion1Document(file, { samples: 1000, measurementsPerSample: 4 });
    const before = sha256File(file);
    const backups = path.join(trap.dir, 'backups');
    const run = runCli(['upgrade', file, '--backup-dir', backups]);
    assert.equal(run.status, 3, run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0]!,
      /^error: NO_SPACE: not enough free space for upgrading .*: its backup needs \d+(\.\d)? (KB|MB) on the file system of .*, which has \d+(\.\d)? (KB|MB|bytes) free; free /,
    );
    assert.ok(lines[0]!.includes(trap.dir), lines[0]);
    assert.equal(sha256File(file), before);
    assert.ok(!fs.existsSync(backups), 'the backup folder was not created');
    assert.ok(!fs.existsSync(`${file}-journal`));
  } finally {
    trap.release();
  }
});

test('a backup on the same file system as the document needs room for both: refused with both amounts, allowed without the backup', async () => {
  const trap = fullDisk(4096, 4096);
  try {
    const file = path.join(trap.dir, 'notes.fieldbook');
    writeLargeVersion1Document(file, { samples: 2000, measurementsPerSample: 4 });
    const size = fs.statSync(file).size;
    leaveFree(trap.dir, trap.filler, Math.floor(2.6 * size) + 256 * 1024);
    const before = sha256File(file);
    const engine = testEngine(path.join(trap.dir, 'backups'));
    await assert.rejects(upgradeDocument(file, { engine }), (e: unknown) => {
      assert.ok(isFieldbookError(e, 'NO_SPACE'), String(e));
      assert.match((e as Error).message, /the upgrade \(journal and rebuilt tables\) needs up to .* and its backup needs /);
      assert.equal((e as unknown as { details: { neededBytes: number } }).details.neededBytes, 3 * size + 256 * 1024);
      return true;
    });
    assert.equal(sha256File(file), before);
    assert.ok(!fs.existsSync(path.join(trap.dir, 'backups')));
    const done = await upgradeDocument(file, { engine, backup: false });
    assert.equal(done.to, 6);
  } finally {
    trap.release();
  }
});

test('assertSpaceFor: needs of one file system add up (a folder not made yet counts as its ancestor), of two are judged apart', () => {
  const a = fullDisk(512, 256);
  const b = fullDisk(512, 256);
  try {
    const freeA = fs.statfsSync(a.dir).bavail * fs.statfsSync(a.dir).bsize;
    const need = (folder: string, bytes: number) => ({ folder, bytes, purpose: 'it needs' });
    assertSpaceFor('x', [need(a.dir, freeA - 4096), need(b.dir, freeA - 4096)]);
    assert.throws(
      () => assertSpaceFor('x', [need(a.dir, freeA / 2 + 4096), need(path.join(a.dir, 'not', 'yet'), freeA / 2 + 4096)]),
      (e: unknown) => isFieldbookError(e, 'NO_SPACE') && (e as Error).message.includes(a.dir),
    );
  } finally {
    a.release();
    b.release();
  }
});

test('storageWarning: nothing for a local disk or tmpfs', () => {
  const trap = fullDisk(256, 128);
  try {
    assert.equal(storageWarning(path.join(trap.dir, 'x.fieldbook')), null);
    assert.equal(storageWarning(tempDir()), null);
  } finally {
    trap.release();
  }
});
