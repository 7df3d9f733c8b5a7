/**
 * writeFileSafely: a file that is not a document, written as documents are: all or nothing,
 * never onto a document that is open or read, nothing left behind. Real files in a temp folder.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { test } from 'node:test';
import { FieldbookError } from '../src/errors';
import { createConnection } from '../src/sqlite/connection';
import { writeFileSafely } from '../src/sqlite/write-file';

const folder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-write-file-'));
const code = (run: () => void) => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof FieldbookError, String(error));
    return error.code;
  }
  return null;
};

test('text, bytes and streamed chunks land whole; an existing file is replaced only with overwrite', () => {
  const dir = folder();
  const target = path.join(dir, "Ann's samples.csv");
  writeFileSafely(target, 'a,b\n');
  assert.equal(fs.readFileSync(target, 'utf8'), 'a,b\n');
  assert.equal(
    code(() => writeFileSafely(target, 'other')),
    'EXISTS',
  );
  assert.equal(fs.readFileSync(target, 'utf8'), 'a,b\n');
  function* chunks() {
    yield 'é,\0\n';
    yield Buffer.from([0xff, 0x00]);
    yield new Uint8Array(200_000).fill(7);
  }
  writeFileSafely(target, chunks(), { overwrite: true });
  const written = fs.readFileSync(target);
  assert.equal(written.length, Buffer.byteLength('é,\0\n') + 2 + 200_000);
  assert.deepEqual(written.subarray(0, 7), Buffer.concat([Buffer.from('é,\0\n'), Buffer.from([0xff, 0x00])]));
  assert.deepEqual(fs.readdirSync(dir), ["Ann's samples.csv"]);
});

test('a content generator that throws leaves the destination as it was and no partial file', () => {
  const dir = folder();
  const target = path.join(dir, 'out.csv');
  fs.writeFileSync(target, 'before');
  function* failing() {
    yield 'half of it';
    throw new Error('the query failed');
  }
  assert.throws(() => writeFileSafely(target, failing(), { overwrite: true }), /the query failed/);
  assert.equal(fs.readFileSync(target, 'utf8'), 'before');
  assert.deepEqual(fs.readdirSync(dir), ['out.csv']);
});

test('a document that is open, a source, or their journal files are refused however they are spelled', () => {
  const dir = folder();
  const notebook = path.join(dir, 'notes.fieldbook');
  // Opened through the engine, as the app opens its documents: the engine knows it is open.
  const db = createConnection(notebook);
  db.exec('CREATE TABLE t (x)');
  const other = path.join(dir, 'other.fieldbook');
  fs.writeFileSync(other, 'y');
  const source = path.join(dir, 'source.fieldbook');
  fs.writeFileSync(source, 'x');
  fs.symlinkSync(source, path.join(dir, 'link.fieldbook'));
  try {
    for (const destination of [notebook, `${notebook}-wal`, `${notebook}-journal`, path.join(dir, '.', 'notes.fieldbook')]) {
      assert.equal(
        code(() => writeFileSafely(destination, 'x', { overwrite: true })),
        'SAME_FILE',
        destination,
      );
    }
    for (const destination of [source, path.join(dir, 'link.fieldbook')]) {
      assert.equal(
        code(() => writeFileSafely(destination, 'x', { overwrite: true, sources: [source] })),
        'SAME_FILE',
        destination,
      );
    }
    // A document another process or thread has open is named in openDocuments.
    assert.equal(
      code(() => writeFileSafely(other, 'x', { overwrite: true, openDocuments: [other] })),
      'SAME_FILE',
    );
    assert.deepEqual([fs.readFileSync(source, 'utf8'), fs.readFileSync(other, 'utf8')], ['x', 'y']);
    assert.equal(
      code(() => writeFileSafely(path.join(dir, 'missing', 'out.csv'), 'x')),
      'NOT_FOUND',
    );
    // Checked as exports check their destinations: a folder is no file to replace, a NUL names none.
    fs.mkdirSync(path.join(dir, 'a folder'));
    assert.equal(
      code(() => writeFileSafely(path.join(dir, 'a folder'), 'x', { overwrite: true })),
      'EXISTS',
    );
    assert.equal(
      code(() => writeFileSafely(path.join(dir, 'out\0.csv'), 'x')),
      'NOT_FOUND',
    );
  } finally {
    db.close();
  }
  assert.deepEqual(fs.readdirSync(dir).sort(), ['a folder', 'link.fieldbook', 'notes.fieldbook', 'other.fieldbook', 'source.fieldbook']);
});
