/**
 * The tokenizer (src/sqlite/sql-tokens.ts) reads runs with sticky regular expressions instead of
 * testing one character at a time; schema fingerprints recorded in manifests depend on its exact
 * output, so it must give the same tokens as the character-by-character version it replaced,
 * kept here as the reference. Checked over SQL with every kind of token and over many thousands
 * of random strings made of the fragments where tokenizers go wrong (quotes doubled and left
 * open, comments, exponents, Unicode whitespace and letters, lone surrogates, operators).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenizeSql, type Token } from '../src/sqlite/sql-tokens';

/** The tokenizer as it was before (character by character), the reference. */
function referenceTokenize(sql: string): Token[] {
  const WORD_START = /[A-Za-z_\u0080-\uffff]/;
  const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === "'") {
      i = skipQuoted(sql, i, "'");
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'string', text: raw, raw, start, end: i });
      continue;
    }
    if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      i = skipQuoted(sql, i + 1, "'");
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'blob', text: raw.toLowerCase(), raw, start, end: i });
      continue;
    }
    if (c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
      const raw = sql.slice(start, i);
      const inner = raw
        .slice(1, -1)
        .split(c + c)
        .join(c);
      tokens.push({ kind: 'ident', text: inner.toLowerCase(), raw, start, end: i });
      continue;
    }
    if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      i = close < 0 ? n : close + 1;
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'ident', text: raw.slice(1, -1).toLowerCase(), raw, start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i]!)) {
        if ((sql[i] === 'e' || sql[i] === 'E') && (sql[i + 1] === '+' || sql[i + 1] === '-')) i++;
        i++;
      }
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'number', text: raw.toLowerCase(), raw, start, end: i });
      continue;
    }
    if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(sql[i]!)) i++;
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'word', text: raw.toLowerCase(), raw, start, end: i });
      continue;
    }
    if (c === '?' || c === ':' || c === '@' || c === '$') {
      i++;
      while (i < n && WORD_PART.test(sql[i]!)) i++;
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'variable', text: raw, raw, start, end: i });
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (['||', '<=', '>=', '==', '!=', '<>', '<<', '>>', '->'].includes(two)) {
      i += sql.slice(i, i + 3) === '->>' ? 3 : 2;
    } else {
      i++;
    }
    const raw = sql.slice(start, i);
    tokens.push({ kind: 'punct', text: raw, raw, start, end: i });
  }
  return tokens;
}

function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

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

test('the same tokens as the reference for SQL with every kind of token', () => {
  for (const sql of SQL) assert.deepEqual(tokenizeSql(sql), referenceTokenize(sql), sql);
});

test('the same tokens as the reference for 20,000 random strings of tricky fragments', () => {
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8;
  for (let k = 0; k < 20_000; k++) {
    let sql = '';
    const parts = next() % 24;
    for (let p = 0; p < parts; p++) sql += FRAGMENTS[next() % FRAGMENTS.length];
    assert.deepEqual(tokenizeSql(sql), referenceTokenize(sql), JSON.stringify(sql));
  }
});
