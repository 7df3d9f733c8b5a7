/**
 * How the engine decides that a destination is the source (issue 8, item 1), on its own: the
 * same inode, the same real path, or (only where the file system ignores case) the same path
 * after folding case, Unicode form and Windows' trailing dots and spaces.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { isFieldbookError } from '../src/index';
import { assertDistinctDestination, fileIdentity, foldPath, isSameFile } from '../src/tooling';
import { tempDir } from './helpers/fixtures';

test('the decision: same inode, same real path, or (only where the file system ignores case) the same path after folding case', () => {
  const dir = tempDir();
  const a = path.join(dir, 'Field Notes.notes');
  fs.writeFileSync(a, 'x');
  const id = fileIdentity(a);
  const upper = { path: path.join(fs.realpathSync(dir), 'FIELD NOTES.notes'), stat: null };
  assert.equal(isSameFile(id, upper, false), false, 'case-sensitive: another file');
  assert.equal(isSameFile(id, upper, true), true, 'case-insensitive: the same file');
  // Unicode forms: macOS stores names decomposed; é composed and decomposed are one name there.
  const composed = { path: '/x/caf\u00e9.notes', stat: null };
  const decomposed = { path: '/x/CAFE\u0301.notes', stat: null };
  assert.equal(isSameFile(composed, decomposed, true), true);
  assert.equal(isSameFile(composed, decomposed, false), false);
  // Windows drops trailing dots and spaces from names.
  assert.equal(foldPath('C:\\Notes\\a.notes. ', 'win32'), foldPath('c:\\notes\\A.NOTES', 'win32'));
  assert.notEqual(foldPath('/notes/a.notes.', 'linux'), foldPath('/notes/a.notes', 'linux'));
  // An inode of 0 (FAT on Windows) proves nothing: two such files are compared by path.
  const fakeStat = (ino: number) => ({ ...fs.statSync(a), ino, dev: 1 }) as fs.Stats;
  assert.equal(isSameFile({ path: '/a', stat: fakeStat(0) }, { path: '/b', stat: fakeStat(0) }, false), false);
  assert.equal(isSameFile({ path: '/a', stat: fakeStat(5) }, { path: '/b', stat: fakeStat(5) }, false), true);
  // The check itself, with a source spelled through `..` and a missing destination.
  assert.throws(
    () => assertDistinctDestination(path.join(dir, 'sub', '..', 'Field Notes.notes'), { sources: [a] }),
    (e: unknown) => isFieldbookError(e, 'SAME_FILE'),
  );
  assert.doesNotThrow(() => assertDistinctDestination(path.join(dir, 'Field Notes 2.notes'), { sources: [a], openDocuments: [a] }));
});
