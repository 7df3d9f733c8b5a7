/**
 * The tokenizer (src/sqlite/sql-tokens.ts) and the canonical text schema fingerprints are made
 * of, against a real SQLite: what it takes for whitespace, how it folds names, hexadecimal
 * literals, the reserved words, and quoted names. Where SQLite reads two schemas differently
 * their fingerprints must differ; where it reads them alike they must agree.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { fingerprintOf, readSchema } from '../src/schema/schema-fingerprint';
import { RESERVED_WORDS } from '../src/sqlite/sql-canonical';
import { sqlMentions, tokenizeSql } from '../src/sqlite/sql-tokens';

/** What SQLite reads of `sql` (which creates a table t): its columns and the row DEFAULT VALUES inserts, as JSON; and the schema's fingerprint. */
function sqliteReads(sql: string): { table: string; fingerprint: string } {
  return inMemory((db) => {
    db.exec(sql);
    db.exec('INSERT INTO t DEFAULT VALUES');
    return {
      table: JSON.stringify([db.prepare("SELECT * FROM pragma_table_xinfo('t')").all(), db.prepare('SELECT * FROM t').raw().all()]),
      fingerprint: fingerprintOf(readSchema(db, 'fieldbook_migrations')),
    };
  });
}

/** `fn` on a fresh in-memory database, closed after. */
function inMemory<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(':memory:');
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * For each pair, what SQLite reads of the two (`read(...).seen`) and their fingerprints must both
 * differ (`alike` false) or both agree (`alike` true).
 */
function assertPairs(pairs: [string, string][], read: (sql: string) => { seen: string; fingerprint: string }, alike: boolean): void {
  for (const [one, other] of pairs) {
    const [x, y] = [read(one), read(other)];
    const check: (a: string, b: string, message: string) => void = alike ? assert.equal : assert.notEqual;
    check(x.seen, y.seen, `SQLite reads ${one} and ${other} ${alike ? 'alike' : 'differently'}`);
    check(x.fingerprint, y.fingerprint, `${one} and ${other} fingerprint ${alike ? 'alike' : 'differently'}`);
  }
}

/** SQLite's 147 keywords (lang_keywords.html). */
const KEYWORDS = (
  'ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE CASE CAST CHECK ' +
  'COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT ' +
  'DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER ' +
  'FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER ' +
  'INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL ' +
  'NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES ' +
  'REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN ' +
  'TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT'
).split(' ');

