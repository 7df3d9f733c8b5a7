/**
 * The tokenizer (src/sqlite/sql-tokens.ts) reads runs with sticky regular expressions instead of
 * testing one character at a time; schema fingerprints recorded in manifests depend on its exact
 * output, so it must give the same tokens as the character-by-character version it replaced. The
 * old version's output over SQL with every kind of token and 20,000 random strings made of the
 * fragments where tokenizers go wrong (quotes doubled and left open, comments, exponents, Unicode
 * whitespace and letters, lone surrogates, operators) is pinned as a digest, over the strings
 * without a character the old version wrongly took for whitespace (a vertical tab, Unicode
 * spaces): there the tokenizer now agrees with SQLite instead, which a real database proves.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import crypto = require('node:crypto');
import Database from 'better-sqlite3';
import { fingerprintOf, readSchema } from '../src/schema/schema-fingerprint';
import { RESERVED_WORDS, sqlMentions, tokenizeSql } from '../src/sqlite/sql-tokens';

const SQL = [
  "CREATE TABLE \"we\"\"ird\" ([a b] INTEGER PRIMARY KEY, `c` TEXT DEFAULT 'it''s', d REAL CHECK (d >= -1.5e+3), e BLOB DEFAULT x'00ff')",
  'CREATE INDEX i ON t (lower(name) COLLATE nocase, a || b) WHERE x <> 0 AND y != 1 AND z == 2 -- trailing\n',
  "CREATE TRIGGER tr AFTER UPDATE ON t BEGIN SELECT j ->> '$.a', j -> 'b', ?1, :n, @v, $w, .5, 0x1F, 1e-7; END /* c */",
  'CREATE VIEW v AS SELECT "Zürich", 東京, ñ_1$, [open',
  "SELECT 'unterminated",
  'SELECT 1 /* unterminated comment',
];

const FRAGMENTS = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\f',
  '\v',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  "'",
  "''",
  '"',
  '""',
  '`',
  '[',
  ']',
  "x'",
  "X'",
  '--',
  '/*',
  '*/',
  '-',
  '/',
  '*',
  '1',
  '0.5',
  '.5',
  '.',
  'e',
  'E',
  '+',
  '-',
  'e+',
  '1e+5',
  '12E-3x',
  'abc',
  'Ab_9$',
  'é',
  '東',
  '\ud800',
  '\udc00',
  '\ud83e\udd89',
  '?',
  '?12',
  ':a',
  '@',
  '$x',
  '|',
  '||',
  '<',
  '<=',
  '>',
  '>=',
  '=',
  '==',
  '!',
  '!=',
  '<>',
  '<<',
  '>>',
  '->',
  '->>',
  '(',
  ')',
  ',',
  ';',
  '\0',
];

/** The inputs: the SQL above, then 20,000 strings of up to 23 fragments (a fixed pseudo-random sequence). */
function inputs(): string[] {
  const strings = [...SQL];
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8;
  for (let k = 0; k < 20_000; k++) {
    let sql = '';
    const parts = next() % 24;
    for (let p = 0; p < parts; p++) sql += FRAGMENTS[next() % FRAGMENTS.length];
    strings.push(sql);
  }
  return strings;
}

/** Characters the character-by-character tokenizer (before 2.1) took for whitespace and SQLite does not. */
const NOT_SQLITE_SPACE = /[\v\u00a0\u2028\u3000\ufeff]/;

/** The sha256 of the tokens the character-by-character tokenizer gave for inputs() without NOT_SQLITE_SPACE (9,443 strings), as JSON. */
const BEFORE = 'a039e3cb88dd23b6e76936bd9a4489c611da0f40c26dbf82fb3db08d69c6e885';

