import assert from 'node:assert/strict';
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { schemaOperations, type SchemaOperations, connectionExecutor } from '../src/tooling';
import { tempDir } from './helpers/fixtures';

/** A database on disk with a parent table that has everything a rebuild must keep. */
function richDatabase(): Database.Database {
  const db = new Database(path.join(tempDir(), 'ops.db'));
  db.exec(`
    CREATE TABLE parent (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL COLLATE NOCASE,
      score INTEGER DEFAULT 0 CHECK (score >= 0),
      note TEXT,
      UNIQUE (name, score)
    );
    CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE ON UPDATE CASCADE, v TEXT);
    CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);
    CREATE INDEX parent_note_idx ON parent(note) WHERE note IS NOT NULL;
    CREATE TRIGGER parent_logged AFTER INSERT ON parent BEGIN INSERT INTO log (what) VALUES ('parent ' || new.id); END;
    CREATE TRIGGER child_logged AFTER INSERT ON child BEGIN INSERT INTO log (what) VALUES ('child of ' || (SELECT name FROM parent WHERE id = new.parent_id)); END;
    CREATE VIEW parent_names AS SELECT id, name FROM parent;
    CREATE VIEW parent_name_count AS SELECT count(*) AS n FROM parent_names;
    INSERT INTO parent (name, score, note) VALUES ('a', 1, 'x'), ('b', 2, NULL), ('c', 3, 'z');
    DELETE FROM parent WHERE id = 3;
    INSERT INTO child VALUES (1, 1, 'one'), (2, 1, 'two'), (3, 2, 'three');
  `);
  return db;
}

/** Runs schema operations the way the migration runner does: foreign keys off, one transaction. */
function migrate(db: Database.Database, fn: (ops: SchemaOperations) => void): void {
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN');
  fn(schemaOperations(connectionExecutor(db)));
  db.exec('COMMIT');
  db.pragma('foreign_keys = ON');
}

const schemaSql = (db: Database.Database) => db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND type <> 'table' ORDER BY name").all();

