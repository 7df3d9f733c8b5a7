/**
 * Stamping writes this app's application_id, user_version and version table, so it refuses
 * files that are not recognisably this app's: always for another application's file and for
 * damaged ones, unless forced for unversioned foreign, newer and not-ours-inconsistent ones.
 * Every refusal is checked through the API and the CLI (exit code, one line, --json) and must
 * leave the file and its folder byte for byte as they were.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { classifyDocument, FieldbookError, type ErrorCode, stampDocument } from '@fieldbook/engine';
import { APPLICATION_ID, beta09Document, documentAt, fileState, rows, runCli, tempDir, withDb } from './helpers/fixtures';
import { writeLargeVersion1Document } from './helpers/large-document';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

process.env.FIELDBOOK_DATA_DIR = tempDir('fieldbook-stamp-data-');

/** The file's bytes and its -journal/-wal (not -shm: any reader of a WAL file rebuilds its index there) and the folder's entries. */
function state(file: string): { files: Record<string, string | null>; folder: string[] } {
  const { '-shm': _shm, ...files } = fileState(file);
  return { files, folder: fs.readdirSync(path.dirname(file)).sort() };
}

/** A WAL file whose writer was killed after committing `sql`: the data sits in a -wal file beside it. */
function crashedWalWriter(file: string, sql: string): void {
  const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(process.argv[1]);
    db.pragma('journal_mode = WAL'); db.pragma('wal_autocheckpoint = 0'); db.exec(process.argv[2]); process.kill(process.pid, 'SIGKILL');`;
  spawnSync(process.execPath, ['-e', script, file, sql]);
  assert.ok(fs.statSync(`${file}-wal`).size > 0, 'the killed writer left no WAL');
}

function refusedWith(code: ErrorCode, forceable: boolean) {
  return (error: unknown): true => {
    assert.ok(error instanceof FieldbookError, `expected FieldbookError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.details.forceable, forceable, `forceable for ${code}: ${error.message}`);
    assert.match(error.message, /not stamped/);
    return true;
  };
}

/** The CLI refuses `stamp FILE TARGET ...extra` with `code`, exit 3, one stderr line, and --json. */
function assertCliRefuses(file: string, code: ErrorCode, extra: string[] = []): void {
  const plain = runCli(['stamp', file, 'head', ...extra]);
  assert.equal(plain.status, 3, plain.stderr);
  assert.equal(plain.stdout, '');
  assert.match(plain.stderr, new RegExp(`^error: ${code}: [^\\n]*not stamped[^\\n]*\\n$`));
  const json = runCli(['stamp', file, 'head', ...extra, '--json']);
  assert.equal(json.status, 3, json.stdout);
  assert.equal(json.stderr, '');
  const body = json.json as { error: { code: string; message: string; forceable: boolean } };
  assert.equal(body.error.code, code);
  assert.ok(!body.error.message.includes('\n'));
}

/** Refused by the API and the CLI without force; `forceable` says whether force may override. */
function assertRefused(file: string, code: ErrorCode, forceable: boolean): void {
  const before = state(file);
  for (const target of ['head', 1, '+1', '-1']) {
    assert.throws(() => stampDocument(file, target, { engine: fieldbookEngine() }), refusedWith(code, forceable), `stamp ${target}`);
    assert.deepEqual(state(file), before, `stamp ${target} changed ${file}`);
  }
  assertCliRefuses(file, code);
  assert.deepEqual(state(file), before, 'the CLI refusal changed the file');
  if (!forceable) {
    assert.throws(() => stampDocument(file, 'head', { engine: fieldbookEngine(), force: true }), refusedWith(code, false), 'force must not override');
    assertCliRefuses(file, code, ['--force']);
    assert.deepEqual(state(file), before, 'a refused --force changed the file');
  }
}

function foreignApp(dir: string, name: string, applicationId: number, wal = false): string {
  const file = path.join(dir, name);
  const db = new Database(file);
  if (wal) db.pragma('journal_mode = WAL');
  db.exec(`PRAGMA application_id = ${applicationId}; PRAGMA user_version = 3;
    CREATE TABLE "select" ("from" TEXT, "it's" TEXT); INSERT INTO "select" VALUES ('a', 'b');`);
  db.close();
  return file;
}

test("another application's file is refused always, even with force, and never touched", () => {
  const dir = tempDir();
  assertRefused(foreignApp(dir, 'other app.db', 0x12345678), 'NOT_A_FIELDBOOK', false);
  assertRefused(foreignApp(dir, 'negative-id.db', -2), 'NOT_A_FIELDBOOK', false);
  assertRefused(foreignApp(dir, 'wal "quoted".db', 0x0badf00d, true), 'NOT_A_FIELDBOOK', false);
  const crashed = path.join(dir, 'crashed app.db');
  crashedWalWriter(crashed, 'PRAGMA application_id = 7; CREATE TABLE t (x); INSERT INTO t VALUES (1)');
  assertRefused(crashed, 'NOT_A_FIELDBOOK', false);
  // Fieldbook's own tables under another app's id are still that app's file.
  const lookalike = documentAt(6, dir, "look'alike.fieldbook");
  withDb(lookalike, (db) => db.pragma('application_id = 42'));
  assertRefused(lookalike, 'NOT_A_FIELDBOOK', false);
});

