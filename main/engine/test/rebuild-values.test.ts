/**
 * A rebuild copies rows with INSERT ... SELECT, and SQLite applies the new column's affinity to
 * every value it inserts. These tests prove that no value changes silently: each cell's typeof()
 * and hex() are compared before and after, conversions that give the value back are accepted,
 * and the others are refused naming the column and the row, leaving the file as it was. Some
 * documents are written by Debian's sqlite3 3.40 shell (a child process), which stores TEXT
 * `'5\0x'` in an INTEGER column; SQLite 3.53 would read it as 5 on any re-insert.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { schemaOperations, type SchemaOperations, connectionExecutor, quoteIdent } from '../src/tooling';
import { convertibleCopies } from '../src/schema/copied-values';
import { sha256File, tempDir } from './helpers/fixtures';

type Db = Database.Database;

/** A document made by the given SQL, through better-sqlite3 or (`shell`) Debian's sqlite3 3.40. */
function documentWith(sql: string, shell = false): string {
  const file = path.join(tempDir('engine-rebuild-values-'), 'document.sqlite');
  if (shell) {
    const r = spawnSync('/usr/bin/sqlite3', [file], { input: sql, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  } else {
    const db = new Database(file);
    db.exec(sql);
    db.close();
  }
  return file;
}

/** Every cell of a table as `rowid|typeof:hex|...`, safe for 64-bit integers. */
function cells(db: Db, table: string, key = 'rowid'): string[] {
  const columns = db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all(table) as string[];
  const list = columns.map((c) => `typeof(${quoteIdent(c)}) || ':' || coalesce(hex(${quoteIdent(c)}), '')`).join(` || '|' || `);
  return db
    .prepare(`SELECT CAST(${key} AS TEXT) || '|' || ${list} FROM ${quoteIdent(table)} ORDER BY ${key}`)
    .pluck()
    .all() as string[];
}

/** Runs `op` as the migration runner would (foreign keys off, one transaction); rolls back when it throws. */
function migrate(file: string, op: (ops: SchemaOperations, db: Db) => void): void {
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = OFF');
    db.exec('BEGIN');
    try {
      op(schemaOperations(connectionExecutor(db)), db);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    db.close();
  }
}

function read<T>(file: string, fn: (db: Db) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const NUL_IN_INTEGER = 'CREATE TABLE t (a INTEGER, b TEXT UNIQUE, c TEXT);\n' + "INSERT INTO t VALUES (CAST(x'350078' AS TEXT), 'x', 'c1'), (7, 'y', 'c2'), ('abc', 'z', 'c3');";

test("TEXT '5\\0x' in an INTEGER column (written by SQLite 3.40): alterColumn of another column is refused naming the column and row; the file is unchanged", () => {
  const file = documentWith(NUL_IN_INTEGER, true);
  const before = sha256File(file);
  assert.throws(
    () => migrate(file, (ops) => ops.alterColumn('t', 'c', 'TEXT NOT NULL')),
    /rebuilding t would change values of column "a": the row with key 1 holds text '5' \(bytes X'350078'\), which would become integer 5/,
  );
  assert.equal(sha256File(file), before);
});

test("TEXT '5\\0x' in an INTEGER column: a dropColumn that rebuilds is refused too; the native DROP COLUMN keeps the value byte for byte", () => {
  const file = documentWith(NUL_IN_INTEGER, true);
  assert.throws(() => migrate(file, (ops) => ops.dropColumn('t', 'b')), /column "a".*X'350078'/);
  migrate(file, (ops) => ops.dropColumn('t', 'c'));
  assert.deepEqual(
    read(file, (db) => db.prepare('SELECT typeof(a) AS t, hex(a) AS h FROM t WHERE rowid = 1').get()),
    { t: 'text', h: '350078' },
  );
});

test("TEXT '5\\0x': giving the column a type that keeps it (BLOB, no type) rebuilds with every cell byte-identical; TEXT keeps it too", () => {
  for (const type of ['BLOB', '', 'TEXT']) {
    const file = documentWith(NUL_IN_INTEGER, true);
    const before = read(file, (db) => cells(db, 't'));
    migrate(file, (ops) => ops.alterColumn('t', 'a', type, undefined, { constraints: 'replace' }));
    const after = read(file, (db) => cells(db, 't'));
    if (type === 'TEXT') {
      assert.deepEqual([after[0], after[2]], [before[0], before[2]]);
      assert.equal(after[1], '2|text:37|text:79|text:6332', 'INTEGER 7 becomes TEXT 7');
    } else {
      assert.deepEqual(after, before, `type ${JSON.stringify(type)}`);
    }
  }
});

test('NUL bytes in TEXT and BLOB values, 64-bit, negative and sparse rowids: every cell and rowid byte-identical after a rebuild', () => {
  const file = documentWith(`CREATE TABLE "Odd ""Name""" (t TEXT, b BLOB, n NUMERIC, r REAL, i INTEGER, x);
    INSERT INTO "Odd ""Name""" (rowid, t, b, n, r, i, x) VALUES
      (9223372036854775807, CAST(x'610062' AS TEXT), x'00ff00', 'abc', 1.5, 9223372036854775807, CAST(x'3500' AS TEXT)),
      (-9223372036854775808, '', x'', NULL, 0.30000000000000004, -9223372036854775808, x'35'),
      (-3, '007', zeroblob(3), 12, -0.0, 3, 4.25), (40, NULL, NULL, 1e300, 1e-300, NULL, 'x');`);
  const before = read(file, (db) => cells(db, 'Odd "Name"'));
  migrate(file, (ops) => ops.alterColumn('odd "name"', 'X', 'NOT NULL DEFAULT 0'));
  migrate(file, (ops) => ops.rebuildTable('ODD "NAME"', { create: 'CREATE TABLE x (t TEXT, b BLOB, n NUMERIC, r REAL, i INTEGER, x, extra TEXT)' }));
  const after = read(file, (db) => cells(db, 'Odd "Name"'));
  assert.deepEqual(
    after,
    before.map((row) => `${row}|null:`),
  );
  // ANY outside a STRICT table is NUMERIC affinity: TEXT '5\0' would become 5, so it is refused.
  assert.throws(() => migrate(file, (ops) => ops.alterColumn('Odd "Name"', 'x', 'ANY')), /column "x": the row with key 9223372036854775807 holds text '5' \(bytes X'3500'\)/);
});

test("type-only alterColumn TEXT → INTEGER converts '7' (it converts back) and keeps 'abc', but refuses '007' naming it", () => {
  const file = documentWith("CREATE TABLE t (a TEXT, b); INSERT INTO t VALUES ('7', 1), ('abc', 2), (NULL, 3), ('-12', 4);");
  migrate(file, (ops) => ops.alterColumn('t', 'a', 'INTEGER'));
  assert.deepEqual(
    read(file, (db) => db.prepare("SELECT typeof(a) || ':' || quote(a) FROM t ORDER BY rowid").pluck().all()),
    ['integer:7', "text:'abc'", 'null:NULL', 'integer:-12'],
  );
  const lossy = documentWith("CREATE TABLE t (a TEXT, b); INSERT INTO t VALUES ('7', 1), ('007', 2), (' 8', 3);");
  const before = sha256File(lossy);
  assert.throws(() => migrate(lossy, (ops) => ops.alterColumn('t', 'a', 'INTEGER')), /column "a": the row with key 2 holds text '007', which would become integer 7/);
  assert.equal(sha256File(lossy), before);
});

test("an explicit valueExpression converts on purpose: '007' → 7 with CAST", () => {
  const file = documentWith("CREATE TABLE t (a TEXT, b); INSERT INTO t VALUES ('007', 1);");
  migrate(file, (ops) => ops.alterColumn('t', 'a', 'INTEGER', 'CAST(a AS INTEGER)'));
  assert.equal(
    read(file, (db) => db.prepare('SELECT a FROM t').pluck().get()),
    7,
  );
});

test('INTEGER → REAL: small integers convert, 2^63-1 and 2^53+1 (they would lose digits) are refused', () => {
  const ok = documentWith('CREATE TABLE t (a INTEGER, b); INSERT INTO t VALUES (5, 1), (-7, 2), (9007199254740992, 3);');
  migrate(ok, (ops) => ops.alterColumn('t', 'a', 'REAL'));
  assert.deepEqual(
    read(ok, (db) => db.prepare('SELECT typeof(a) FROM t').pluck().all()),
    ['real', 'real', 'real'],
  );
  for (const big of ['9223372036854775807', '9007199254740993']) {
    const file = documentWith(`CREATE TABLE t (a INTEGER, b); INSERT INTO t VALUES (1, 1), (${big}, 2);`);
    assert.throws(() => migrate(file, (ops) => ops.alterColumn('t', 'a', 'REAL')), new RegExp(`key 2 holds integer ${big}, which would become real`));
  }
});

test('REAL ↔ TEXT and INTEGER → TEXT: conversions that give the value back are accepted; TEXT 1e3 → REAL is refused', () => {
  const file = documentWith('CREATE TABLE t (a REAL, i INTEGER); INSERT INTO t VALUES (0.1 + 0.2, 5), (1.0 / 3, -3), (2.5, 0);');
  const reals = read(file, (db) => db.prepare('SELECT a FROM t ORDER BY rowid').pluck().all());
  migrate(file, (ops) => {
    ops.alterColumn('t', 'a', 'TEXT');
    ops.alterColumn('t', 'i', 'TEXT');
  });
  assert.deepEqual(
    read(file, (db) => db.prepare('SELECT typeof(a) || typeof(i) FROM t').pluck().all()),
    ['texttext', 'texttext', 'texttext'],
  );
  migrate(file, (ops) => {
    ops.alterColumn('t', 'a', 'REAL');
    ops.alterColumn('t', 'i', 'INTEGER');
  });
  assert.deepEqual(
    read(file, (db) => db.prepare('SELECT a FROM t ORDER BY rowid').pluck().all()),
    reals,
  );
  const text = documentWith("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('1e3');");
  assert.throws(() => migrate(text, (ops) => ops.alterColumn('t', 'a', 'REAL')), /holds text '1e3', which would become real 1000.0/);
});

test('WITHOUT ROWID: rows are matched by the primary key; a lossless key conversion passes, a lossy one is refused', () => {
  const ok = documentWith("CREATE TABLE k (code TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID; INSERT INTO k VALUES ('5', 'a'), ('12', 'b');");
  migrate(ok, (ops) => ops.alterColumn('k', 'code', 'INTEGER'));
  assert.deepEqual(
    read(ok, (db) => db.prepare('SELECT code, v FROM k ORDER BY code').raw().all()),
    [
      [5, 'a'],
      [12, 'b'],
    ],
  );
  const lossy = documentWith("CREATE TABLE k (code TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID; INSERT INTO k VALUES ('05', 'a'), ('12', 'b');");
  assert.throws(() => migrate(lossy, (ops) => ops.alterColumn('k', 'code', 'INTEGER')), /column "code": the row with key '05' holds text '05'/);
});

test('a rebuild into a WITHOUT ROWID table and back keeps every value, typed as the new columns say', () => {
  const file = documentWith("CREATE TABLE p (k TEXT NOT NULL, v INTEGER); INSERT INTO p VALUES ('a', 1), ('b', NULL), ('c', 3);");
  migrate(file, (ops) => ops.rebuildTable('p', { create: 'CREATE TABLE p (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID' }));
  assert.deepEqual(
    read(file, (db) => db.prepare('SELECT k, v FROM p ORDER BY k').raw().all()),
    [
      ['a', '1'],
      ['b', null],
      ['c', '3'],
    ],
  );
  migrate(file, (ops) => ops.rebuildTable('p', { create: 'CREATE TABLE p (k TEXT, v INTEGER)' }));
  assert.deepEqual(
    read(file, (db) => db.prepare('SELECT k, v FROM p ORDER BY k').raw().all()),
    [
      ['a', 1],
      ['b', null],
      ['c', 3],
    ],
  );
});

test('the values to prove kept are found by column names folded as SQLite folds them: "É" and "é" are two columns with their own types', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE old ("É" INTEGER, "é" TEXT); CREATE TABLE new ("É" TEXT, "é" TEXT)');
  // É goes from INTEGER to TEXT (numbers convert); é stays TEXT (nothing to prove).
  const copied = convertibleCopies(connectionExecutor(db), 'old', 'new', ['É', 'é'], ['É', 'é'], () => false);
  assert.deepEqual(
    copied.map((c) => c.from),
    ['É'],
  );
  db.close();
});
