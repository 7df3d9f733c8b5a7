/**
 * The tokenizer (src/sqlite/sql-tokens.ts) reads runs with sticky regular expressions instead of
 * testing one character at a time; schema fingerprints recorded in manifests depend on its exact
 * output, so it must give the same tokens as the character-by-character version it replaced. The
 * old version's output over SQL with every kind of token and 20,000 random strings made of the
 * fragments where tokenizers go wrong (quotes doubled and left open, comments, exponents, Unicode
 * whitespace and letters, lone surrogates, operators) is pinned as a digest, over the strings
 * without a character the old version wrongly took for whitespace (a vertical tab, Unicode
 * spaces): there the tokenizer now agrees with SQLite instead (sql-tokens-sqlite.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import crypto = require('node:crypto');
import { tokenizeSql } from '../src/sqlite/sql-tokens';

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

test('runs as they are read: exponents, quotes doubled and left open, comments, operators', () => {
  const kinds = (sql: string) => tokenizeSql(sql).map((t) => `${t.kind}:${t.raw}`);
  assert.deepEqual(kinds('1e+5 12E-3x .5'), ['number:1e+5', 'number:12E-3x', 'number:.5']);
  assert.deepEqual(kinds(`"a""b" 'it''s' [x y] 'open`), ['ident:"a""b"', "string:'it''s'", 'ident:[x y]', "string:'open"]);
  assert.deepEqual(kinds('x ->> y -- c\nz /* d'), ['word:x', 'punct:->>', 'word:y', 'word:z']);
});

test('a text read again gives the very same tokens, in a list no caller can change; long texts are split afresh each time', () => {
  const sql = 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)';
  const first = tokenizeSql(sql);
  assert.equal(tokenizeSql(sql), first);
  assert.ok(Object.isFrozen(first));
  assert.throws(() => (first as unknown as unknown[]).push('x'), TypeError);
  assert.equal(tokenizeSql(sql).length, 12);
  // A text longer than the remembered ones (a migration's data statement) is not kept: equal tokens, a new list.
  const long = `INSERT INTO t VALUES ${Array.from({ length: 1000 }, (_, i) => `(${i}, 'n${i}')`).join(', ')}`;
  assert.ok(long.length > 4096);
  const once = tokenizeSql(long);
  const again = tokenizeSql(long);
  assert.notEqual(again, once);
  assert.deepEqual(again, once);
  // More texts than are remembered: each still gives its own tokens.
  for (let i = 0; i < 600; i++) assert.equal(tokenizeSql(`SELECT c${i}`)[1]!.text, `c${i}`);
  assert.deepEqual(
    tokenizeSql(sql).map((t) => t.text),
    first.map((t) => t.text),
  );
});