test('an unversioned file whose tables match no version is refused unless forced; forced, it is stamped', () => {
  const dir = tempDir();
  const file = beta09Document(dir, 'recipes.db', 'CREATE TABLE "Recipes" ("ID" INTEGER PRIMARY KEY, "title text" TEXT); INSERT INTO "Recipes" VALUES (1, \'bread\');');
  assertRefused(file, 'UNKNOWN_SCHEMA', true);
  const forced = stampDocument(file, 1, { engine: fieldbookEngine(), force: true });
  assert.deepEqual([forced.to, forced.schemaMatches], [1, false]);
  assert.equal(rows(file, 'SELECT title FROM (SELECT "title text" AS title FROM "Recipes")')[0]!.title, 'bread');
  assert.equal(rows(file, 'PRAGMA application_id')[0]!.application_id, APPLICATION_ID);

  const wal = path.join(dir, 'wal unknown.db');
  const db = new Database(wal);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE notes (body TEXT)');
  db.prepare('INSERT INTO notes VALUES (?)').run('x\u0000y');
  db.close();
  assertRefused(wal, 'UNKNOWN_SCHEMA', true);
  const crashed = path.join(dir, 'crashed.db');
  crashedWalWriter(crashed, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('kept in the WAL')");
  assertRefused(crashed, 'UNKNOWN_SCHEMA', true);
  const cli = runCli(['stamp', wal, '1', '--force', '--json']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal((cli.json as { to: number }).to, 1);
});

test("a user_version without a version table or this app's application_id is not recognisably ours: refused unless forced", () => {
  const file = foreignApp(tempDir(), 'uses-user-version.db', 0);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine() }).problem?.code, 'INCONSISTENT_VERSION');
  assertRefused(file, 'INCONSISTENT_VERSION', true);
  const cli = runCli(['stamp', file, 'base', '--force']);
  assert.equal(cli.status, 0, cli.stderr);
});

test('a document from a newer app is refused unless forced (a later version, or a migration this app lacks)', () => {
  const dir = tempDir();
  const later = documentAt(6, dir, 'later.fieldbook');
  withDb(later, (db) => db.pragma('user_version = 9'));
  assertRefused(later, 'TOO_NEW', true);
  const future = documentAt(6, dir, 'future.fieldbook');
  withDb(future, (db) => {
    db.prepare(
      `INSERT INTO fieldbook_migrations (version, name, checksum, applied_at, app_version, duration_ms, method)
      VALUES (7, '0007-future', ?, '2031-01-01T00:00:00.000Z', '3.0.0', 1, 'migrate')`,
    ).run('f'.repeat(64));
    db.pragma('user_version = 7');
  });
  assertRefused(future, 'TOO_NEW', true);
  const forced = stampDocument(later, 6, { engine: fieldbookEngine(), force: true });
  assert.deepEqual([forced.from, forced.to, forced.schemaMatches], [9, 6, true]);
  assert.equal(classifyDocument(later, { engine: fieldbookEngine(), check: 'quick' }).status, 'current');
});

test('damaged files are refused even with force: truncated, failing quick_check, not SQLite', () => {
  const dir = tempDir();
  const truncated = path.join(dir, 'truncated.fieldbook');
  writeLargeVersion1Document(truncated, { samples: 400, measurementsPerSample: 5 });
  fs.truncateSync(truncated, Math.floor(fs.statSync(truncated).size / 2));
  assertRefused(truncated, 'DAMAGED', false);

  const corrupt = path.join(dir, 'corrupt page.fieldbook');
  writeLargeVersion1Document(corrupt, { samples: 400, measurementsPerSample: 5 });
  const db = new Database(corrupt);
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = 'measurements' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = fs.openSync(corrupt, 'r+');
  fs.writeSync(fd, Buffer.alloc(200, 0xff), 0, 200, (pages[Math.floor(pages.length / 2)]! - 1) * pageSize + 8);
  fs.closeSync(fd);
  assert.equal(classifyDocument(corrupt, { engine: fieldbookEngine() }).status, 'outdated', 'the header alone looks healthy');
  assertRefused(corrupt, 'DAMAGED', false);

  const text = path.join(dir, 'notes.fieldbook');
  fs.writeFileSync(text, 'field notes, not a database\n');
  assertRefused(text, 'NOT_SQLITE', false);
});

test("this app's documents are stamped without force: inconsistent bookkeeping is what stamp repairs", () => {
  const dir = tempDir();
  const inconsistent = documentAt(6, dir, 'inconsistent.fieldbook');
  withDb(inconsistent, (db) => db.pragma('user_version = 4'));
  assert.equal(classifyDocument(inconsistent, { engine: fieldbookEngine() }).problem?.code, 'INCONSISTENT_VERSION');
  const repaired = stampDocument(inconsistent, 6, { engine: fieldbookEngine() });
  assert.deepEqual([repaired.from, repaired.to, repaired.schemaMatches], [4, 6, true]);
  assert.equal(classifyDocument(inconsistent, { engine: fieldbookEngine(), check: 'quick' }).status, 'current');

  const noTable = documentAt(3, dir, 'no-version-table.fieldbook');
  withDb(noTable, (db) => db.exec('DROP TABLE fieldbook_migrations'));
  const cli = runCli(['stamp', noTable, '3', '--json']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(classifyDocument(noTable, { engine: fieldbookEngine(), check: 'quick' }).status, 'outdated');

  const legacy = beta09Document(dir);
  assert.equal(stampDocument(legacy, 1, { engine: fieldbookEngine() }).schemaMatches, true, 'a 0.9 file is adopted');
  const relative = runCli(['stamp', legacy, '-1', '--json']);
  assert.equal(relative.status, 0, relative.stderr);
  assert.deepEqual([(relative.json as { from: number; to: number }).from, (relative.json as { to: number }).to], [1, 0]);
});
