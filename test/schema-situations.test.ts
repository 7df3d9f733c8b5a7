/**
 * The schema operations against a table of schema situations, written from SQLite's ALTER TABLE
 * documentation (sqlite.org/lang_altertable.html: what DROP COLUMN refuses, the 12-step
 * rebuild, rowids, views and triggers) and Alembic's batch-mode tests (tests/test_batch.py:
 * table-level and named constraints, composite and self-referencing foreign keys, CHECKs,
 * indexes, quoted names). Each row is a schema, data, one operation and its assertions; every
 * row also gets the generic ones of runSituation (rows and rowids kept, no leftovers, views run,
 * FTS5 integrity-check, foreign_key_check and integrity_check clean), or, for a refusal, the
 * message and an unchanged file.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSituation, sqlOf, values, type Db, type Situation } from './helpers/schema-situation';

const fkList = (db: Db, table: string) => db.prepare('SELECT "from", "table", "to", on_delete, on_update FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(table);
const columnInfo = (db: Db, table: string) => db.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)').all(table);
const violates = (db: Db, sql: string, pattern: RegExp) => assert.throws(() => db.exec(sql), pattern, sql);

const PARENT_CHILD = `
  CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, note TEXT);
  CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE, v TEXT);`;
const PARENT_CHILD_DATA = `
  INSERT INTO parent VALUES (1, 'a', 'x'), (2, 'b', NULL), (5, 'e', 'z');
  INSERT INTO child VALUES (1, 1, 'one'), (2, 1, 'two'), (3, 5, 'three');`;

/** A rowid table without an INTEGER PRIMARY KEY, with gaps in its rowids. */
const NOTES = `CREATE TABLE notes (title TEXT, body TEXT, n INTEGER);`;
const NOTES_DATA = `INSERT INTO notes VALUES ('a', 'alpha beta', 1), ('b', 'beta', 2), ('c', 'gamma', 3), ('d', 'delta beta', 4), ('e', 'epsilon', 5);
  DELETE FROM notes WHERE rowid IN (2, 4);`;

/** Base table `t(a, b, c)` and another table `o` for trigger situations. */
const T = `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT); CREATE TABLE o (x TEXT, y TEXT);`;
const T_DATA = `INSERT INTO t VALUES (1, 'a1', 'b1', 'c1'), (3, 'a3', 'b3', 'c3'); INSERT INTO o VALUES ('x', 'y');`;

