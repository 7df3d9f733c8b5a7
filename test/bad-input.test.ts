/**
 * Bad input, proven on real files: every file the engine must refuse is refused with the right
 * code by the API (classifyDocument, upgradeDocument) and by the CLI (exit code, one-line
 * `error: CODE: message` on stderr, `{"error": {...}}` with --json), and is left byte for byte
 * as it was, with no journal or other file created beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import Database from 'better-sqlite3';
import { classifyDocument, type DocumentStatus, FieldbookError, type ErrorCode, upgradeDocument } from '@fieldbook/engine';
import { openConnection } from '@fieldbook/engine/tooling';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { beta09Document, documentAt, fileState, runCli, tempDir, withDb } from './helpers/fixtures';
import { writeLargeVersion1Document } from './helpers/large-document';
import { holdExclusiveLock } from './helpers/lock-holder';
import { pngBytes } from './helpers/png';

const HEAD = 6;
// Upgrades made through the API in this process must not touch the real app-data folder.
process.env.FIELDBOOK_DATA_DIR = tempDir('fieldbook-bad-input-data-');

/** Everything observable about a path and its folder: its kind, bytes (and SQLite siblings), and the folder's entries. */
function pathState(target: string): { kind: string; files: Record<string, string | null> | null; folder: string[] } {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  const kind = !stat ? 'missing' : stat.isDirectory() ? `folder [${fs.readdirSync(target).sort().join(', ')}]` : 'file';
  return { kind, files: kind === 'file' ? fileState(target) : null, folder: fs.readdirSync(path.dirname(target)).sort() };
}

function assertUnchanged(target: string, before: ReturnType<typeof pathState>, after: string): void {
  const now = pathState(target);
  assert.equal(now.kind, before.kind, `${after}: ${target} changed kind`);
  assert.deepEqual(now.files, before.files, `${after}: the bytes of ${path.basename(target)} or its -journal/-wal/-shm siblings changed`);
  assert.deepEqual(now.folder, before.folder, `${after}: files appeared or vanished beside ${path.basename(target)}`);
}

function fieldbookErrorWith(code: ErrorCode) {
  return (error: unknown): true => {
    assert.ok(error instanceof FieldbookError, `expected a FieldbookError ${code}, got ${error instanceof Error ? error.stack : String(error)}`);
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    return true;
  };
}

type ClassifyExpectation = { status: DocumentStatus; problem: ErrorCode | null } | { throws: ErrorCode };

function assertClassifies(file: string, expected: ClassifyExpectation, check: 'none' | 'quick' = 'none'): void {
  if ('throws' in expected) {
    assert.throws(() => classifyDocument(file, { engine: fieldbookEngine(), check }), fieldbookErrorWith(expected.throws), `classifyDocument should throw ${expected.throws}`);
    return;
  }
  const c = classifyDocument(file, { engine: fieldbookEngine(), check });
  assert.equal(c.status, expected.status, `classifyDocument status: expected ${expected.status}, got ${c.status} (${JSON.stringify(c.problem)})`);
  assert.equal(c.problem?.code ?? null, expected.problem, `classifyDocument problem: expected ${expected.problem}, got ${JSON.stringify(c.problem)}`);
}

/** Runs `fieldbook upgrade FILE` with and without --json and checks the refusal is reported as `code` with `exit`. */
function assertCliRefuses(args: string[], code: ErrorCode, exit: number): void {
  const plain = runCli(args);
  assert.equal(plain.status, exit, `fieldbook ${args.join(' ')}: exit ${plain.status}, expected ${exit}; stderr: ${plain.stderr}`);
  assert.equal(plain.stdout, '', `fieldbook ${args.join(' ')}: printed to stdout on failure: ${plain.stdout}`);
  assert.match(
    plain.stderr,
    new RegExp(`^error: ${code}: [^\\n]+\\n$`),
    `fieldbook ${args.join(' ')}: stderr is not one "error: ${code}: message" line: ${JSON.stringify(plain.stderr)}`,
  );

  const json = runCli([...args, '--json']);
  assert.equal(json.status, exit, `fieldbook ${args.join(' ')} --json: exit ${json.status}, expected ${exit}; stdout: ${json.stdout}`);
  assert.equal(json.stderr, '', `fieldbook ${args.join(' ')} --json: wrote to stderr: ${json.stderr}`);
  const body = json.json as { error?: { code?: unknown; message?: unknown } } | null;
  assert.ok(body && typeof body.error === 'object', `fieldbook ${args.join(' ')} --json: stdout is not {"error": {...}}: ${json.stdout}`);
  assert.equal(body.error!.code, code, `fieldbook ${args.join(' ')} --json: error code ${String(body.error!.code)}, expected ${code}`);
  assert.ok(
    typeof body.error!.message === 'string' && body.error!.message.length > 0 && !body.error!.message.includes('\n'),
    `fieldbook ${args.join(' ')} --json: error.message is not a one-line string: ${JSON.stringify(body.error!.message)}`,
  );
}