test('whitespace is what SQLite takes for whitespace, for every character JavaScript calls whitespace and every ASCII control', () => {
  const db = new Database(':memory:');
  const candidates = new Set<string>();
  for (let code = 0; code <= 0xffff; code++) {
    const c = String.fromCharCode(code);
    if (/\s/.test(c) || code <= 0x20 || code === 0x7f || code === 0x85) candidates.add(c);
  }
  assert.ok(candidates.size > 40, `${candidates.size} characters tried`);
  let table = 0;
  for (const c of candidates) {
    const where = `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    // Inside a word (`a<c>b`) and where a token starts (`a, <c>b`): to SQLite, c separates
    // tokens (whitespace), belongs to the name, or makes the SQL an error (an illegal character).
    for (const columns of [`a${c}b`, `a, ${c}b`]) {
      const name = `t${table++}`;
      let read: string[] | null;
      try {
        db.exec(`CREATE TABLE ${name} (${columns})`);
        read = db
          .prepare(`SELECT name, type FROM pragma_table_info('${name}')`)
          .all()
          .flatMap((r) => Object.values(r as object).filter(Boolean) as string[]);
      } catch {
        read = null;
      }
      const tokens = tokenizeSql(columns)
        .filter((t) => t.kind !== 'punct' || t.raw !== ',')
        .map((t) => t.raw);
      const asSpace = tokenizeSql(columns.replace(c, ' '))
        .filter((t) => t.kind !== 'punct' || t.raw !== ',')
        .map((t) => t.raw);
      if (read === null) assert.notDeepEqual(tokens, asSpace, `${where} in ${JSON.stringify(columns)} is illegal to SQLite, so not whitespace`);
      else assert.deepEqual(tokens, read, `${where} in ${JSON.stringify(columns)}: SQLite reads the names and types ${JSON.stringify(read)}`);
    }
  }
  db.close();
});

test('a schema that differs from another only where SQLite reads a Unicode space as part of a name has another fingerprint', () => {
  const plain = sqliteReads('CREATE TABLE t (a INTEGER, b TEXT)');
  for (const space of ['\u00a0', '\u2028', '\u3000']) {
    // A column named `<space>b`, not `b`; a type `<space>INTEGER`.
    for (const sql of [`CREATE TABLE t (a INTEGER, ${space}b TEXT)`, `CREATE TABLE t (a ${space}INTEGER, b TEXT)`]) {
      const spaced = sqliteReads(sql);
      assert.notEqual(spaced.table, plain.table, 'SQLite reads another table');
      assert.notEqual(spaced.fingerprint, plain.fingerprint, `${JSON.stringify(sql)}: another fingerprint`);
    }
  }
  // SQLite's whitespace, a vertical tab within a run and a byte-order mark where a token starts included.
  assert.equal(sqliteReads('CREATE TABLE t (a\tINTEGER,\r\v\n\fb TEXT)').fingerprint, plain.fingerprint, 'SQLite whitespace is still whitespace');
  assert.equal(sqliteReads('CREATE TABLE t (a INTEGER, \ufeffb TEXT)').fingerprint, plain.fingerprint, 'a byte-order mark before a name is whitespace');
});

test('names fold as SQLite folds them, ASCII letters only: "É" and "é" are two columns, the Kelvin sign is not k', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t ("É" INT, "é" INT, k INT, "\u212a" INT)');
  assert.equal(db.prepare("SELECT count(*) FROM pragma_table_info('t')").pluck().get() as number, 4, 'SQLite: four different names');
  db.close();
  assert.deepEqual(
    tokenizeSql('"É" É é Items "ITEMS" \u212a').map((t) => t.text),
    ['É', 'É', 'é', 'items', 'items', '\u212a'],
  );
  assert.equal(sqlMentions('CREATE TABLE t ("\u212a" INT)', 'k'), false);
  assert.equal(sqlMentions('CREATE TABLE t ("É" INT)', 'é'), false);
  assert.equal(sqlMentions('CREATE TABLE t ("Items" INT)', 'ITEMS'), true);
  assert.notEqual(sqliteReads('CREATE TABLE t ("É" INT)').fingerprint, sqliteReads('CREATE TABLE t ("é" INT)').fingerprint);
  assert.equal(sqliteReads('CREATE TABLE t ("Items" INT)').fingerprint, sqliteReads('CREATE TABLE t (items INT)').fingerprint);
});

test('a hexadecimal literal has no exponent: 0x1e-b is 0x1e minus b, as SQLite computes it', () => {
  assert.deepEqual(
    tokenizeSql('0x1e-b 0X1E+5 1e-5 0x1F').map((t) => `${t.kind}:${t.raw}`),
    ['number:0x1e', 'punct:-', 'word:b', 'number:0X1E', 'punct:+', 'number:5', 'number:1e-5', 'number:0x1F'],
  );
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (a, b, c AS (0x1e-b))');
  db.exec('INSERT INTO t (a, b) VALUES (1, 1)');
  assert.equal(db.prepare('SELECT c FROM t').pluck().get(), 29, 'SQLite: 30 - 1');
  assert.equal(sqlMentions(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 't'").pluck().get() as string, 'b'), true, 'the generated column depends on b');
  db.close();
});

test('RESERVED_WORDS are exactly the keywords SQLite does not take as a bare name', () => {
  assert.equal(KEYWORDS.length, 147);
  const db = new Database(':memory:');
  const works = (sql: string) => {
    try {
      db.exec(sql);
      return true;
    } catch {
      return false;
    }
  };
  KEYWORDS.forEach((word, i) => {
    const reserved = RESERVED_WORDS.has(word.toLowerCase());
    assert.equal(works(`CREATE TABLE c${i} (${word} INT)`), !reserved, `${word} as a bare column name`);
    if (reserved) {
      assert.equal(works(`CREATE TABLE ${word} (a)`), false, `${word} as a bare table name`);
      assert.equal(works(`CREATE TABLE q${i} ("${word}" INT)`), true, `"${word}" quoted`);
    }
  });
  assert.ok(
    [...RESERVED_WORDS].every((w) => KEYWORDS.includes(w.toUpperCase())),
    'only keywords',
  );
  db.close();
});

test('a quoted name that only quotes can spell is not read as the tokens, number, string or keyword it spells', () => {
  const different: [string, string][] = [
    ['CREATE TABLE t (a "INTEGER" "PRIMARY" "KEY")', 'CREATE TABLE t (a INTEGER PRIMARY KEY)'],
    ['CREATE TABLE t (a INT "NOT" "NULL" DEFAULT 1)', 'CREATE TABLE t (a INT NOT NULL DEFAULT 1)'],
    ['CREATE TABLE t (a DEFAULT "null")', 'CREATE TABLE t (a DEFAULT null)'],
    ['CREATE TABLE t (a DEFAULT "1")', 'CREATE TABLE t (a DEFAULT 1)'],
    [`CREATE TABLE t (a DEFAULT "'x'")`, `CREATE TABLE t (a DEFAULT 'x')`],
    ['CREATE TABLE t ("a , b" INT)', 'CREATE TABLE t (a , b INT)'],
    ['CREATE TABLE t ("a int")', 'CREATE TABLE t (a int)'],
  ];
  const table = (sql: string) => {
    const r = sqliteReads(sql);
    return { seen: r.table, fingerprint: r.fingerprint };
  };
  assertPairs(different, table, false);
  const same: [string, string][] = [
    ['CREATE TABLE "t" ("a" INT, [b] TEXT, `key` INT, "left" INT)', 'CREATE TABLE t (a INT, b TEXT, key INT, left INT)'],
    ['CREATE TABLE t ("order" INT, [select] TEXT)', 'CREATE TABLE t ([order] INT, `select` TEXT)'],
  ];
  assertPairs(same, table, true);
});

test('a name after DEFAULT is a value: its case and quotes count, and only bare true, false, NULL and CURRENT_* are keywords', () => {
  /** The value SQLite gives column a of a row inserted with DEFAULT VALUES (CURRENT_* as its kind, not the time), and the fingerprint. */
  const reads = (column: string) =>
    inMemory((db) => {
      db.exec(`CREATE TABLE t (${column})`);
      db.exec('INSERT INTO t DEFAULT VALUES');
      const row = db.prepare("SELECT typeof(a) AS type, CASE WHEN a GLOB '[0-9][0-9]*[-:]*' THEN 'a time' ELSE a END AS value FROM t").get();
      return { seen: JSON.stringify(row), fingerprint: fingerprintOf(readSchema(db, 'fieldbook_migrations')) };
    });
  const different: [string, string][] = [
    ['a DEFAULT ABC', 'a DEFAULT abc'],
    ['a DEFAULT "ABC"', 'a DEFAULT "abc"'],
    ['a DEFAULT [Abc]', 'a DEFAULT [abc]'],
    ['a DEFAULT Key', 'a DEFAULT key'],
    ['a DEFAULT true', 'a DEFAULT "true"'],
    ['a DEFAULT FALSE', 'a DEFAULT `FALSE`'],
    ['a DEFAULT CURRENT_TIME', 'a DEFAULT "CURRENT_TIME"'],
    ['a DEFAULT null', 'a DEFAULT "null"'],
    ['a TEXT DEFAULT Tag NOT NULL', 'a TEXT DEFAULT tag NOT NULL'],
  ];
  assertPairs(different, reads, false);
  const same: [string, string][] = [
    ['a DEFAULT TRUE', 'a default true'],
    ['a DEFAULT Current_Timestamp', 'a DEFAULT CURRENT_TIMESTAMP'],
    ['a DEFAULT NULL', 'a DEFAULT null'],
    ['a DEFAULT "Abc"', 'a DEFAULT [Abc]'],
    ['"A" DEFAULT Abc', 'a DEFAULT Abc'],
  ];
  assertPairs(same, reads, true);
});

test("a table whose name only Unicode case-folding makes the version table's (a Kelvin sign for k) is the document's, and in its fingerprint", () => {
  const fingerprint = (extra: string) =>
    inMemory((db) => {
      db.exec(`CREATE TABLE fieldbook_migrations (version INTEGER PRIMARY KEY); CREATE TABLE t (a INT); ${extra}`);
      return fingerprintOf(readSchema(db, 'fieldbook_migrations'));
    });
  // SQLite: "fieldbooK_migrations" (U+212A) is another table than fieldbook_migrations; JavaScript's toLowerCase made it the engine's own, left out.
  assert.notEqual(fingerprint('CREATE TABLE "fieldboo\u212a_migrations" (x)'), fingerprint(''));
  assert.notEqual(fingerprint('CREATE TABLE "FİELDBOOK_MIGRATIONS" (x)'), fingerprint(''));
});