const situations: Situation[] = [
  // ---- rowids (issue 8, item 2) ----
  {
    name: 'rowid table without INTEGER PRIMARY KEY: alterColumn keeps every rowid (gaps included)',
    schema: NOTES,
    data: NOTES_DATA,
    op: (ops) => ops.alterColumn('notes', 'n', 'REAL'),
    then: (db) =>
      assert.deepEqual(db.prepare('SELECT rowid, title FROM notes ORDER BY rowid').raw().all(), [
        [1, 'a'],
        [3, 'c'],
        [5, 'e'],
      ]),
  },
  {
    name: 'FTS5 external content (content_rowid default): after a rebuild integrity-check passes and MATCH finds the right rows',
    schema: `${NOTES} CREATE VIRTUAL TABLE notes_fts USING fts5(title, body, content='notes');`,
    data: `${NOTES_DATA} INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');`,
    op: (ops) => ops.dropColumn('notes', 'n'),
    columns: { notes: ['title', 'body'] },
    then: (db) => {
      assert.deepEqual(values(db, "SELECT title FROM notes_fts WHERE notes_fts MATCH 'alpha' ORDER BY rowid"), ['a']);
      assert.deepEqual(values(db, "SELECT rowid FROM notes_fts WHERE notes_fts MATCH 'gamma'"), [3]);
      assert.deepEqual(values(db, "SELECT n.body FROM notes_fts f JOIN notes n ON n.rowid = f.rowid WHERE notes_fts MATCH 'epsilon'"), ['epsilon']);
    },
  },
  {
    name: 'FTS5 external content with content_rowid=id and sync triggers: rebuild keeps search right and the triggers working',
    wal: true,
    schema: `CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT, kind TEXT);
      CREATE VIRTUAL TABLE docs_fts USING fts5(body, content='docs', content_rowid='id');
      CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN INSERT INTO docs_fts(rowid, body) VALUES (new.id, new.body); END;
      CREATE TRIGGER docs_ad AFTER DELETE ON docs BEGIN INSERT INTO docs_fts(docs_fts, rowid, body) VALUES ('delete', old.id, old.body); END;`,
    data: `INSERT INTO docs VALUES (2, 'red fox', 'a'), (7, 'blue whale', 'b'), (9, 'red kite', 'c');`,
    op: (ops) => ops.alterColumn('docs', 'kind', "TEXT NOT NULL DEFAULT 'none'"),
    then: (db) => {
      assert.deepEqual(values(db, "SELECT rowid FROM docs_fts WHERE docs_fts MATCH 'red' ORDER BY rowid"), [2, 9]);
      db.exec("INSERT INTO docs (id, body) VALUES (11, 'red panda'); DELETE FROM docs WHERE id = 2");
      assert.deepEqual(values(db, "SELECT rowid FROM docs_fts WHERE docs_fts MATCH 'red' ORDER BY rowid"), [9, 11]);
      db.exec("INSERT INTO docs_fts(docs_fts) VALUES ('integrity-check')");
    },
  },
  {
    name: 'a column named rowid: the rebuild keeps the real rowid through _rowid_',
    schema: 'CREATE TABLE r (rowid TEXT, v INTEGER);',
    data: "INSERT INTO r (_rowid_, rowid, v) VALUES (4, 'four', 1), (9, 'nine', 2);",
    op: (ops) => ops.alterColumn('r', 'v', 'TEXT'),
    converts: ['r.v'],
    then: (db) =>
      assert.deepEqual(db.prepare('SELECT _rowid_ AS k, rowid, v FROM r ORDER BY 1').raw().all(), [
        [4, 'four', '1'],
        [9, 'nine', '2'],
      ]),
  },
  {
    name: 'columns named rowid and _rowid_: the rebuild keeps the real rowid through oid',
    schema: 'CREATE TABLE r2 (rowid TEXT, _rowid_ TEXT, v INTEGER);',
    data: "INSERT INTO r2 (oid, rowid, _rowid_, v) VALUES (3, 'x', 'y', 1), (8, 'p', 'q', 2);",
    op: (ops) => ops.dropColumn('r2', '_rowid_'),
    columns: { r2: ['rowid', 'v'] },
    then: (db) => assert.deepEqual(values(db, 'SELECT _rowid_ FROM r2 ORDER BY 1'), [3, 8]),
  },
  {
    name: 'rowid, _rowid_ and oid all real columns: the rebuild refuses (rowids could not be kept)',
    schema: 'CREATE TABLE r3 (rowid TEXT, _rowid_ TEXT, oid TEXT, v INTEGER);',
    data: "INSERT INTO r3 VALUES ('a', 'b', 'c', 1);",
    op: (ops) => ops.alterColumn('r3', 'v', 'TEXT'),
    refuses: /rowid, _rowid_ and oid/,
  },
  {
    name: 'INTEGER PRIMARY KEY DESC is not a rowid alias: the rowid is copied explicitly',
    schema: 'CREATE TABLE d (id INTEGER PRIMARY KEY DESC, v TEXT);',
    data: "INSERT INTO d (rowid, id, v) VALUES (10, 1, 'a'), (20, 2, 'b');",
    op: (ops) => ops.alterColumn('d', 'v', 'TEXT NOT NULL'),
    then: (db) =>
      assert.deepEqual(db.prepare('SELECT rowid, id FROM d ORDER BY id').raw().all(), [
        [10, 1],
        [20, 2],
      ]),
  },
  {
    name: 'INTEGER PRIMARY KEY table: ids with gaps kept',
    schema: PARENT_CHILD,
    data: PARENT_CHILD_DATA,
    op: (ops) => ops.alterColumn('parent', 'note', 'TEXT COLLATE NOCASE'),
    then: (db) => assert.deepEqual(values(db, 'SELECT id FROM parent ORDER BY id'), [1, 2, 5]),
  },
  {
    name: 'rebuildTable adding an INTEGER PRIMARY KEY column to a rowid table fills it from the old rowids',
    schema: NOTES,
    data: NOTES_DATA,
    op: (ops) => ops.rebuildTable('notes', { create: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT, n INTEGER)' }),
    columns: { notes: ['id', 'title', 'body', 'n'] },
    then: (db) =>
      assert.deepEqual(db.prepare('SELECT rowid, id, title FROM notes ORDER BY id').raw().all(), [
        [1, 1, 'a'],
        [3, 3, 'c'],
        [5, 5, 'e'],
      ]),
  },
  {
    name: 'rebuildTable turning an INTEGER PRIMARY KEY into a BIGINT key keeps the rowids',
    schema: 'CREATE TABLE k (id INTEGER PRIMARY KEY, v TEXT);',
    data: "INSERT INTO k VALUES (4, 'a'), (6, 'b');",
    op: (ops) => ops.rebuildTable('k', { create: 'CREATE TABLE k (id BIGINT PRIMARY KEY, v TEXT)' }),
    then: (db) =>
      assert.deepEqual(db.prepare('SELECT rowid, id FROM k ORDER BY id').raw().all(), [
        [4, 4],
        [6, 6],
      ]),
  },
  {
    name: 'dropColumn of an inline UNIQUE column of a rowid table (rebuild) keeps rowids',
    schema: 'CREATE TABLE u (name TEXT, tag TEXT UNIQUE);',
    data: "INSERT INTO u VALUES ('a', 't1'), ('b', 't2'), ('c', 't3'); DELETE FROM u WHERE rowid = 1;",
    op: (ops) => ops.dropColumn('u', 'tag'),
    columns: { u: ['name'] },
    then: (db) =>
      assert.deepEqual(db.prepare('SELECT rowid, name FROM u ORDER BY rowid').raw().all(), [
        [2, 'b'],
        [3, 'c'],
      ]),
  },
  {
    name: 'an index on the rowid-keyed table survives and its lookups return the same rows',
    schema: `${NOTES} CREATE INDEX notes_n ON notes(n);`,
    data: NOTES_DATA,
    op: (ops) => ops.alterColumn('notes', 'title', 'TEXT NOT NULL'),
    then: (db) => assert.deepEqual(values(db, 'SELECT rowid FROM notes INDEXED BY notes_n WHERE n = 5'), [5]),
  },

  // ---- views and triggers must still compile (item 3) ----
  {
    name: 'dropColumn of a column a view uses is refused naming the view',
    schema: `${T} CREATE VIEW tv AS SELECT id, b FROM t;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /view "tv".*no such column: b/,
  },
  {
    name: 'dropColumn of a column a trigger uses in WHEN is refused naming the trigger',
    schema: `${T} CREATE TRIGGER t_when AFTER INSERT ON t WHEN new.b IS NOT NULL BEGIN INSERT INTO o VALUES ('w', 'w'); END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /trigger "t_when".*no such column/,
  },
  {
    name: 'dropColumn of a column a same-table trigger body uses (new.b) is refused',
    schema: `${T} CREATE TRIGGER t_body AFTER INSERT ON t BEGIN INSERT INTO o VALUES (new.a, new.b); END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /trigger "t_body".*new\.b/,
  },
  {
    name: "dropColumn of a column in a trigger's UPDATE OF list is refused",
    schema: `${T} CREATE TRIGGER t_of AFTER UPDATE OF a, b ON t BEGIN INSERT INTO o VALUES ('u', 'u'); END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /trigger "t_of".*no such column: t\.b \(in UPDATE OF\)/,
  },
  {
    name: "dropColumn of a column another table's trigger reads is refused",
    schema: `${T} CREATE TRIGGER o_reads AFTER INSERT ON o BEGIN INSERT INTO o SELECT a, b FROM t WHERE 0; END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /trigger "o_reads".*no such column: b/,
  },
  {
    name: "dropColumn of a column another table's trigger assigns (UPDATE ... SET b =) is refused",
    schema: `${T} CREATE TRIGGER o_sets AFTER INSERT ON o BEGIN UPDATE t SET b = new.x; END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /trigger "o_sets".*t\.b \(in UPDATE \.\.\. SET\)/,
  },
  {
    name: "dropColumn of a column another table's trigger inserts into (column list) is refused",
    schema: `${T} CREATE TRIGGER o_inserts AFTER INSERT ON o BEGIN INSERT INTO t (a, "B") VALUES (new.x, new.y); END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /trigger "o_inserts".*INSERT column list/,
  },
  {
    name: 'dropColumn of a column an upsert DO UPDATE SET assigns is refused',
    schema: `${T} CREATE TRIGGER o_upserts AFTER INSERT ON o BEGIN INSERT INTO t (id, a) VALUES (1, new.x) ON CONFLICT (id) DO UPDATE SET b = excluded.a; END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /trigger "o_upserts".*UPDATE \.\.\. SET/,
  },
  {
    name: 'dropColumn breaking a view on a view is refused naming the view',
    schema: `${T} CREATE VIEW tv1 AS SELECT * FROM t; CREATE VIEW tv2 AS SELECT b FROM tv1;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /view "tv2".*no such column: b/,
  },
  {
    name: 'dropColumn breaking an INSTEAD OF trigger on a view is refused naming the trigger',
    schema: `${T} CREATE VIEW tv AS SELECT * FROM t;
      CREATE TRIGGER tv_insert INSTEAD OF INSERT ON tv BEGIN INSERT INTO t (a, b) VALUES (new.a, new.b); END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /trigger "tv_insert".*no such column/,
  },
  {
    name: 'dropColumn breaking a TEMP trigger of the connection is refused',
    schema: T,
    data: T_DATA,
    op: (ops, db) => {
      db.exec('CREATE TEMP TRIGGER o_temp AFTER INSERT ON o BEGIN SELECT b FROM t; END');
      ops.dropColumn('t', 'b');
    },
    refuses: /trigger "o_temp".*no such column: b/,
  },
  {
    name: 'rebuildTable to a table without a column a view uses is refused naming the view',
    schema: `${T} CREATE VIEW tc AS SELECT c FROM t;`,
    data: T_DATA,
    op: (ops) => ops.rebuildTable('t', { create: 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)' }),
    refuses: /view "tc".*no such column: c/,
  },
  {
    name: 'alterColumn with a generated column a view uses: fine; view, view on view and INSTEAD OF trigger work afterwards',
    schema: `${T} CREATE VIEW tv1 AS SELECT id, a, b FROM t; CREATE VIEW tv2 AS SELECT a || b AS ab FROM tv1;
      CREATE TRIGGER tv1_insert INSTEAD OF INSERT ON tv1 BEGIN INSERT INTO t (id, a, b) VALUES (new.id, new.a, new.b); END;
      CREATE TRIGGER t_log AFTER UPDATE OF b ON t BEGIN INSERT INTO o VALUES (old.b, new.b); END;`,
    data: T_DATA,
    op: (ops) => ops.alterColumn('t', 'c', "TEXT NOT NULL DEFAULT '-'"),
    then: (db) => {
      db.exec("INSERT INTO tv1 (id, a, b) VALUES (10, 'p', 'q')");
      assert.deepEqual(values(db, 'SELECT ab FROM tv2 ORDER BY ab'), ['a1b1', 'a3b3', 'pq']);
      db.exec("UPDATE t SET b = 'B' WHERE id = 1");
      assert.deepEqual(values(db, "SELECT y FROM o WHERE x = 'b1'"), ['B']);
      assert.equal(sqlOf(db, 'tv1_insert').includes('INSTEAD OF'), true);
    },
  },
  {
    name: 'dropColumn of a column no view or trigger uses: views and triggers are kept and still run',
    schema: `${T} CREATE VIEW tv AS SELECT id, a FROM t; CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN INSERT INTO o VALUES (new.a, 'added'); END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    columns: { t: ['id', 'a', 'b'] },
    then: (db) => {
      db.exec("INSERT INTO t (a, b) VALUES ('new', 'nb')");
      assert.deepEqual(values(db, "SELECT x FROM o WHERE y = 'added' ORDER BY x"), ['a1', 'a3', 'new']);
      assert.equal(values(db, 'SELECT count(*) FROM tv')[0], 3);
    },
  },
  {
    name: 'renameColumn of a column views and triggers use: SQLite rewrites them and they run',
    schema: `${T} CREATE VIEW tv AS SELECT b FROM t; CREATE TRIGGER o_sets AFTER INSERT ON o BEGIN UPDATE t SET b = new.x WHERE id = 1; END;`,
    data: T_DATA,
    op: (ops) => ops.renameColumn('t', 'b', 'beta'),
    columnRenames: { 't.b': 'beta' },
    then: (db) => {
      db.exec("INSERT INTO o VALUES ('X', 'Y')");
      assert.deepEqual(values(db, 'SELECT beta FROM tv ORDER BY 1'), ['X', 'b3']);
    },
  },
  {
    name: "renameTable with a view and another table's trigger naming it: both follow and run",
    schema: `${T} CREATE VIEW tv AS SELECT a FROM t; CREATE TRIGGER o_ai AFTER INSERT ON o BEGIN INSERT INTO t (a) VALUES (new.x); END;`,
    data: T_DATA,
    op: (ops) => ops.renameTable('t', 'things'),
    renames: { t: 'things' },
    then: (db) => {
      db.exec("INSERT INTO o VALUES ('via trigger', '')");
      assert.deepEqual(values(db, "SELECT a FROM tv WHERE a = 'via trigger'"), ['via trigger']);
    },
  },
  {
    name: 'addColumn keeps SELECT * views working (and the new column shows in them)',
    schema: `${T} CREATE VIEW tall AS SELECT * FROM t;`,
    data: T_DATA,
    op: (ops) => ops.addColumn('t', 'd INTEGER DEFAULT 7'),
    columns: { t: ['id', 'a', 'b', 'c', 'd'] },
    then: (db) => assert.deepEqual(values(db, 'SELECT d FROM tall'), [7, 7]),
  },

  // ---- identifiers as SQLite treats them (item 4) ----
  {
    name: 'alterColumn(\'items\') on "Items" with AUTOINCREMENT: name, counter and never-reused ids kept',
    schema: 'CREATE TABLE "Items" (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT);',
    data: "INSERT INTO Items (label) VALUES ('a'), ('b'), ('c'); DELETE FROM Items WHERE id = 3;",
    op: (ops) => ops.alterColumn('items', 'LABEL', 'TEXT NOT NULL'),
    then: (db) => {
      assert.deepEqual(values(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'sqlite_sequence'"), ['Items']);
      assert.deepEqual(db.prepare('SELECT name, seq FROM sqlite_sequence').raw().all(), [['Items', 3]]);
      db.exec("INSERT INTO Items (label) VALUES ('d')");
      assert.deepEqual(values(db, "SELECT id FROM Items WHERE label = 'd'"), [4]);
      assert.match(sqlOf(db, 'Items'), /"?label"? TEXT NOT NULL/);
    },
  },
  {
    name: "a table named it's with AUTOINCREMENT: the sqlite_sequence SQL quotes the name",
    schema: 'CREATE TABLE "it\'s" (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);',
    data: "INSERT INTO \"it's\" (v) VALUES ('a'), ('b'); DELETE FROM \"it's\" WHERE id = 2;",
    op: (ops) => ops.alterColumn("IT'S", 'v', 'TEXT COLLATE NOCASE'),
    then: (db) => {
      assert.deepEqual(db.prepare('SELECT name, seq FROM sqlite_sequence').raw().all(), [["it's", 2]]);
      db.exec("INSERT INTO \"it's\" (v) VALUES ('c')");
      assert.deepEqual(values(db, 'SELECT id FROM "it\'s" ORDER BY id'), [1, 3]);
    },
  },
  {
    name: 'a table and column with double quotes in their names',
    schema: 'CREATE TABLE "say ""hi""" ("the ""v""" INTEGER, w TEXT);',
    data: 'INSERT INTO "say ""hi""" VALUES (1, \'a\'), (2, \'b\');',
    op: (ops) => ops.alterColumn('SAY "HI"', 'The "V"', 'TEXT'),
    converts: ['say "hi".the "v"'],
    then: (db) => assert.deepEqual(values(db, 'SELECT "the ""v""" FROM "say ""hi""" ORDER BY 1'), ['1', '2']),
  },
  {
    name: 'keyword names: table "order", columns "select" and "group": dropColumn and alterColumn',
    schema: 'CREATE TABLE "order" ("select" TEXT, "group" INTEGER, "where" TEXT UNIQUE);',
    data: "INSERT INTO \"order\" VALUES ('s', 1, 'w1'), ('t', 2, 'w2');",
    op: (ops) => {
      ops.dropColumn('ORDER', 'Where');
      ops.alterColumn('order', 'group', 'REAL');
    },
    columns: { order: ['select', 'group'] },
    then: (db) =>
      assert.deepEqual(
        (columnInfo(db, 'order') as { type: string }[]).map((c) => c.type),
        ['TEXT', 'REAL'],
      ),
  },
  {
    name: 'names with spaces: table "field notes", column "my col"; mixed-case lookup',
    schema: 'CREATE TABLE "field notes" ("my col" INTEGER CHECK ("my col" >= 0), other TEXT);',
    data: "INSERT INTO \"field notes\" VALUES (1, 'x'), (2, 'y');",
    op: (ops) => ops.alterColumn('Field Notes', 'MY COL', 'NUMERIC'),
    then: (db) => {
      assert.match(sqlOf(db, 'field notes'), /"my col" NUMERIC CHECK \("my col" >= 0\)/);
      violates(db, 'INSERT INTO "field notes" VALUES (-1, \'z\')', /CHECK/);
    },
  },
  {
    name: 'non-ASCII names: Café/größe found ASCII-case-insensitively and spelled as stored',
    schema: 'CREATE TABLE "Café" ("größe" INTEGER, "Name" TEXT);',
    data: 'INSERT INTO "Café" VALUES (1, \'a\');',
    op: (ops) => ops.alterColumn('CAFé', 'größe', 'REAL'),
    then: (db) => assert.deepEqual(values(db, "SELECT name FROM sqlite_schema WHERE type = 'table'"), ['Café']),
  },
  {
    name: 'non-ASCII letters are not case-folded (SQLite folds ASCII only): cafÉ is not Café',
    schema: 'CREATE TABLE "Café" (v INTEGER);',
    op: (ops) => ops.alterColumn('cafÉ', 'v', 'REAL'),
    refuses: /no table "cafÉ"/,
  },
  {
    name: "mixed-case column: alterColumn('NAME') keeps the stored spelling Name",
    schema: 'CREATE TABLE people ("Name" TEXT, Age INTEGER);',
    data: "INSERT INTO people VALUES ('Ann', 30);",
    op: (ops) => ops.alterColumn('PEOPLE', 'NAME', 'TEXT NOT NULL'),
    then: (db) => assert.deepEqual(values(db, "SELECT name FROM pragma_table_info('people')"), ['Name', 'Age']),
  },
  {
    name: 'renameColumn and dropColumn found case-insensitively',
    schema: 'CREATE TABLE MixedCase (Alpha TEXT, Beta TEXT, Gamma TEXT);',
    data: "INSERT INTO MixedCase VALUES ('a', 'b', 'g');",
    op: (ops) => {
      ops.renameColumn('mixedcase', 'ALPHA', 'First');
      ops.dropColumn('MIXEDCASE', 'gamma');
    },
    columns: { MixedCase: ['First', 'Beta'] },
    columnRenames: { 'MixedCase.Alpha': 'First' },
  },
  {
    name: 'renameTable changing only the case goes through a temporary name',
    schema: `${T} CREATE VIEW tv AS SELECT a FROM t;`,
    data: T_DATA,
    op: (ops) => ops.renameTable('t', 'T'),
    renames: { t: 'T' },
    then: (db) => assert.match(sqlOf(db, 'tv'), /"T"/),
  },
  {
    name: 'temporary name taken by a real table: the rebuild picks another and leaves that table alone',
    schema: `${T} CREATE TABLE "_rebuild_t" (keep TEXT);`,
    data: `${T_DATA} INSERT INTO "_rebuild_t" VALUES ('mine');`,
    op: (ops) => ops.alterColumn('t', 'a', 'TEXT NOT NULL'),
    then: (db) => assert.deepEqual(values(db, 'SELECT keep FROM "_rebuild_t"'), ['mine']),
  },
  {
    name: 'names quoted with brackets and backticks in the stored SQL',
    schema: 'CREATE TABLE [my table] (`a b` INTEGER UNIQUE, [c d] INTEGER REFERENCES [my table]([a b]));',
    data: 'INSERT INTO [my table] VALUES (1, NULL), (2, 1);',
    op: (ops) => ops.alterColumn('MY TABLE', 'C D', 'BIGINT'),
    then: (db) => {
      assert.deepEqual(fkList(db, 'my table'), [{ from: 'c d', table: 'my table', to: 'a b', on_delete: 'NO ACTION', on_update: 'NO ACTION' }]);
      assert.match(sqlOf(db, 'my table'), /\[c d\] BIGINT REFERENCES \[my table\]\(\[a b\]\)/);
    },
  },
  {
    name: 'an unknown table or column is refused with its name',
    schema: T,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'nope'),
    refuses: /table "t" has no column "nope"/,
  },

  // ---- table-level constraints (item 5) ----
  {
    name: 'SQLAlchemy style (table-level PRIMARY KEY, FOREIGN KEY, UNIQUE, named CHECK): dropColumn of an unrelated column',
    schema: `CREATE TABLE account (id INTEGER NOT NULL, PRIMARY KEY (id));
      CREATE TABLE entry (id INTEGER NOT NULL, account_id INTEGER, code VARCHAR(20) NOT NULL, amount NUMERIC, memo TEXT,
        PRIMARY KEY (id), FOREIGN KEY(account_id) REFERENCES account (id) ON DELETE CASCADE, UNIQUE (account_id, code),
        CONSTRAINT positive CHECK (amount > 0));`,
    data: `INSERT INTO account VALUES (1), (2); INSERT INTO entry VALUES (1, 1, 'x', 5, 'm'), (4, 2, 'x', 7, NULL);`,
    op: (ops) => ops.dropColumn('entry', 'memo'),
    columns: { entry: ['id', 'account_id', 'code', 'amount'] },
    then: (db) => {
      violates(db, "INSERT INTO entry VALUES (9, 1, 'x', 1)", /UNIQUE/);
      violates(db, "INSERT INTO entry VALUES (9, 1, 'y', -1)", /CHECK constraint failed: positive/);
      violates(db, "INSERT INTO entry VALUES (9, 3, 'y', 1)", /FOREIGN KEY/);
      db.exec('DELETE FROM account WHERE id = 1');
      assert.deepEqual(values(db, 'SELECT id FROM entry'), [4], 'ON DELETE CASCADE kept');
    },
  },
  {
    name: 'table-level PRIMARY KEY (id) is a rowid alias: alterColumn of another column keeps ids',
    schema: 'CREATE TABLE tp (id INTEGER, v TEXT, PRIMARY KEY (id));',
    data: "INSERT INTO tp VALUES (3, 'a'), (8, 'b');",
    op: (ops) => ops.alterColumn('tp', 'v', 'TEXT NOT NULL'),
    then: (db) =>
      assert.deepEqual(db.prepare('SELECT rowid, id FROM tp ORDER BY id').raw().all(), [
        [3, 3],
        [8, 8],
      ]),
  },
  {
    name: 'dropColumn of a column of a composite table-level PRIMARY KEY is refused',
    schema: 'CREATE TABLE pk2 (a INTEGER, b INTEGER, v TEXT, PRIMARY KEY (a, b));',
    data: "INSERT INTO pk2 VALUES (1, 1, 'x');",
    op: (ops) => ops.dropColumn('pk2', 'b'),
    refuses: /pk2\.b: it is \(part of\) the PRIMARY KEY/,
  },
  {
    name: 'dropColumn of the single-column PRIMARY KEY is refused',
    schema: PARENT_CHILD,
    data: PARENT_CHILD_DATA,
    op: (ops) => ops.dropColumn('parent', 'id'),
    refuses: /PRIMARY KEY/,
  },
  {
    name: 'dropColumn of a column of a named multi-column UNIQUE is refused naming the constraint',
    schema: 'CREATE TABLE uq (a TEXT, b TEXT, c TEXT, CONSTRAINT uq_ab UNIQUE (a, b));',
    data: "INSERT INTO uq VALUES ('1', '2', '3');",
    op: (ops) => ops.dropColumn('uq', 'B'),
    refuses: /constraint "uq_ab" \(CONSTRAINT uq_ab UNIQUE \(a, b\)\)/,
  },
  {
    name: 'dropColumn of a column of an unnamed multi-column UNIQUE is refused quoting the clause',
    schema: 'CREATE TABLE uq2 (a TEXT, b TEXT, c TEXT, UNIQUE (a, b));',
    op: (ops) => ops.dropColumn('uq2', 'a'),
    refuses: /one of the columns of UNIQUE \(a, b\)/,
  },
  {
    name: 'dropColumn of the only column of a table-level UNIQUE (c): the constraint goes with it',
    schema: 'CREATE TABLE uq3 (a TEXT, c TEXT, UNIQUE (c));',
    data: "INSERT INTO uq3 VALUES ('x', 'c1'), ('y', 'c2');",
    op: (ops) => ops.dropColumn('uq3', 'c'),
    columns: { uq3: ['a'] },
    then: (db) => assert.doesNotMatch(sqlOf(db, 'uq3'), /UNIQUE/),
  },
  {
    name: 'dropColumn of the column of a single-column table-level FOREIGN KEY: the constraint goes with it',
    schema: `${PARENT_CHILD} CREATE TABLE ref1 (id INTEGER PRIMARY KEY, parent_ref INTEGER, label TEXT, FOREIGN KEY (parent_ref) REFERENCES parent (id));`,
    data: `${PARENT_CHILD_DATA} INSERT INTO ref1 VALUES (1, 1, 'l');`,
    op: (ops) => ops.dropColumn('ref1', 'parent_ref'),
    columns: { ref1: ['id', 'label'] },
    then: (db) => assert.deepEqual(fkList(db, 'ref1'), []),
  },
  {
    name: 'dropColumn of a column of a composite FOREIGN KEY is refused naming the constraint',
    schema: `CREATE TABLE pp (x INTEGER, y INTEGER, PRIMARY KEY (x, y));
      CREATE TABLE cc (id INTEGER PRIMARY KEY, px INTEGER, py INTEGER, CONSTRAINT cc_pp FOREIGN KEY (px, py) REFERENCES pp (x, y));`,
    data: 'INSERT INTO pp VALUES (1, 2); INSERT INTO cc VALUES (1, 1, 2);',
    op: (ops) => ops.dropColumn('cc', 'py'),
    refuses: /constraint "cc_pp"/,
  },
  {
    name: 'dropColumn of a column a table-level CHECK uses is refused naming the CHECK',
    schema: 'CREATE TABLE ck (lo INTEGER, hi INTEGER, note TEXT, CONSTRAINT ordered CHECK (lo <= hi));',
    data: "INSERT INTO ck VALUES (1, 2, 'n');",
    op: (ops) => ops.dropColumn('ck', 'hi'),
    refuses: /table-level constraint "ordered"/,
  },
  {
    name: "dropColumn of a column another column's CHECK uses is refused",
    schema: 'CREATE TABLE ck2 (lo INTEGER, hi INTEGER CHECK (hi >= lo));',
    op: (ops) => ops.dropColumn('ck2', 'lo'),
    refuses: /column "hi" uses it/,
  },
  {
    name: "dropColumn with its own inline CHECK: the CHECK goes with it (as SQLite's DROP COLUMN does)",
    schema: 'CREATE TABLE ck3 (a INTEGER, b INTEGER CHECK (b > 0), CHECK (a < 100));',
    data: 'INSERT INTO ck3 VALUES (1, 1), (2, 5);',
    op: (ops) => ops.dropColumn('ck3', 'b'),
    columns: { ck3: ['a'] },
    then: (db) => violates(db, 'INSERT INTO ck3 VALUES (100)', /CHECK/),
  },
  {
    name: 'renameColumn of a column named by table-level PRIMARY KEY, UNIQUE, FOREIGN KEY and CHECK',
    schema: `CREATE TABLE acc (id INTEGER NOT NULL, PRIMARY KEY (id));
      CREATE TABLE ent (id INTEGER NOT NULL, acc_id INTEGER, code TEXT, amount INTEGER,
        PRIMARY KEY (id), FOREIGN KEY (acc_id) REFERENCES acc (id), UNIQUE (acc_id, code), CONSTRAINT pos CHECK (amount > 0));`,
    data: "INSERT INTO acc VALUES (1); INSERT INTO ent VALUES (1, 1, 'a', 3);",
    op: (ops) => {
      ops.renameColumn('ent', 'acc_id', 'account');
      ops.renameColumn('ent', 'amount', 'qty');
      ops.renameColumn('acc', 'id', 'acc_key');
    },
    columnRenames: { 'ent.acc_id': 'account', 'ent.amount': 'qty', 'acc.id': 'acc_key' },
    then: (db) => {
      assert.deepEqual(fkList(db, 'ent'), [{ from: 'account', table: 'acc', to: 'acc_key', on_delete: 'NO ACTION', on_update: 'NO ACTION' }]);
      violates(db, "INSERT INTO ent VALUES (2, 1, 'a', 1)", /UNIQUE/);
      violates(db, "INSERT INTO ent VALUES (2, 1, 'b', 0)", /CHECK constraint failed: pos/);
    },
  },
  {
    name: "alterColumn type-only keeps inline REFERENCES ... ON DELETE CASCADE, NOT NULL (the issue's example)",
    schema: PARENT_CHILD,
    data: PARENT_CHILD_DATA,
    op: (ops) => ops.alterColumn('child', 'parent_id', 'BIGINT'),
    then: (db) => {
      assert.deepEqual(fkList(db, 'child'), [{ from: 'parent_id', table: 'parent', to: 'id', on_delete: 'CASCADE', on_update: 'NO ACTION' }]);
      assert.equal((columnInfo(db, 'child')[1] as { notnull: number; type: string }).notnull, 1);
      db.exec('DELETE FROM parent WHERE id = 1');
      assert.deepEqual(values(db, 'SELECT id FROM child'), [3], 'the cascade still works');
    },
  },
  {
    name: 'alterColumn type-only keeps NOT NULL, DEFAULT, CHECK, COLLATE and UNIQUE (named constraints too)',
    schema: "CREATE TABLE keep (id INTEGER PRIMARY KEY, v TEXT CONSTRAINT v_nn NOT NULL DEFAULT 'd' CONSTRAINT v_len CHECK (length(v) < 5) COLLATE NOCASE UNIQUE);",
    data: "INSERT INTO keep VALUES (1, 'ab'), (2, 'cd');",
    op: (ops) => ops.alterColumn('keep', 'v', 'VARCHAR(4)'),
    then: (db) => {
      assert.match(sqlOf(db, 'keep'), /v VARCHAR\(4\) CONSTRAINT v_nn NOT NULL DEFAULT 'd' CONSTRAINT v_len CHECK \(length\(v\) < 5\) COLLATE NOCASE UNIQUE/);
      violates(db, "INSERT INTO keep VALUES (3, 'AB')", /UNIQUE/);
      violates(db, "INSERT INTO keep VALUES (3, 'toolong')", /CHECK constraint failed: v_len/);
      violates(db, 'INSERT INTO keep VALUES (3, NULL)', /NOT NULL/);
      db.exec('INSERT INTO keep (id) VALUES (4)');
      assert.deepEqual(values(db, 'SELECT v FROM keep WHERE id = 4'), ['d']);
    },
  },
  {
    name: 'alterColumn stating one kind replaces only that kind: DEFAULT replaced, CHECK and FK kept',
    schema: `${PARENT_CHILD} CREATE TABLE m (id INTEGER PRIMARY KEY, pid INTEGER DEFAULT 1 CHECK (pid > 0) REFERENCES parent(id) ON DELETE SET NULL);`,
    data: `${PARENT_CHILD_DATA} INSERT INTO m VALUES (1, 2), (2, 5);`,
    op: (ops) => ops.alterColumn('m', 'pid', 'INTEGER DEFAULT 2'),
    then: (db) => {
      assert.match(sqlOf(db, 'm'), /pid INTEGER DEFAULT 2 CHECK \(pid > 0\) REFERENCES parent\(id\) ON DELETE SET NULL/);
      db.exec('DELETE FROM parent WHERE id = 5');
      assert.deepEqual(db.prepare('SELECT id, pid FROM m ORDER BY id').raw().all(), [
        [1, 2],
        [2, null],
      ]);
    },
  },
  {
    name: "alterColumn 'REAL NULL' drops NOT NULL and keeps the rest; the value expression converts",
    schema: "CREATE TABLE meas (id INTEGER PRIMARY KEY, value TEXT NOT NULL DEFAULT '0' CHECK (value <> 'bad'));",
    data: "INSERT INTO meas VALUES (1, '1.5'), (2, ' 7 ');",
    op: (ops) => ops.alterColumn('meas', 'value', 'REAL NULL', 'CAST(trim(value) AS REAL)'),
    converts: ['meas.value'],
    then: (db) => {
      assert.deepEqual(values(db, 'SELECT value FROM meas ORDER BY id'), [1.5, 7]);
      db.exec('INSERT INTO meas (id, value) VALUES (3, NULL)');
      assert.match(sqlOf(db, 'meas'), /value REAL NULL DEFAULT '0' CHECK \(value <> 'bad'\)/);
    },
  },
  {
    name: "alterColumn with constraints: 'replace' takes the definition as the whole new one",
    schema: `${PARENT_CHILD}`,
    data: PARENT_CHILD_DATA,
    op: (ops) => ops.alterColumn('child', 'parent_id', 'INTEGER', undefined, { constraints: 'replace' }),
    then: (db) => {
      assert.deepEqual(fkList(db, 'child'), []);
      db.exec('INSERT INTO child (parent_id) VALUES (NULL)');
    },
  },
  {
    name: 'alterColumn of a column in a composite table-level UNIQUE and FOREIGN KEY keeps both',
    schema: `CREATE TABLE pp (x INTEGER, y INTEGER, PRIMARY KEY (x, y));
      CREATE TABLE cc (id INTEGER PRIMARY KEY, px INTEGER, py INTEGER, UNIQUE (px, py), FOREIGN KEY (px, py) REFERENCES pp (x, y) ON DELETE CASCADE);`,
    data: 'INSERT INTO pp VALUES (1, 2), (3, 4); INSERT INTO cc VALUES (1, 1, 2), (2, 3, 4);',
    op: (ops) => ops.alterColumn('cc', 'py', 'BIGINT'),
    then: (db) => {
      violates(db, 'INSERT INTO cc VALUES (3, 1, 2)', /UNIQUE/);
      db.exec('DELETE FROM pp WHERE x = 1');
      assert.deepEqual(values(db, 'SELECT id FROM cc'), [2]);
    },
  },
  {
    name: 'dropColumn of a parent key another table references is refused naming the child',
    schema: `CREATE TABLE p2 (id INTEGER PRIMARY KEY, code TEXT UNIQUE); CREATE TABLE c2 (id INTEGER PRIMARY KEY, pcode TEXT REFERENCES p2(code));`,
    data: "INSERT INTO p2 VALUES (1, 'a'); INSERT INTO c2 VALUES (1, 'a');",
    op: (ops) => ops.dropColumn('p2', 'code'),
    refuses: /"c2"\."pcode" REFERENCES it/,
  },
  {
    name: 'self-referencing FK: dropColumn of the referencing column drops the FK with it',
    schema: 'CREATE TABLE node (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES node(id) ON DELETE CASCADE, label TEXT);',
    data: "INSERT INTO node VALUES (1, NULL, 'root'), (2, 1, 'kid'), (3, 2, 'grandkid');",
    op: (ops) => ops.dropColumn('node', 'parent_id'),
    columns: { node: ['id', 'label'] },
    then: (db) => assert.deepEqual(fkList(db, 'node'), []),
  },
  {
    name: 'self-referencing FK to a non-key column: dropColumn of the referenced column is refused',
    schema: 'CREATE TABLE node2 (id INTEGER PRIMARY KEY, code TEXT UNIQUE, parent_code TEXT REFERENCES node2(code));',
    data: "INSERT INTO node2 VALUES (1, 'r', NULL), (2, 'k', 'r');",
    op: (ops) => ops.dropColumn('node2', 'code'),
    refuses: /"node2"\."parent_code" REFERENCES it/,
  },
  {
    name: 'self-referencing FK: alterColumn of the referencing column keeps the FK and its cascade',
    schema: 'CREATE TABLE node (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES node(id) ON DELETE CASCADE, label TEXT);',
    data: "INSERT INTO node VALUES (1, NULL, 'root'), (2, 1, 'kid'), (3, 2, 'grandkid'), (4, NULL, 'other');",
    op: (ops) => ops.alterColumn('node', 'parent_id', 'BIGINT'),
    then: (db) => {
      db.exec('DELETE FROM node WHERE id = 1');
      assert.deepEqual(values(db, 'SELECT id FROM node'), [4]);
    },
  },
  {
    name: 'children with ON DELETE CASCADE (and grandchildren) keep every row when the parent is rebuilt',
    wal: true,
    schema: `${PARENT_CHILD} CREATE TABLE grandchild (id INTEGER PRIMARY KEY, child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE);`,
    data: `${PARENT_CHILD_DATA} INSERT INTO grandchild VALUES (1, 1), (2, 3);`,
    op: (ops) => {
      ops.rebuildTable('parent', { create: 'CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, note TEXT, extra TEXT)' });
      ops.alterColumn('child', 'v', 'TEXT COLLATE NOCASE');
    },
    columns: { parent: ['id', 'code', 'note', 'extra'] },
    then: (db) => {
      db.exec('DELETE FROM parent WHERE id = 5');
      assert.deepEqual(values(db, 'SELECT id FROM grandchild'), [1], 'cascades still reach the grandchildren');
    },
  },
  {
    name: 'children with ON DELETE SET NULL and ON UPDATE CASCADE keep their values through a parent rebuild',
    schema: `CREATE TABLE site (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE visit (id INTEGER PRIMARY KEY, site_id INTEGER REFERENCES site(id) ON DELETE SET NULL ON UPDATE CASCADE);`,
    data: "INSERT INTO site VALUES (1, 'a'), (2, 'b'); INSERT INTO visit VALUES (1, 1), (2, 2), (3, 2);",
    op: (ops) => ops.alterColumn('site', 'name', "TEXT NOT NULL DEFAULT '?'"),
    then: (db) => {
      db.exec('UPDATE site SET id = 20 WHERE id = 2');
      assert.deepEqual(values(db, 'SELECT site_id FROM visit ORDER BY id'), [1, 20, 20]);
    },
  },

  // ---- indexes ----
  {
    name: 'partial and expression indexes on other columns survive a rebuild and are used',
    schema: `${T} CREATE INDEX t_a_partial ON t(a) WHERE a IS NOT NULL; CREATE INDEX t_lower_b ON t(lower(b));`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    columns: { t: ['id', 'a', 'b'] },
    then: (db) => {
      assert.deepEqual(values(db, "SELECT id FROM t INDEXED BY t_lower_b WHERE lower(b) = 'b3'"), [3]);
      assert.ok(sqlOf(db, 't_a_partial').includes('WHERE a IS NOT NULL'));
    },
  },
  {
    name: 'a partial index over the dropped column alone goes with it',
    schema: `${T} CREATE INDEX t_c_partial ON t(c) WHERE c IS NOT NULL;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    columns: { t: ['id', 'a', 'b'] },
    then: (db) => assert.equal(sqlOf(db, 't_c_partial'), undefined),
  },
  {
    name: 'an expression index over the dropped column and another is refused naming the index',
    schema: `${T} CREATE INDEX t_ac ON t(a || c);`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    refuses: /index "t_ac" uses it together with "a"/,
  },
  {
    name: 'a composite index including the dropped column is refused naming the index',
    schema: `${T} CREATE UNIQUE INDEX t_ab ON t(a, b);`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /index "t_ab"/,
  },
  {
    name: 'a partial index whose WHERE names the dropped column is refused',
    schema: `${T} CREATE INDEX t_a_where_c ON t(a) WHERE c IS NOT NULL;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    refuses: /index "t_a_where_c"/,
  },
  {
    name: 'an index with COLLATE and DESC survives alterColumn of its column',
    schema: `${T} CREATE INDEX t_b_nocase ON t(b COLLATE NOCASE DESC);`,
    data: T_DATA,
    op: (ops) => ops.alterColumn('t', 'b', 'TEXT NOT NULL'),
    then: (db) => assert.deepEqual(values(db, "SELECT id FROM t INDEXED BY t_b_nocase WHERE b = 'B1' COLLATE NOCASE"), [1]),
  },

  // ---- generated columns, STRICT, WITHOUT ROWID, collations ----
  {
    name: 'generated VIRTUAL and STORED columns are recomputed, never copied into',
    schema: "CREATE TABLE g (id INTEGER PRIMARY KEY, price REAL, qty INTEGER, total REAL GENERATED ALWAYS AS (price * qty) VIRTUAL, label TEXT AS ('#' || id) STORED);",
    data: 'INSERT INTO g (id, price, qty) VALUES (1, 2.5, 2), (4, 1, 3);',
    op: (ops) => ops.alterColumn('g', 'qty', 'REAL'),
    then: (db) =>
      assert.deepEqual(db.prepare('SELECT total, label FROM g ORDER BY id').raw().all(), [
        [5, '#1'],
        [3, '#4'],
      ]),
  },
  {
    name: 'dropColumn of a column a generated column uses is refused naming it',
    schema: 'CREATE TABLE g2 (price REAL, qty INTEGER, total REAL AS (price * qty));',
    op: (ops) => ops.dropColumn('g2', 'qty'),
    refuses: /column "total" uses it/,
  },
  {
    name: 'dropColumn of a generated column itself',
    schema: 'CREATE TABLE g3 (price REAL, qty INTEGER, total REAL AS (price * qty) STORED);',
    data: 'INSERT INTO g3 (price, qty) VALUES (1, 2);',
    op: (ops) => ops.dropColumn('g3', 'total'),
    columns: { g3: ['price', 'qty'] },
  },
  {
    name: 'STRICT table: alterColumn keeps STRICT (a wrong type is still rejected)',
    schema: 'CREATE TABLE s (id INTEGER PRIMARY KEY, n INTEGER, t TEXT) STRICT;',
    data: "INSERT INTO s VALUES (1, 5, 'x');",
    op: (ops) => ops.alterColumn('s', 'n', 'REAL'),
    then: (db) => {
      assert.match(sqlOf(db, 's'), /\) STRICT$/);
      violates(db, "INSERT INTO s VALUES (2, 'not a number', 'y')", /cannot store TEXT value in REAL column/);
    },
  },
  {
    name: 'WITHOUT ROWID table: dropColumn and alterColumn keep rows and the tail',
    schema: 'CREATE TABLE w (k TEXT PRIMARY KEY, v INTEGER, extra TEXT) WITHOUT ROWID;',
    data: "INSERT INTO w VALUES ('a', 1, 'x'), ('b', 2, 'y');",
    op: (ops) => {
      ops.dropColumn('w', 'extra');
      ops.alterColumn('w', 'v', 'INTEGER NOT NULL');
    },
    columns: { w: ['k', 'v'] },
    then: (db) => assert.match(sqlOf(db, 'w'), /WITHOUT ROWID$/),
  },
  {
    name: 'WITHOUT ROWID table: dropColumn of the key is refused',
    schema: 'CREATE TABLE w2 (k TEXT, j TEXT, v INTEGER, PRIMARY KEY (k, j)) WITHOUT ROWID;',
    op: (ops) => ops.dropColumn('w2', 'j'),
    refuses: /PRIMARY KEY/,
  },
  {
    name: 'STRICT, WITHOUT ROWID together with a composite key: alterColumn keeps both options',
    schema: 'CREATE TABLE sw (a TEXT, b INTEGER, v ANY, PRIMARY KEY (a, b)) STRICT, WITHOUT ROWID;',
    data: "INSERT INTO sw VALUES ('x', 1, 'one'), ('x', 2, 2);",
    op: (ops) => ops.alterColumn('sw', 'v', 'TEXT'),
    converts: ['sw.v'],
    then: (db) => assert.match(sqlOf(db, 'sw'), /\) STRICT, WITHOUT ROWID$/),
  },
  {
    name: 'column COLLATE NOCASE with a UNIQUE: a type-only alterColumn keeps both',
    schema: 'CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);',
    data: "INSERT INTO tag VALUES (1, 'Red'), (2, 'blue');",
    op: (ops) => ops.alterColumn('tag', 'name', 'VARCHAR(40)'),
    then: (db) => violates(db, "INSERT INTO tag (name) VALUES ('RED')", /UNIQUE/),
  },
  {
    name: 'DEFAULT forms (negative number, CURRENT_TIMESTAMP, parenthesised expression) survive a type-only alterColumn',
    schema: "CREATE TABLE df (id INTEGER PRIMARY KEY, a INTEGER DEFAULT -1, b TEXT DEFAULT CURRENT_TIMESTAMP, c TEXT DEFAULT (lower('X')));",
    data: 'INSERT INTO df (id) VALUES (1);',
    op: (ops) => {
      ops.alterColumn('df', 'a', 'BIGINT');
      ops.alterColumn('df', 'b', 'DATETIME');
      ops.alterColumn('df', 'c', 'VARCHAR(3)');
    },
    then: (db) => {
      db.exec('INSERT INTO df (id) VALUES (2)');
      const row = db.prepare('SELECT a, b IS NOT NULL AS has_b, c FROM df WHERE id = 2').get();
      assert.deepEqual(row, { a: -1, has_b: 1, c: 'x' });
    },
  },
  {
    name: 'dropColumn of the only column is refused',
    schema: 'CREATE TABLE lone (only_one TEXT);',
    op: (ops) => ops.dropColumn('lone', 'only_one'),
    refuses: /only column/,
  },
  {
    name: 'addColumn with REFERENCES and a NULL default; a later type-only alterColumn keeps the action',
    schema: PARENT_CHILD,
    data: PARENT_CHILD_DATA,
    op: (ops) => {
      ops.addColumn('child', 'alt_parent INTEGER REFERENCES parent(id) ON DELETE SET NULL');
      ops.alterColumn('child', 'alt_parent', 'BIGINT');
    },
    columns: { child: ['id', 'parent_id', 'v', 'alt_parent'] },
    then: (db) => assert.deepEqual((fkList(db, 'child') as { on_delete: string }[]).map((f) => f.on_delete).sort(), ['CASCADE', 'SET NULL']),
  },
  // ---- found by the adversarial pass ----
  {
    name: 'dropColumn under a SELECT * view is refused: the view would silently lose the column',
    schema: `${T} CREATE VIEW "all of t" AS SELECT * FROM t;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    refuses: /view "all of t" would lose its column "c" \(it selects \*/,
  },
  {
    name: 'dropColumn under a t.* view joined with another table is refused (the rebuild path too)',
    schema: `${T} CREATE UNIQUE INDEX t_c ON t(c); CREATE VIEW tj AS SELECT t.*, o.x FROM t JOIN o ON o.x = t.a;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    refuses: /view "tj" would lose its column "c"/,
  },
  {
    name: 'rebuildTable dropping a column a SELECT * view shows is refused',
    schema: `${T} CREATE VIEW tv AS SELECT * FROM t WHERE id > 0;`,
    data: T_DATA,
    op: (ops) => ops.rebuildTable('t', { create: 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)' }),
    refuses: /view "tv" would lose its column "c"/,
  },
  {
    name: 'a CTE view and a view with a column list over SELECT * are refused when a drop breaks them',
    schema: `${T} CREATE VIEW tq AS WITH q AS (SELECT id, c FROM t) SELECT id FROM q;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    refuses: /view "tq".*no such column: c/,
  },
  {
    name: 'a trigger archiving with INSERT INTO arch SELECT * FROM t is refused when t loses a column (value count)',
    schema: `${T} CREATE TABLE arch (id, a, b, c);
      CREATE TRIGGER t_archive BEFORE DELETE ON t BEGIN INSERT INTO arch SELECT * FROM t WHERE id = old.id; END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    refuses: /trigger "t_archive" \(DELETE on "t"\) no longer works: table arch has 4 columns but 3 values were supplied/,
  },
  {
    name: "addColumn is refused when another table's trigger copies SELECT * FROM t into a fixed table",
    schema: `${T} CREATE TABLE snap (id, a, b, c);
      CREATE TRIGGER o_snap AFTER INSERT ON o BEGIN INSERT INTO snap SELECT * FROM t; END;`,
    data: T_DATA,
    op: (ops) => ops.addColumn('t', 'd TEXT'),
    refuses: /trigger "o_snap" \(INSERT on "o"\) no longer works: table snap has 4 columns but 5 values were supplied/,
  },
  {
    name: 'an INSTEAD OF UPDATE trigger on a view whose body no longer compiles is refused naming it',
    schema: `${T} CREATE TABLE arch (id, a, b, c); CREATE VIEW tv AS SELECT id, a FROM t;
      CREATE TRIGGER tv_upd INSTEAD OF UPDATE ON tv BEGIN INSERT INTO arch SELECT * FROM t WHERE id = old.id; END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'b'),
    refuses: /trigger "tv_upd" \(UPDATE on "tv"\).*4 columns but 3 values/,
  },
  {
    name: 'a trigger with RAISE() and SELECT * in WHEN EXISTS still compiles after a drop: the drop goes through',
    schema: `${T} CREATE TRIGGER o_guard BEFORE INSERT ON o WHEN NOT EXISTS (SELECT * FROM t) BEGIN SELECT RAISE(ABORT, 'no t rows'); END;`,
    data: T_DATA,
    op: (ops) => ops.dropColumn('t', 'c'),
    columns: { t: ['id', 'a', 'b'] },
    then: (db) => {
      db.exec("INSERT INTO o VALUES ('p', 'q')");
      db.exec('DELETE FROM t');
      assert.throws(() => db.exec("INSERT INTO o VALUES ('r', 's')"), /no t rows/);
    },
  },
  {
    name: 'a column named like a collation (nocase) is not used by an index that only COLLATEs with it',
    schema: 'CREATE TABLE w (id INTEGER PRIMARY KEY, a TEXT, nocase TEXT); CREATE INDEX w_a ON w(a COLLATE nocase);',
    data: "INSERT INTO w VALUES (1, 'A', 'n'), (2, 'b', 'm');",
    op: (ops) => ops.dropColumn('w', 'nocase'),
    columns: { w: ['id', 'a'] },
    then: (db) => assert.match(sqlOf(db, 'w_a'), /COLLATE nocase/),
  },
  {
    name: 'a column named like a function (lower, length) is not used by an expression index or CHECK calling it',
    schema: `CREATE TABLE f (id INTEGER PRIMARY KEY, a TEXT CHECK (length(a) > 0), "lower" TEXT, length INTEGER);
      CREATE INDEX f_lower ON f(lower(a));`,
    data: "INSERT INTO f VALUES (1, 'Ab', 'x', 2);",
    op: (ops) => {
      ops.dropColumn('f', 'lower');
      ops.dropColumn('f', 'LENGTH');
    },
    columns: { f: ['id', 'a'] },
    then: (db) => {
      assert.ok(sqlOf(db, 'f_lower'));
      assert.throws(() => db.exec("INSERT INTO f VALUES (2, '')"), /CHECK constraint failed/);
    },
  },
  {
    name: 'legacy_alter_table=ON on the connection: renameTable and renameColumn still rewrite views and triggers (and the pragma is restored)',
    schema: `${T} CREATE VIEW tb AS SELECT b FROM t; CREATE TRIGGER o_upd AFTER INSERT ON o BEGIN UPDATE t SET a = new.x WHERE b = new.y; END;`,
    data: T_DATA,
    op: (ops, db) => {
      db.pragma('legacy_alter_table = ON');
      ops.renameColumn('t', 'b', 'bee');
      ops.renameTable('t', 'tee');
      assert.equal(db.pragma('legacy_alter_table', { simple: true }), 1);
      db.pragma('legacy_alter_table = OFF');
    },
    renames: { t: 'tee' },
    columnRenames: { 'tee.b': 'bee' },
    then: (db) => {
      db.exec("INSERT INTO o VALUES ('new a', 'b1')");
      assert.deepEqual(db.prepare('SELECT a, bee FROM tee WHERE id = 1').raw().get(), ['new a', 'b1']);
      assert.deepEqual(values(db, 'SELECT bee FROM tb ORDER BY 1'), ['b1', 'b3']);
    },
  },
  {
    name: 'SQLAlchemy Enum/Boolean CHECKs at table level about the dropped column alone go with it; the others stay',
    schema: `CREATE TABLE flags (id INTEGER NOT NULL, kind VARCHAR(5), active BOOLEAN, n INTEGER, PRIMARY KEY (id),
      CONSTRAINT kindenum CHECK (kind IN ('a', 'b')), CHECK ("Active" IN (0, 1)), CONSTRAINT n_pos CHECK (n > 0));`,
    data: "INSERT INTO flags VALUES (1, 'a', 1, 3), (4, 'b', 0, 5);",
    op: (ops) => {
      ops.dropColumn('flags', 'KIND');
      ops.dropColumn('flags', 'active');
    },
    columns: { flags: ['id', 'n'] },
    then: (db) => {
      assert.doesNotMatch(sqlOf(db, 'flags'), /kindenum|active/i);
      violates(db, 'INSERT INTO flags VALUES (9, 0)', /CHECK constraint failed: n_pos/);
    },
  },
  {
    name: 'a table-level CHECK using the dropped column and another is refused naming both',
    schema: 'CREATE TABLE rng (id INTEGER PRIMARY KEY, lo INTEGER, hi INTEGER, CHECK (lo <= hi OR hi IS NULL));',
    data: 'INSERT INTO rng VALUES (1, 1, 2);',
    op: (ops) => ops.dropColumn('rng', 'lo'),
    refuses: /CHECK \(lo <= hi OR hi IS NULL\) uses it together with "hi"/,
  },
  {
    name: 'a TEMP table shadowing the main table: the operations change the main table and its indexes stay in main',
    schema: 'CREATE TABLE sh (id INTEGER PRIMARY KEY, v INTEGER, w INTEGER); CREATE INDEX sh_w ON sh(w);',
    data: 'INSERT INTO sh VALUES (1, 1, 1), (4, 2, 2);',
    op: (ops, db) => {
      db.exec('CREATE TEMP TABLE sh (z, w)');
      ops.alterColumn('sh', 'v', 'INTEGER NOT NULL');
      ops.addColumn('sh', 'x TEXT');
      ops.dropColumn('sh', 'x');
      assert.deepEqual(values(db, "SELECT name FROM temp.pragma_table_info('sh')"), ['z', 'w'], 'the TEMP table is untouched');
      db.exec('DROP TABLE temp.sh');
    },
    then: (db) => {
      assert.match(sqlOf(db, 'sh'), /v INTEGER NOT NULL/);
      assert.deepEqual(values(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sh'"), ['sh_w']);
    },
  },
  {
    name: 'an empty AUTOINCREMENT table that never had a row: the rebuild adds no sqlite_sequence row',
    schema: 'CREATE TABLE ai_empty (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER); CREATE TABLE ai_full (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER);',
    data: 'INSERT INTO ai_full (v) VALUES (1), (2); DELETE FROM ai_full;',
    op: (ops) => {
      ops.alterColumn('ai_empty', 'v', 'TEXT');
      ops.alterColumn('ai_full', 'v', 'TEXT');
    },
    then: (db) => assert.deepEqual(db.prepare('SELECT name, seq FROM sqlite_sequence').raw().all(), [['ai_full', 2]]),
  },
  {
    name: 'a view with duplicate result names and an INSTEAD OF UPDATE trigger does not block an unrelated change',
    schema: `${T} CREATE VIEW dup AS SELECT a, a, b FROM t; CREATE TRIGGER dup_upd INSTEAD OF UPDATE ON dup BEGIN UPDATE t SET a = new.a; END;`,
    data: T_DATA,
    op: (ops) => ops.alterColumn('t', 'c', 'TEXT NOT NULL'),
    then: (db) => {
      db.exec("UPDATE dup SET a = 'z'");
      assert.deepEqual(values(db, 'SELECT a FROM t ORDER BY id'), ['z', 'z']);
    },
  },
  {
    name: "a failing copy (new CHECK the rows break) raises SQLite's error and leaves everything as it was",
    schema: PARENT_CHILD,
    data: PARENT_CHILD_DATA,
    op: (ops) => ops.alterColumn('parent', 'note', 'TEXT CHECK (note IS NOT NULL)'),
    refuses: /CHECK constraint failed/,
  },
];

test(`the schema situations table has at least 60 rows (${situations.length})`, () => {
  assert.ok(situations.length >= 60, String(situations.length));
  assert.equal(new Set(situations.map((s) => s.name)).size, situations.length, 'names are unique');
});

for (const s of situations) test(s.name, () => runSituation(s));
