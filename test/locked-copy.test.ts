/**
 * Issue 10, item 4: the backup copies the document file with the system's copier in a child
 * process while the engine's connection holds SQLite's read lock, so the copy is a consistent
 * snapshot even while another program keeps writing; WAL documents (and anything the copier
 * cannot do) go through SQLite's online backup API as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import Database from 'better-sqlite3';
import { backupDocument, copyUnderReadLock, openConnection } from '@fieldbook/engine/tooling';
import { sha256File, tempDir } from './helpers/fixtures';
import { writeLargeVersion1Document } from './helpers/large-document';

test('the copy is the document byte for byte, and the backup made from it too', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'notes.fieldbook');
  writeLargeVersion1Document(file, { samples: 2000, measurementsPerSample: 5 });
  const db = openConnection(file);
  try {
    const copy = path.join(dir, 'copy.fieldbook');
    assert.equal(copyUnderReadLock(db, copy), true);
    assert.equal(sha256File(copy), sha256File(file));
    assert.equal(db.inTransaction, false, 'the read lock is released');
    const backup = await backupDocument(db, file, 1, path.join(dir, 'backups'), 5, '.fieldbook');
    assert.equal(sha256File(backup), sha256File(file));
  } finally {
    db.close();
  }
});

test('while another process keeps committing, every copy is one committed state', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'busy.fieldbook');
  writeLargeVersion1Document(file, { samples: 3000, measurementsPerSample: 10 });
  new Database(file).exec('CREATE TABLE batches (batch INTEGER, n INTEGER)').close();
  // The writer commits batches of 50 rows, each in one transaction, for as long as it runs.
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `
    const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(process.argv[1], { timeout: 5000 });
    const insert = db.prepare('INSERT INTO batches VALUES (?, ?)');
    const batch = db.transaction((b) => { for (let n = 0; n < 50; n++) insert.run(b, n); db.prepare('UPDATE measurements SET value = ? WHERE id % 97 = ?').run(String(b), b % 97); });
    process.stdout.write('ready\\n');
    for (let b = 1; ; b++) batch(b);`,
      file,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()));
  const db = openConnection(file, { lockTimeoutMs: 5000 });
  try {
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const copy = path.join(dir, `copy-${i}.fieldbook`);
      assert.equal(copyUnderReadLock(db, copy), true, `copy ${i}`);
      const check = new Database(copy, { readonly: true });
      try {
        assert.equal(check.pragma('integrity_check', { simple: true }), 'ok', `copy ${i} is intact`);
        const partial = check.prepare('SELECT batch, count(*) AS rows FROM batches GROUP BY batch HAVING count(*) <> 50').all();
        assert.deepEqual(partial, [], `copy ${i} holds whole batches only`);
        seen.add(check.prepare('SELECT count(*) FROM batches').pluck().get() as number);
      } finally {
        check.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    assert.ok(seen.size > 1, `the writer committed between copies (${[...seen].join(', ')})`);
  } finally {
    writer.kill();
    db.close();
  }
});

test('a WAL document, or a connection inside a transaction, is left to the online backup API; nothing is left behind', async () => {
  const dir = tempDir();
  const wal = path.join(dir, 'wal.fieldbook');
  writeLargeVersion1Document(wal, { samples: 200, measurementsPerSample: 2 });
  new Database(wal).pragma('journal_mode = WAL');
  const db = openConnection(wal);
  try {
    db.exec("INSERT INTO sites (name) VALUES ('only in the WAL')");
    const copy = path.join(dir, 'copy.fieldbook');
    assert.equal(copyUnderReadLock(db, copy), false);
    assert.ok(!fs.existsSync(copy));
    const backup = await backupDocument(db, wal, 1, path.join(dir, 'backups'), 5, '.fieldbook');
    const check = new Database(backup, { readonly: true });
    assert.equal(check.prepare("SELECT count(*) FROM sites WHERE name = 'only in the WAL'").pluck().get(), 1, 'the backup holds what is in the WAL');
    check.close();
  } finally {
    db.close();
  }
  const plain = path.join(dir, 'plain.fieldbook');
  writeLargeVersion1Document(plain, { samples: 50, measurementsPerSample: 1 });
  const inside = openConnection(plain);
  try {
    inside.exec('BEGIN');
    assert.equal(copyUnderReadLock(inside, path.join(dir, 'inside.fieldbook')), false);
    assert.equal(inside.inTransaction, true, "the caller's transaction is untouched");
    inside.exec('ROLLBACK');
  } finally {
    inside.close();
  }
});
