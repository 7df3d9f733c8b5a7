/**
 * Issue 8, items 7, 9 and 10 (files beside a document): a folder (or anything but a regular file)
 * where SQLite keeps a document's `-journal`, `-wal` or `-shm` makes SQLite refuse to open the
 * document at all, even read-only (SQLITE_IOERR_READ / SQLITE_CANTOPEN). Nothing there can hold
 * a transaction, so the document is at its last committed state: classification, `info`, export
 * and subset read it from a private copy (with the frames of a regular `-wal`), and every write
 * is refused with READ_ONLY naming what is in the way, on one line, before anything is written.
 * Journals that are not hot (PERSIST's zeroed header, TRUNCATE's empty file) are no obstacle.
 */
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto = require('node:crypto');
import fs = require('node:fs');
import path = require('node:path');
import { classifyDocument, isFieldbookError, exportDocument, downgradeDocument, upgradeDocument, openDocument, stampDocument, exportSubset } from '@fieldbook/engine';
import { documentAt, runCli, sampleCodes, tempDir, testEngine, withDb } from './helpers/fixtures';

const BETTER_SQLITE3 = require.resolve('better-sqlite3');
const SUFFIXES = ['-journal', '-wal', '-shm'] as const;

/** A document at `version` with one committed sample, in rollback-journal or WAL mode (cleanly closed). */
function document(version: number, mode: 'delete' | 'wal'): string {
  const file = documentAt(version, tempDir('fieldbook-companion-'), `it's "a" doc ${mode}.fieldbook`);
  withDb(file, (db) => {
    db.exec("INSERT INTO sites (id, name) VALUES (1, 'Ridge')");
    db.exec(`INSERT INTO samples (id, site_id, code) VALUES (1, 1, 'R-1')`);
    if (mode === 'wal') db.pragma('journal_mode = WAL');
  });
  return file;
}

/** Every name in the document's folder with the hash of each regular file's bytes ('dir' for folders). */
function observe(file: string): Record<string, string> {
  const dir = path.dirname(file);
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((name) => {
        const full = path.join(dir, name);
        return [name, fs.statSync(full).isFile() ? crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex') : 'dir'];
      }),
  );
}

/** Commits a second sample into the `-wal` of a WAL document and dies without checkpointing. */
function crashWithWalFrames(file: string): void {
  const child = spawnSync(process.execPath, [
    '-e',
    `
    const db = new (require(${JSON.stringify(BETTER_SQLITE3)}))(process.argv[1]);
    db.pragma('wal_autocheckpoint = 0');
    db.exec("INSERT INTO samples (id, site_id, code) VALUES (2, 1, 'only-in-wal')");
    process.kill(process.pid, 'SIGKILL');`,
    file,
  ]);
  assert.equal(child.signal, 'SIGKILL');
  assert.ok(fs.statSync(`${file}-wal`).size > 0);
}

async function readsAsCommitted(file: string, version: number, expected: string[]): Promise<void> {
  const engine = testEngine();
  const before = observe(file);
  for (const check of ['none', 'quick', 'full'] as const) {
    const c = classifyDocument(file, { engine, check });
    assert.equal(c.problem, null, `${check}: ${JSON.stringify(c.problem)}`);
    assert.equal(c.version, version);
  }
  const info = runCli(['info', file, '--check', '--json']);
  assert.equal(info.status, 0, info.stdout + info.stderr);
  assert.equal((info.json as { version: number }).version, version);
  const exported = path.join(tempDir(), 'export.fieldbook');
  await exportDocument(file, exported, { engine });
  assert.deepEqual(sampleCodes(exported), expected);
  const subset = path.join(tempDir(), 'subset.fieldbook');
  await exportSubset(file, subset, { siteIds: [1] }, { engine });
  assert.deepEqual(sampleCodes(subset), expected);
  assert.deepEqual(observe(file), before, 'reading changed nothing beside the document');
}

async function writesRefused(file: string, version: number, obstacle: string): Promise<void> {
  const engine = testEngine();
  const before = observe(file);
  const refused = (what: string) => (error: unknown) => {
    assert.ok(isFieldbookError(error, 'READ_ONLY'), `${what}: ${String(error)}`);
    assert.ok((error as Error).message.includes(obstacle) && /folder/.test((error as Error).message), `${what} names ${obstacle}: ${(error as Error).message}`);
    return true;
  };
  if (version < 6) {
    await assert.rejects(upgradeDocument(file, { engine }), refused('upgrade'));
    await assert.rejects(openDocument(file, { engine }), refused('open (which upgrades)'));
  } else {
    await assert.rejects(downgradeDocument(file, { engine, to: 5, acceptLoss: true }), refused('downgrade'));
  }
  await assert.rejects(async () => stampDocument(file, version, { engine }), refused('stamp'));
  const cli = runCli(['upgrade', file]);
  if (version < 6) {
    assert.equal(cli.stderr.trim().split('\n').length, 1, cli.stderr);
    assert.match(cli.stderr, /^error: READ_ONLY: /);
  }
  assert.deepEqual(observe(file), before, 'nothing was written');
}

for (const mode of ['delete', 'wal'] as const) {
  for (const suffix of SUFFIXES) {
    for (const version of [4, 6]) {
      test(`a folder in the place of ${suffix} (${mode} mode, version ${version}): read as committed, writes refused naming it`, async () => {
        const file = document(version, mode);
        fs.mkdirSync(`${file}${suffix}`);
        fs.writeFileSync(path.join(`${file}${suffix}`, 'something.txt'), 'kept');
        await readsAsCommitted(file, version, ['R-1']);
        await writesRefused(file, version, `${file}${suffix}`);
      });
    }
  }
}

test('a folder in the place of -shm beside a -wal with committed frames: the frames are read, nothing is checkpointed', async () => {
  const file = document(6, 'wal');
  crashWithWalFrames(file);
  fs.rmSync(`${file}-shm`, { force: true });
  fs.mkdirSync(`${file}-shm`);
  await readsAsCommitted(file, 6, ['R-1', 'only-in-wal']);
  await writesRefused(file, 6, `${file}-shm`);
});

test('a folder in the place of -journal beside a WAL document with committed frames: the frames are read', async () => {
  const file = document(5, 'wal');
  crashWithWalFrames(file);
  fs.mkdirSync(`${file}-journal`);
  await readsAsCommitted(file, 5, ['R-1', 'only-in-wal']);
  await writesRefused(file, 5, `${file}-journal`);
});

test('journals that are not hot are no obstacle: PERSIST (zeroed header) and TRUNCATE (empty) leave the document readable and upgradable', async () => {
  for (const mode of ['persist', 'truncate']) {
    const file = documentAt(4, tempDir('fieldbook-cold-journal-'), 'cold.fieldbook');
    withDb(file, (db) => {
      db.pragma(`journal_mode = ${mode}`);
      db.exec("INSERT INTO sites (id, name) VALUES (1, 'Ridge'); INSERT INTO samples (id, site_id, code) VALUES (1, 1, 'R-1')");
    });
    assert.ok(fs.existsSync(`${file}-journal`), `${mode} leaves its journal`);
    const first = Buffer.alloc(1);
    const fd = fs.openSync(`${file}-journal`, 'r');
    const read = fs.readSync(fd, first, 0, 1, 0);
    fs.closeSync(fd);
    assert.ok(read === 0 || first[0] === 0, `${mode}'s journal is not hot`);
    await readsAsCommitted(file, 4, ['R-1']);
    const result = await upgradeDocument(file, { engine: testEngine(), backup: false });
    assert.equal(result.to, 6);
    assert.deepEqual(sampleCodes(file), ['R-1']);
  }
});