/**
 * The whole refusal: classification, upgradeDocument, and `fieldbook upgrade` (plain and --json)
 * all report the problem, and the path, its bytes and its folder are the same afterwards.
 */
async function assertRefused(target: string, classify: ClassifyExpectation, code: ErrorCode): Promise<void> {
  const before = pathState(target);
  assertClassifies(target, classify);
  assertUnchanged(target, before, 'after classifyDocument');
  const backupDir = path.join(tempDir('fieldbook-bad-input-backups-'), 'backups');
  await assert.rejects(upgradeDocument(target, { engine: fieldbookEngine(), backup: backupDir }), fieldbookErrorWith(code), `upgradeDocument should reject with ${code}`);
  assertUnchanged(target, before, 'after upgradeDocument');
  assertCliRefuses(['upgrade', target], code, 3);
  assertUnchanged(target, before, 'after fieldbook upgrade');
}

/** A version-1 document with a few rows in every table. */
function version1WithRows(dir: string, name: string): string {
  const file = documentAt(1, dir, name);
  withDb(file, (db) =>
    db.exec(`
    INSERT INTO sites (id, name, lat, lon) VALUES (1, 'Fluss', 48.1, 11.5), (2, 'Wald', NULL, NULL);
    INSERT INTO samples (id, site_id, code, collected, notes) VALUES (1, 1, 'F-1', '3.4.2023', 'Ufer'), (2, 2, 'W-1', '2023-04-05', NULL);
    INSERT INTO measurements (id, sample_id, kind, value, unit) VALUES (1, 1, 'pH', '7,2', NULL), (2, 1, 'temperature', ' 12 ', 'C'), (3, 2, 'depth', 'n/a', 'm');`),
  );
  return file;
}

test('a missing path is NOT_FOUND everywhere, and nothing is created there', async () => {
  const file = path.join(tempDir(), 'missing.fieldbook');
  await assertRefused(file, { throws: 'NOT_FOUND' }, 'NOT_FOUND');
  assert.equal(fs.existsSync(file), false, 'refusing a missing path created a file there');
});

test('a folder is NOT_FOUND for single-document operations, an empty batch for upgrade, and stays an empty folder', async () => {
  const folder = path.join(tempDir(), 'folder.fieldbook');
  fs.mkdirSync(folder);
  assertClassifies(folder, { throws: 'NOT_FOUND' });
  await assert.rejects(upgradeDocument(folder, { engine: fieldbookEngine(), backup: path.join(tempDir(), 'backups') }), fieldbookErrorWith('NOT_FOUND'));
  assertCliRefuses(['info', folder], 'NOT_FOUND', 3);
  assertCliRefuses(['downgrade', folder, '--to', '1'], 'NOT_FOUND', 3);
  // `fieldbook upgrade FOLDER` upgrades the documents found in it: none here.
  const batch = runCli(['upgrade', folder, '--json']);
  assert.equal(batch.status, 0, batch.stderr);
  assert.deepEqual((batch.json as { files: unknown[] }).files, []);
  assert.deepEqual(fs.readdirSync(folder), [], 'something was written into the folder');
});

test('a zero-byte file is damaged/NOT_SQLITE, stays zero bytes and gets no journal', async () => {
  const file = path.join(tempDir(), 'empty.fieldbook');
  fs.writeFileSync(file, '');
  await assertRefused(file, { status: 'damaged', problem: 'NOT_SQLITE' }, 'NOT_SQLITE');
  assert.equal(fs.statSync(file).size, 0, 'the empty file is no longer empty');
  assert.equal(fs.existsSync(`${file}-journal`), false, 'a journal was created beside the empty file');
});

test('a text file named .fieldbook is NOT_SQLITE and left as it was', async () => {
  const file = path.join(tempDir(), 'notes.fieldbook');
  fs.writeFileSync(file, 'Field notes, 3 April 2023\nRiver bank: pH 7.2, 12 °C, depth 0.4 m\nRidge: nothing found\n'.repeat(20));
  await assertRefused(file, { status: 'damaged', problem: 'NOT_SQLITE' }, 'NOT_SQLITE');
});