test('the same tokens as the character-by-character tokenizer it replaced, for SQL with every kind of token and 20,000 random strings', () => {
  const kept = inputs().filter((sql) => !NOT_SQLITE_SPACE.test(sql));
  assert.equal(kept.length, 9443);
  const tokens = kept.map((sql) => tokenizeSql(sql));
  assert.equal(crypto.createHash('sha256').update(JSON.stringify(tokens)).digest('hex'), BEFORE);
});

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
  const schemaOf = (sql: string) => {
    const db = new Database(':memory:');
    try {
      db.exec(sql);
      return { columns: db.prepare("SELECT name, type FROM pragma_table_info('t')").all(), fingerprint: fingerprintOf(readSchema(db, 'fieldbook_migrations')) };
    } finally {
      db.close();
    }
  };
  const plain = schemaOf('CREATE TABLE t (a INTEGER, b TEXT)');
  for (const space of ['\u00a0', '\u2028', '\u3000']) {
    // A column named `<space>b`, not `b`; a type `<space>INTEGER`.
    for (const sql of [`CREATE TABLE t (a INTEGER, ${space}b TEXT)`, `CREATE TABLE t (a ${space}INTEGER, b TEXT)`]) {
      const spaced = schemaOf(sql);
      assert.notDeepEqual(spaced.columns, plain.columns, 'SQLite reads another table');
      assert.notEqual(spaced.fingerprint, plain.fingerprint, `${JSON.stringify(sql)}: another fingerprint`);
    }
  }
  // SQLite's whitespace, a vertical tab within a run and a byte-order mark where a token starts included.
  assert.equal(schemaOf('CREATE TABLE t (a\tINTEGER,\r\v\n\fb TEXT)').fingerprint, plain.fingerprint, 'SQLite whitespace is still whitespace');
  assert.equal(schemaOf('CREATE TABLE t (a INTEGER, \ufeffb TEXT)').fingerprint, plain.fingerprint, 'a byte-order mark before a name is whitespace');
});

test('runs as they are read: exponents, quotes doubled and left open, comments, operators', () => {
  const kinds = (sql: string) => tokenizeSql(sql).map((t) => `${t.kind}:${t.raw}`);
  assert.deepEqual(kinds('1e+5 12E-3x .5'), ['number:1e+5', 'number:12E-3x', 'number:.5']);
  assert.deepEqual(kinds(`"a""b" 'it''s' [x y] 'open`), ['ident:"a""b"', "string:'it''s'", 'ident:[x y]', "string:'open"]);
  assert.deepEqual(kinds('x ->> y -- c\nz /* d'), ['word:x', 'punct:->>', 'word:y', 'word:z']);
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
  const fingerprint = (sql: string) => {
    const d = new Database(':memory:');
    d.exec(sql);
    const f = fingerprintOf(readSchema(d, 'fieldbook_migrations'));
    d.close();
    return f;
  };
  assert.notEqual(fingerprint('CREATE TABLE t ("É" INT)'), fingerprint('CREATE TABLE t ("é" INT)'));
  assert.equal(fingerprint('CREATE TABLE t ("Items" INT)'), fingerprint('CREATE TABLE t (items INT)'));
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
  const read = (sql: string) => {
    const db = new Database(':memory:');
    try {
      db.exec(sql);
      db.exec('INSERT INTO t DEFAULT VALUES');
      return {
        table: JSON.stringify([db.prepare("SELECT * FROM pragma_table_xinfo('t')").all(), db.prepare('SELECT * FROM t').raw().all()]),
        fingerprint: fingerprintOf(readSchema(db, 'fieldbook_migrations')),
      };
    } finally {
      db.close();
    }
  };
  const different: [string, string][] = [
    ['CREATE TABLE t (a "INTEGER" "PRIMARY" "KEY")', 'CREATE TABLE t (a INTEGER PRIMARY KEY)'],
    ['CREATE TABLE t (a INT "NOT" "NULL" DEFAULT 1)', 'CREATE TABLE t (a INT NOT NULL DEFAULT 1)'],
    ['CREATE TABLE t (a DEFAULT "null")', 'CREATE TABLE t (a DEFAULT null)'],
    ['CREATE TABLE t (a DEFAULT "1")', 'CREATE TABLE t (a DEFAULT 1)'],
    [`CREATE TABLE t (a DEFAULT "'x'")`, `CREATE TABLE t (a DEFAULT 'x')`],
    ['CREATE TABLE t ("a , b" INT)', 'CREATE TABLE t (a , b INT)'],
    ['CREATE TABLE t ("a int")', 'CREATE TABLE t (a int)'],
  ];
  for (const [quoted, bare] of different) {
    const [q, b] = [read(quoted), read(bare)];
    assert.notEqual(q.table, b.table, `SQLite reads ${quoted} and ${bare} as different tables`);
    assert.notEqual(q.fingerprint, b.fingerprint, `${quoted} and ${bare} fingerprint differently`);
  }
  const same: [string, string][] = [
    ['CREATE TABLE "t" ("a" INT, [b] TEXT, `key` INT, "left" INT)', 'CREATE TABLE t (a INT, b TEXT, key INT, left INT)'],
    ['CREATE TABLE t ("order" INT, [select] TEXT)', 'CREATE TABLE t ([order] INT, `select` TEXT)'],
  ];
  for (const [one, other] of same) {
    const [x, y] = [read(one), read(other)];
    assert.equal(x.table, y.table, `SQLite reads ${one} and ${other} as the same table`);
    assert.equal(x.fingerprint, y.fingerprint, `${one} and ${other} fingerprint alike`);
  }
});
