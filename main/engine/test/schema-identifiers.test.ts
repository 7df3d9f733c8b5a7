/**
 * Identifiers as SQLite treats them, and the parsing the schema operations rely on: one quoting
 * function, ASCII-only case folding, names as spelled, column and table constraints split the
 * way SQLite's grammar has them. The last tests run rebuilds over awkward names and values
 * (NULs in text and blobs, very long names) on real files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import {
  schemaOperations,
  connectionExecutor,
  quoteIdent,
  quoteString,
  splitCreateTable,
  tokenizeSql,
  parseColumnDefinition,
  parseTableConstraint,
  columnOfPart,
  foldName,
  identifierOf,
  sameName,
} from '../src/tooling';
import { tempDir } from './helpers/fixtures';

const AWKWARD = ["it's", 'say "hi"', 'two words', 'order', 'select', 'MiXeD', 'Café', 'größe', '[br]', '`tick`', 'semi;colon', '--dash', ''];

test('quoteIdent round-trips every awkward name through SQLite (as table and column names)', () => {
  const db = new Database(':memory:');
  for (const name of AWKWARD.filter((n) => n !== '')) {
    db.exec(`CREATE TABLE ${quoteIdent(name)} (${quoteIdent(name)} TEXT)`);
    db.prepare(`INSERT INTO ${quoteIdent(name)} (${quoteIdent(name)}) VALUES (?)`).run(name);
    assert.equal(
      db
        .prepare(`SELECT ${quoteIdent(name)} FROM ${quoteIdent(name)}`)
        .pluck()
        .get(),
      name,
    );
    assert.deepEqual(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(name), [name]);
    assert.equal(
      db
        .prepare(`SELECT ${quoteString(name)}`)
        .pluck()
        .get(),
      name,
    );
  }
  db.close();
});

test('identifierOf gives each quoted form back as spelled; columnOfPart keeps case', () => {
  const spelled = tokenizeSql('"say ""hi""" [two words] `a``b` Plain').map(identifierOf);
  assert.deepEqual(spelled, ['say "hi"', 'two words', 'a`b', 'Plain']);
  assert.equal(columnOfPart('"MiXeD" TEXT NOT NULL'), 'MiXeD');
  assert.equal(columnOfPart('CONSTRAINT pk PRIMARY KEY (a)'), null);
  assert.equal(columnOfPart('UNIQUE (a, b)'), null);
});

test('names compare as SQLite compares them: ASCII case-insensitively, other letters exactly', () => {
  assert.ok(sameName('Items', 'ITEMS'));
  assert.ok(sameName('Café', 'CAFé'));
  assert.ok(!sameName('Café', 'cafÉ'));
  assert.ok(!sameName('größe', 'GRÖSSE'));
  assert.equal(foldName('ÀbC'), 'Àbc');
  // Each of foldName's paths: no capital, ASCII alone, and capitals beside characters toLowerCase would fold too.
  for (const [name, folded] of [
    ['items', 'items'],
    ['ITEMS_2', 'items_2'],
    ['\u212aELVIN', '\u212aelvin'],
    ['\u0130D', '\u0130d'],
    ['ÉTÉ', 'ÉtÉ'],
  ]) {
    assert.equal(foldName(name!), folded, name);
    assert.equal(foldName(name!).length, name!.length, `${name} keeps its length`);
  }
  assert.ok(!sameName('a', 'A_') && !sameName('\u212a', 'k') && sameName('\u212aA', '\u212aa'));
  const db = new Database(':memory:');
  db.exec('CREATE TABLE "Café" (v)');
  assert.ok(db.prepare("SELECT 1 FROM pragma_table_info('CAFé')").get(), 'SQLite finds CAFé');
  assert.equal(db.prepare("SELECT 1 FROM pragma_table_info('cafÉ')").get(), undefined, 'but not cafÉ');
  db.close();
});

test('parseColumnDefinition splits type and each constraint with its source text', () => {
  const d = parseColumnDefinition(
    '"v" DECIMAL(10, 2) CONSTRAINT nn NOT NULL ON CONFLICT ABORT DEFAULT -1.5 CHECK (v > (0)) COLLATE NOCASE UNIQUE REFERENCES p(id) ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED',
  );
  assert.equal(d.name, 'v');
  assert.equal(d.type, 'DECIMAL(10, 2)');
  assert.deepEqual(
    d.constraints.map((c) => [c.kind, c.text]),
    [
      ['nullability', 'CONSTRAINT nn NOT NULL ON CONFLICT ABORT'],
      ['default', 'DEFAULT -1.5'],
      ['check', 'CHECK (v > (0))'],
      ['collate', 'COLLATE NOCASE'],
      ['unique', 'UNIQUE'],
      ['references', 'REFERENCES p(id) ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED'],
    ],
  );
  assert.deepEqual(
    parseColumnDefinition('id INTEGER PRIMARY KEY DESC AUTOINCREMENT').constraints.map((c) => c.text),
    ['PRIMARY KEY DESC AUTOINCREMENT'],
  );
  assert.deepEqual(
    parseColumnDefinition('t REAL GENERATED ALWAYS AS (a * b) STORED').constraints.map((c) => c.kind),
    ['generated'],
  );
  assert.deepEqual(
    parseColumnDefinition('t AS (a || b)').constraints.map((c) => c.text),
    ['AS (a || b)'],
  );
  assert.deepEqual(
    parseColumnDefinition("x DEFAULT NULL NOT NULL DEFAULT 'y'").constraints.map((c) => c.text),
    ['DEFAULT NULL', 'NOT NULL', "DEFAULT 'y'"],
  );
  assert.deepEqual(
    parseColumnDefinition('x UNSIGNED BIG INT NULL').constraints.map((c) => c.kind),
    ['nullability'],
  );
  assert.equal(parseColumnDefinition('REAL', false).type, 'REAL');
  assert.equal(parseColumnDefinition('NOT NULL', false).type, '');
  assert.throws(() => parseColumnDefinition('x INTEGER CHECK'), /cannot read/);
});

test('parseTableConstraint reads PRIMARY KEY, UNIQUE, CHECK and FOREIGN KEY clauses, named or not', () => {
  assert.deepEqual(parseTableConstraint('PRIMARY KEY ("A b" COLLATE NOCASE DESC, c)').columns, ['A b', 'c']);
  const u = parseTableConstraint('CONSTRAINT "uq it\'s" UNIQUE (a, [b]) ON CONFLICT REPLACE');
  assert.deepEqual([u.kind, u.name, u.columns], ['unique', "uq it's", ['a', 'b']]);
  const f = parseTableConstraint('FOREIGN KEY(x, y) REFERENCES p (a, b) ON DELETE CASCADE');
  assert.deepEqual([f.kind, f.columns], ['foreign key', ['x', 'y']]);
  assert.equal(parseTableConstraint('CONSTRAINT c CHECK (a > b)').kind, 'check');
  assert.throws(() => parseTableConstraint('whatever (a)'), /cannot read/);
});

test('splitCreateTable keeps commas inside CHECKs, types and strings in their part', () => {
  const { parts, tail } = splitCreateTable('CREATE TABLE t (a DECIMAL(10, 2), b TEXT DEFAULT \'x, y\', CHECK (a IN (1, 2)), "c,d" INT) STRICT');
  assert.deepEqual(parts, ['a DECIMAL(10, 2)', "b TEXT DEFAULT 'x, y'", 'CHECK (a IN (1, 2))', '"c,d" INT']);
  assert.equal(tail, 'STRICT');
});

test('a rebuild keeps text and blobs holding NULs byte for byte, and long names', () => {
  const file = path.join(tempDir(), 'nul.sqlite');
  const db = new Database(file);
  const long = 'x'.repeat(300) + ' it\'s "long"';
  db.exec(`CREATE TABLE ${quoteIdent(long)} (${quoteIdent(long + ' col')} TEXT, b BLOB, n INTEGER)`);
  const text = 'before\0after';
  const blob = Buffer.from([0, 1, 0, 255, 0]);
  db.prepare(`INSERT INTO ${quoteIdent(long)} VALUES (?, ?, 1)`).run(text, blob);
  db.prepare(`INSERT INTO ${quoteIdent(long)} VALUES (?, ?, 2)`).run('\0', Buffer.alloc(0));
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN');
  schemaOperations(connectionExecutor(db)).alterColumn(long.toUpperCase(), 'N', 'REAL');
  db.exec('COMMIT');
  const rows = db
    .prepare(`SELECT rowid, length(CAST(${quoteIdent(long + ' col')} AS BLOB)) AS bytes, hex(${quoteIdent(long + ' col')}) AS h, b FROM ${quoteIdent(long)} ORDER BY rowid`)
    .all();
  assert.deepEqual(rows, [
    { rowid: 1, bytes: 12, h: Buffer.from(text).toString('hex').toUpperCase(), b: blob },
    { rowid: 2, bytes: 1, h: '00', b: Buffer.alloc(0) },
  ]);
  assert.deepEqual(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all(), [long]);
  db.close();
});

test('a trigger forged with a reserved sqlite_ name (sqlite3 shell, writable_schema) is never dropped silently by a rebuild: refused, file unchanged', () => {
  const file = path.join(tempDir('engine-forged-'), 'document.sqlite');
  const forged = spawnSync('/usr/bin/sqlite3', [file], {
    encoding: 'utf8',
    input: `CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER); CREATE TABLE log (x);
      CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.id); END;
      PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET name = 'Sqlite_tr', sql = replace(sql, 'TRIGGER tr', 'TRIGGER Sqlite_tr') WHERE name = 'tr';
      PRAGMA writable_schema = OFF;`,
  });
  assert.equal(forged.status, 0, forged.stderr);
  const db = new Database(file);
  const schema = () => db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
  const before = schema();
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN');
  assert.throws(() => schemaOperations(connectionExecutor(db)).alterColumn('t', 'b', 'TEXT'), /t has trigger "Sqlite_tr", a name SQLite reserves/);
  db.exec('ROLLBACK');
  assert.deepEqual(schema(), before);
  db.close();
});
