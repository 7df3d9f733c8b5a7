/**
 * The SQL functions a connection has, recorded so that a second connection to the same file can
 * be given the same ones: the engine's own connections record in their class, any other
 * better-sqlite3 connection once recordFunctions has been called on it.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createConnection, openConnection, isOpenInThisProcess } from '../src/sqlite/connection';
import { recordFunctions, registerRecordedFunctions } from '../src/sqlite/function-registry';
import { tempDir } from './helpers/fixtures';

const shout = (text: unknown) => String(text).toUpperCase();
const longest = { start: '', step: (a: string, b: unknown) => (String(b).length > a.length ? String(b) : a) };

for (const opened of ['the engine', 'better-sqlite3 (recordFunctions)'] as const) {
  test(`a connection opened by ${opened}: its functions and aggregates, registered after it opened, are given to a second connection`, () => {
    const file = path.join(tempDir(), 'doc.sqlite');
    createConnection(file).close();
    const db = opened === 'the engine' ? openConnection(file) : new Database(file);
    if (opened !== 'the engine') recordFunctions(db);
    recordFunctions(db); // again: nothing changes
    assert.equal(db.function('shout', shout), db, 'function() returns the connection, as better-sqlite3 does');
    db.aggregate('longest', longest);
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('a'), ('ccc'), ('bb')");
    const second = new Database(file, { readonly: true });
    registerRecordedFunctions(db, second);
    assert.deepEqual(second.prepare('SELECT shout(longest(x)) AS v FROM t').get(), { v: 'CCC' });
    const unrecorded = new Database(file, { readonly: true });
    assert.throws(() => unrecorded.prepare('SELECT shout(1)'), /no such function/, 'an unrecorded connection has none');
    unrecorded.close();
    second.close();
    db.close();
  });
}

test('an engine connection leaves the registry of open files when it is closed, once, however often close() is called', () => {
  const file = path.join(tempDir(), 'doc.sqlite');
  createConnection(file).close();
  const stat = fs.statSync(file);
  assert.equal(isOpenInThisProcess(stat), false);
  const [a, b] = [openConnection(file), openConnection(file)];
  assert.equal(isOpenInThisProcess(stat), true);
  a.close();
  a.close();
  assert.equal(isOpenInThisProcess(stat), true, 'b is still open');
  b.close();
  assert.equal(isOpenInThisProcess(stat), false);
});