test('a PNG image named .fieldbook is NOT_SQLITE and left as it was', async () => {
  const file = path.join(tempDir(), 'photo.fieldbook');
  fs.writeFileSync(file, pngBytes());
  await assertRefused(file, { status: 'damaged', problem: 'NOT_SQLITE' }, 'NOT_SQLITE');
});

test('a database cut in half is damaged/DAMAGED and left as it was', async () => {
  const file = path.join(tempDir(), 'truncated.fieldbook');
  writeLargeVersion1Document(file, { samples: 400, measurementsPerSample: 5 });
  const { size } = fs.statSync(file);
  assert.ok(size >= 16 * 4096, `the document to truncate should span many pages, it has ${size} bytes`);
  fs.truncateSync(file, Math.floor(size / 2));
  await assertRefused(file, { status: 'damaged', problem: 'DAMAGED' }, 'DAMAGED');
});

test("an SQLite database with another application's application_id is foreign/NOT_A_FIELDBOOK and left as it was", async () => {
  const file = path.join(tempDir(), 'other-app.fieldbook');
  const db = new Database(file);
  db.exec("PRAGMA application_id = 305419896; CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO recipes VALUES (1, 'bread');");
  db.close();
  await assertRefused(file, { status: 'foreign', problem: 'NOT_A_FIELDBOOK' }, 'NOT_A_FIELDBOOK');
});

test('an unversioned database whose tables match no version is foreign/UNKNOWN_SCHEMA and left as it was', async () => {
  const file = beta09Document(tempDir(), 'unknown.fieldbook', "CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO recipes VALUES (1, 'bread');");
  await assertRefused(file, { status: 'foreign', problem: 'UNKNOWN_SCHEMA' }, 'UNKNOWN_SCHEMA');
});

test('a document recording a migration this app does not have (0007-future, user_version 7) is newer/TOO_NEW and left as it was', async () => {
  const file = documentAt(HEAD, tempDir(), 'future.fieldbook');
  withDb(file, (db) => {
    db.prepare(
      `INSERT INTO fieldbook_migrations (version, name, checksum, applied_at, app_version, duration_ms, method)
      VALUES (7, '0007-future', ?, '2031-01-01T00:00:00.000Z', '3.0.0', 12.5, 'migrate')`,
    ).run('f'.repeat(64));
    db.pragma('user_version = 7');
  });
  await assertRefused(file, { status: 'newer', problem: 'TOO_NEW' }, 'TOO_NEW');
});

test('a document whose version table records a known migration with another checksum is newer/TOO_NEW and left as it was', async () => {
  const file = documentAt(HEAD, tempDir(), 'other-checksum.fieldbook');
  withDb(file, (db) => {
    const changed = db.prepare('UPDATE fieldbook_migrations SET checksum = ? WHERE version = 3').run('0'.repeat(64));
    assert.equal(changed.changes, 1, 'the head document has no version-table row for version 3');
  });
  await assertRefused(file, { status: 'newer', problem: 'TOO_NEW' }, 'TOO_NEW');
});

test('a head document with user_version set back to 4 is damaged/INCONSISTENT_VERSION and left as it was', async () => {
  const file = documentAt(HEAD, tempDir(), 'inconsistent.fieldbook');
  withDb(file, (db) => db.pragma('user_version = 4'));
  await assertRefused(file, { status: 'damaged', problem: 'INCONSISTENT_VERSION' }, 'INCONSISTENT_VERSION');
});

test('a read-only outdated document is READ_ONLY for upgrade, still readable by info (outdated), and left as it was', async () => {
  const file = version1WithRows(tempDir(), 'read-only.fieldbook');
  fs.chmodSync(file, 0o444);
  try {
    await assertRefused(file, { status: 'outdated', problem: null }, 'READ_ONLY');
    const before = pathState(file);
    const info = runCli(['info', file, '--json']);
    assert.equal(info.status, 0, `fieldbook info on a read-only document failed with exit ${info.status}: ${info.stderr}${info.stdout}`);
    const body = info.json as { status?: unknown; version?: unknown } | null;
    assert.equal(body?.status, 'outdated', `fieldbook info --json on a read-only version-1 document: ${info.stdout}`);
    assert.equal(body?.version, 1, `fieldbook info --json reports the wrong version: ${info.stdout}`);
    const text = runCli(['info', file]);
    assert.equal(text.status, 0, `fieldbook info (text) on a read-only document failed: ${text.stderr}`);
    assert.match(text.stdout, /: outdated \(version 1, head 6\)/, `fieldbook info does not say outdated: ${text.stdout}`);
    assertUnchanged(file, before, 'after fieldbook info');
  } finally {
    fs.chmodSync(file, 0o644);
  }
});