test('rebuildTable keeps indexes, triggers, views, CHECKs, FK actions, AUTOINCREMENT and child rows', () => {
  const db = richDatabase();
  const others = schemaSql(db);
  migrate(db, (ops) => ops.alterColumn('parent', 'note', "TEXT NOT NULL DEFAULT ''", "coalesce(note, '')"));
  assert.deepEqual(schemaSql(db), others, 'indexes, triggers and views are back, unchanged');
  assert.deepEqual(db.prepare('SELECT * FROM parent ORDER BY id').all(), [
    { id: 1, name: 'a', score: 1, note: 'x' },
    { id: 2, name: 'b', score: 2, note: '' },
  ]);
  assert.equal(db.prepare('SELECT count(*) FROM child').pluck().get(), 3, 'children were not cascaded away');
  assert.deepEqual(db.prepare('PRAGMA foreign_key_check').all(), []);
  assert.equal(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'parent'").pluck().get(), 3, 'AUTOINCREMENT counter kept ahead of deleted rows');
  db.exec("INSERT INTO parent (name, score) VALUES ('d', 4)");
  assert.equal(db.prepare("SELECT id FROM parent WHERE name = 'd'").pluck().get(), 4, 'ids are never reused');
  assert.throws(() => db.exec("INSERT INTO parent (name, score) VALUES ('e', -1)"), /CHECK/);
  assert.throws(() => db.exec("INSERT INTO parent (name, score) VALUES ('A', 1)"), /UNIQUE/, 'UNIQUE with NOCASE survives');
  db.exec('DELETE FROM parent WHERE id = 1');
  assert.equal(db.prepare('SELECT count(*) FROM child WHERE parent_id = 1').pluck().get(), 0, 'ON DELETE CASCADE still works');
  db.exec('UPDATE parent SET id = 20 WHERE id = 2');
  assert.equal(db.prepare('SELECT parent_id FROM child WHERE id = 3').pluck().get(), 20, 'ON UPDATE CASCADE still works');
  assert.ok((db.prepare('SELECT count(*) FROM log').pluck().get() as number) > 0);
  assert.equal(db.prepare('SELECT n FROM parent_name_count').pluck().get(), 2, 'views over views still work');
  db.close();
});

test('dropColumn is native when SQLite allows it and a rebuild when the column is indexed', () => {
  const db = richDatabase();
  const log: string[] = [];
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN');
  const ops = schemaOperations(connectionExecutor(db, log));
  ops.addColumn('child', 'extra TEXT');
  ops.dropColumn('child', 'extra');
  assert.ok(
    log.some((s) => /ALTER TABLE (main\.)?"child" DROP COLUMN "extra"/.test(s)),
    'plain column dropped natively',
  );
  ops.dropColumn('parent', 'note');
  assert.ok(
    log.some((s) => /INSERT INTO (main\.)?"_rebuild_parent"/.test(s)),
    'indexed column dropped by a rebuild',
  );
  db.exec('COMMIT');
  assert.deepEqual(db.prepare("SELECT name FROM pragma_table_info('parent')").pluck().all(), ['id', 'name', 'score']);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'parent_note_idx'").pluck().get(), 0, 'the index on the dropped column is gone');
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'parent_logged'").pluck().get(), 1);
  assert.equal(db.prepare('SELECT count(*) FROM child').pluck().get(), 3);
  db.close();
});

test('renameColumn and renameTable are native and update triggers and views', () => {
  const db = richDatabase();
  migrate(db, (ops) => {
    ops.renameColumn('parent', 'name', 'title');
    ops.renameTable('log', 'journal');
  });
  assert.match(String(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'parent_names'").pluck().get()), /title/);
  db.exec("INSERT INTO child VALUES (9, 1, 'x')");
  assert.equal(db.prepare('SELECT what FROM journal ORDER BY id DESC LIMIT 1').pluck().get(), 'child of a');
  db.close();
});

test("a string literal or a parenthesised name in a constraint's column list names a column, as SQLite reads it: dropColumn keeps UNIQUE('a', b) and UNIQUE((a), b) whole", () => {
  for (const constraint of ["UNIQUE('a', b)", 'UNIQUE(a, b)', 'UNIQUE((a), b)', "UNIQUE(('a'), (b))", "PRIMARY KEY('a', b)"]) {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE t (a, b, c, ${constraint})`);
    const indexed = db.prepare("SELECT name FROM pragma_index_info((SELECT name FROM pragma_index_list('t') WHERE origin IN ('u', 'pk')))").pluck().all();
    assert.deepEqual(indexed, ['a', 'b'], `SQLite's index of ${constraint} is on a and b`);
    const before = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 't'").pluck().get();
    assert.throws(
      () => migrate(db, (ops) => ops.dropColumn('t', 'b')),
      /it is one of the columns of|it is \(part of\) the PRIMARY KEY/,
      `dropping b from ${constraint} is refused`,
    );
    if (db.inTransaction) db.exec('ROLLBACK');
    assert.equal(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 't'").pluck().get(), before, 'the table is as it was');
    db.close();
  }
});

test("a column named with a string literal ('a' INT, as SQLite allows) is a column to every operation, not a table constraint", () => {
  const db = new Database(path.join(tempDir(), 'string-names.db'));
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, 'Code' TEXT NOT NULL DEFAULT 'x', 'gone' INT, keep TEXT, CONSTRAINT 'one_code' UNIQUE ('Code'))`);
  db.exec("INSERT INTO t VALUES (1, 'a', 10, 'k1'), (2, 'b', 20, 'k2')");
  migrate(db, (ops) => ops.dropColumn('t', 'gone'));
  migrate(db, (ops) => ops.alterColumn('t', 'code', 'TEXT COLLATE NOCASE'));
  const columns = db.prepare('SELECT name, type, "notnull", dflt_value FROM pragma_table_info(\'t\')').all();
  assert.deepEqual(columns, [
    { name: 'id', type: 'INTEGER', notnull: 0, dflt_value: null },
    { name: 'Code', type: 'TEXT', notnull: 1, dflt_value: "'x'" },
    { name: 'keep', type: 'TEXT', notnull: 0, dflt_value: null },
  ]);
  assert.deepEqual(db.prepare('SELECT * FROM t ORDER BY id').all(), [
    { id: 1, Code: 'a', keep: 'k1' },
    { id: 2, Code: 'b', keep: 'k2' },
  ]);
  assert.throws(() => db.exec("INSERT INTO t (Code) VALUES ('A')"), /UNIQUE/, 'the named UNIQUE constraint is kept, under NOCASE now');
  db.close();
});