test('a document locked by another process is LOCKED within a few seconds, for classify and upgrade, and left as it was', async () => {
  const file = version1WithRows(tempDir(), 'locked.fieldbook');
  const holder = await holdExclusiveLock(file);
  try {
    const before = pathState(file);
    let started = performance.now();
    assert.throws(() => classifyDocument(file, { engine: fieldbookEngine() }), fieldbookErrorWith('LOCKED'), 'classifyDocument of a locked document should throw LOCKED');
    const classifyMs = performance.now() - started;
    started = performance.now();
    await assert.rejects(
      upgradeDocument(file, { engine: fieldbookEngine(), backup: path.join(tempDir(), 'backups') }),
      fieldbookErrorWith('LOCKED'),
      'upgradeDocument of a locked document should reject with LOCKED',
    );
    const upgradeMs = performance.now() - started;
    for (const [what, ms] of [
      ['classifyDocument', classifyMs],
      ['upgradeDocument', upgradeMs],
    ] as const) {
      assert.ok(ms < 8000, `${what} took ${Math.round(ms)} ms to report LOCKED (the lock timeout is 3000 ms)`);
    }
    assertUnchanged(file, before, 'after classifyDocument and upgradeDocument');
    assertCliRefuses(['upgrade', file], 'LOCKED', 3);
    assertUnchanged(file, before, 'after fieldbook upgrade');
  } finally {
    await holder.release();
  }
  const result = await upgradeDocument(file, { engine: fieldbookEngine(), backup: path.join(tempDir(), 'backups') });
  assert.equal(result.to, HEAD, 'once the other process is gone, the document should upgrade');
});

test('a document in a folder with spaces and non-ASCII characters upgrades, keeps its rows, and info reports it current', () => {
  const folder = path.join(tempDir(), 'Feldnotizen März 2023');
  fs.mkdirSync(folder);
  const file = version1WithRows(folder, 'Probe Nr. 1 — Fluss.fieldbook');
  const dataDir = tempDir('fieldbook-data-');

  const upgrade = runCli(['upgrade', file, '--json'], { env: { FIELDBOOK_DATA_DIR: dataDir } });
  assert.equal(upgrade.status, 0, `fieldbook upgrade failed with exit ${upgrade.status}: ${upgrade.stderr}${upgrade.stdout}`);
  const result = upgrade.json as { path?: unknown; from?: unknown; to?: unknown; backup?: unknown };
  assert.equal(result.path, file, `fieldbook upgrade reports another path: ${upgrade.stdout}`);
  assert.deepEqual([result.from, result.to], [1, HEAD], `fieldbook upgrade did not go from 1 to ${HEAD}: ${upgrade.stdout}`);
  assert.ok(
    typeof result.backup === 'string' && result.backup.endsWith('.fieldbook') && fs.existsSync(result.backup),
    `fieldbook upgrade did not leave a finished backup: ${String(result.backup)}`,
  );
  assert.ok(result.backup.startsWith(dataDir + path.sep), `the backup is not in the app-data folder ${dataDir}: ${result.backup}`);

  const info = runCli(['info', file, '--json']);
  assert.equal(info.status, 0, `fieldbook info failed with exit ${info.status}: ${info.stderr}`);
  const body = info.json as { path?: unknown; status?: unknown; version?: unknown };
  assert.deepEqual([body.path, body.status, body.version], [file, 'current', HEAD], `fieldbook info after the upgrade: ${info.stdout}`);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine(), check: 'full' }).status, 'current', 'classifyDocument with a full check does not say current');

  const counts = withDb(file, (db) => ['sites', 'samples', 'measurements'].map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()));
  assert.deepEqual(counts, [2, 2, 3], 'rows were lost in the upgrade');
  assert.deepEqual(fs.readdirSync(folder), ['Probe Nr. 1 — Fluss.fieldbook'], 'files were left beside the upgraded document');
});

test('a version-5 document whose trigger calls an app function is refused (UNKNOWN_SCHEMA) and left as it was', async () => {
  const file = documentAt(5, tempDir(), 'hooked.fieldbook');
  withDb(file, (db) =>
    db.exec(`
    INSERT INTO sites (id, name) VALUES (1, 'Fluss');
    INSERT INTO samples (id, site_id, code, description) VALUES (1, 1, 'F-1', 'Ufer');
    CREATE TRIGGER t AFTER UPDATE ON samples BEGIN SELECT fieldbook_hook(new.id); END;`),
  );
  const before = pathState(file);
  const checked = classifyDocument(file, { engine: fieldbookEngine(), check: 'quick' });
  assert.equal(checked.problem?.code, 'UNKNOWN_SCHEMA', `classifyDocument with check 'quick' should report UNKNOWN_SCHEMA: ${JSON.stringify(checked)}`);
  assert.notEqual(checked.status, 'outdated', 'classifyDocument with a check calls the altered document upgradable');
  assertUnchanged(file, before, 'after classifyDocument');
  await assert.rejects(
    upgradeDocument(file, { engine: fieldbookEngine(), backup: path.join(tempDir(), 'backups') }),
    fieldbookErrorWith('UNKNOWN_SCHEMA'),
    'upgradeDocument should refuse with UNKNOWN_SCHEMA',
  );
  assertUnchanged(file, before, 'after upgradeDocument');
  assertCliRefuses(['upgrade', file], 'UNKNOWN_SCHEMA', 3);
  assertUnchanged(file, before, 'after fieldbook upgrade');
});

test('the hardened connection refuses to run an app-registered function from a document trigger ("unsafe use")', () => {
  const dir = tempDir();
  const original = documentAt(5, dir, 'hooked.fieldbook');
  withDb(original, (db) =>
    db.exec(`
    INSERT INTO sites (id, name) VALUES (1, 'Fluss');
    INSERT INTO samples (id, site_id, code, description) VALUES (1, 1, 'F-1', 'Ufer');
    CREATE TRIGGER t AFTER UPDATE ON samples BEGIN SELECT fieldbook_hook(new.id); END;`),
  );
  const control = path.join(dir, 'control.fieldbook');
  fs.copyFileSync(original, control);

  // Control: on a plain connection (trusted_schema on) the trigger does call the function.
  let plainCalls = 0;
  const plain = new Database(control);
  try {
    // One parameter: better-sqlite3 registers a function with the arity of the JS function, and
    // the trigger passes new.id (a zero-argument `() => 1` fails with "wrong number of arguments").
    plain.function('fieldbook_hook', (_id: unknown) => ++plainCalls);
    plain.prepare("UPDATE samples SET description = 'changed' WHERE id = 1").run();
  } finally {
    plain.close();
  }
  assert.equal(plainCalls, 1, 'control: the trigger did not call fieldbook_hook on a plain connection, so this test proves nothing');

  const engine = fieldbookEngine({ lockTimeoutMs: 1000 });
  let hardenedCalls = 0;
  const db = openConnection(original, { lockTimeoutMs: engine.lockTimeoutMs });
  try {
    db.function('fieldbook_hook', (_id: unknown) => ++hardenedCalls);
    assert.throws(
      () => db.prepare("UPDATE samples SET description = 'changed' WHERE id = 1").run(),
      /unsafe use of fieldbook_hook/,
      'the engine connection let a schema trigger call an app-registered function',
    );
    assert.equal(db.prepare('SELECT description FROM samples WHERE id = 1').pluck().get(), 'Ufer', 'the refused UPDATE changed the row');
  } finally {
    db.close();
  }
  assert.equal(hardenedCalls, 0, 'fieldbook_hook ran on the hardened connection');
});

test('usage errors exit 2 with a one-line USAGE/BAD_TARGET error and leave the document as it was', async () => {
  const file = version1WithRows(tempDir(), 'usage.fieldbook');
  const before = pathState(file);
  await assert.rejects(
    upgradeDocument(file, { engine: fieldbookEngine(), to: 99, backup: path.join(tempDir(), 'backups') }),
    fieldbookErrorWith('BAD_TARGET'),
    'upgradeDocument to version 99 should reject with BAD_TARGET',
  );
  assertCliRefuses(['upgrade', file, '--to', '99'], 'BAD_TARGET', 2);
  assertCliRefuses(['upgrade', file, '--frobnicate'], 'USAGE', 2);
  assertCliRefuses(['upgrade', file, '--backup-dir', path.join(tempDir(), 'b'), '--no-backup'], 'USAGE', 2);
  assertCliRefuses(['upgrade'], 'USAGE', 2);
  assertCliRefuses(['downgrade', file, 'second.fieldbook', '--to', '0'], 'USAGE', 2);
  assertUnchanged(file, before, 'after the usage errors');
});
