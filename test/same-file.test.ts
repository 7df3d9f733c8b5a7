/**
 * Item 1 of issue 8: a destination that is the source, or any open document, is refused with
 * SAME_FILE whatever `overwrite` says, however it is spelled, and the source's bytes stay
 * exactly as they were. Other existing files are still replaced (atomically) when asked.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { isFieldbookError, exportDocument, openDocument, exportSubset, createTemporarySubset } from '@fieldbook/engine';
import { isCaseInsensitiveAt } from '@fieldbook/engine/tooling';
import { fileState, rows, runCli, sha256File, tempDir, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

const AWKWARD_NAMES = ['rich.fieldbook', 'it\'s "my" notes.fieldbook', 'SELECT From.fieldbook', 'MiXeD Case Ünïcode.fieldbook'];

/** Files in a folder other than the given ones (leftover .partial files, journals, ...). */
function extraFiles(dir: string, expected: string[]): string[] {
  return fs.readdirSync(dir).filter((e) => !expected.includes(e));
}

function assertSameFileRefusal(result: ReturnType<typeof runCli>, what: string): void {
  assert.equal(result.status, 3, `${what}: exit ${result.status}: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line on stderr: ${result.stderr}`);
  assert.match(lines[0]!, /^error: SAME_FILE: /, what);
}

for (const name of AWKWARD_NAMES) {
  test(`CLI subset and export onto their own source (${name}) are refused in every spelling; the source's bytes are unchanged`, () => {
    const dir = tempDir();
    const source = richHeadDocument(dir, name);
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    fs.symlinkSync(source, path.join(dir, `link to ${name}`));
    fs.linkSync(source, path.join(dir, `hard link to ${name}`));
    const before = sha256File(source);
    const spellings = [
      source,
      `./${name}`,
      `../${path.basename(dir)}/${name}`,
      `sub/../${name}`,
      `${name}/`,
      `./${name}/.`,
      `.//${name}`,
      `link to ${name}`,
      `hard link to ${name}`,
      `${name}-journal`,
      `${name}-wal`,
      path.join(sub, '..', name),
    ];
    for (const spelling of spellings) {
      for (const overwrite of [true, false]) {
        const flags = overwrite ? ['--overwrite'] : [];
        assertSameFileRefusal(runCli(['subset', source, '--out', spelling, '--site', '1', ...flags], { cwd: dir }), `subset --out ${spelling} ${flags.join(' ')}`);
        assertSameFileRefusal(runCli(['export', `./${name}`, '--out', spelling, '--as-version', '1', ...flags], { cwd: dir }), `export --out ${spelling} ${flags.join(' ')}`);
        assert.equal(sha256File(source), before, `the source changed after --out ${spelling}`);
      }
    }
    // The source given through the link, the destination being the real file.
    assertSameFileRefusal(runCli(['export', `link to ${name}`, '--out', name, '--as-version', '1', '--overwrite'], { cwd: dir }), 'export through the link onto the file');
    assert.equal(sha256File(source), before);
    assert.equal(rows(source, 'SELECT count(*) AS n FROM samples')[0]!.n, 5, 'every sample is still there');
    assert.equal(rows(source, 'PRAGMA user_version')[0]!.user_version, 6);
    assert.deepEqual(extraFiles(dir, [name, 'sub', `link to ${name}`, `hard link to ${name}`]), [], 'nothing was left in the folder');
    assert.deepEqual(fs.readdirSync(sub), []);
  });
}

test('a WAL source is refused as its own destination and neither it nor its -wal file changes', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir, 'wal notes.fieldbook');
  withDb(source, (db) => {
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec("INSERT INTO samples (id, site_id, code) VALUES (99, 1, 'in the wal')");
  });
  const state = fileState(source);
  for (const destination of [source, `${source}-wal`, `${source}-shm`]) {
    await assert.rejects(exportSubset(source, destination, {}, { engine: fieldbookEngine(), overwrite: true }), (e: unknown) => isFieldbookError(e, 'SAME_FILE'), destination);
    await assert.rejects(
      exportDocument(source, destination, { engine: fieldbookEngine(), asVersion: 1, overwrite: true }),
      (e: unknown) => isFieldbookError(e, 'SAME_FILE'),
      destination,
    );
    assert.deepEqual(fileState(source), state, `after ${destination}`);
  }
});

test('a document open in this process, or declared open by the caller, is refused as a destination of another source', async () => {
  const dir = tempDir();
  const open = richHeadDocument(dir, 'Open Notebook.fieldbook');
  const declared = richHeadDocument(dir, 'open in another process.fieldbook');
  const other = richHeadDocument(dir, 'other.fieldbook');
  const handle = await openDocument(open, { engine: fieldbookEngine() });
  try {
    const before = [sha256File(open), sha256File(declared)];
    await assert.rejects(
      exportSubset(other, open, {}, { engine: fieldbookEngine(), overwrite: true }),
      (e: unknown) => isFieldbookError(e, 'SAME_FILE') && /open/.test((e as Error).message),
    );
    await assert.rejects(exportDocument(other, open, { engine: fieldbookEngine(), asVersion: 2, overwrite: true }), (e: unknown) => isFieldbookError(e, 'SAME_FILE'));
    await assert.rejects(
      exportDocument(other, path.join(dir, '.', 'open in another process.fieldbook'), { engine: fieldbookEngine(), asVersion: 2, overwrite: true, openDocuments: [declared] }),
      (e: unknown) => isFieldbookError(e, 'SAME_FILE'),
    );
    await assert.rejects(exportSubset(other, declared, {}, { engine: fieldbookEngine(), overwrite: true, openDocuments: [declared] }), (e: unknown) =>
      isFieldbookError(e, 'SAME_FILE'),
    );
    assert.deepEqual([sha256File(open), sha256File(declared)], before);
    // The open document still works, on the same file.
    handle.db.prepare("INSERT INTO samples (id, site_id, code) VALUES (77, 1, 'still open')").run();
  } finally {
    handle.close();
  }
  assert.equal(rows(open, 'SELECT code FROM samples WHERE id = 77')[0]!.code, 'still open');
  // Closed again, it is an ordinary existing file that overwrite may replace.
  const replaced = await exportSubset(other, open, { siteIds: [2] }, { engine: fieldbookEngine(), overwrite: true });
  assert.equal(replaced.destination, open);
  assert.deepEqual(
    rows(open, 'SELECT id FROM samples').map((r) => r.id),
    [12],
  );
});

test('other existing files are replaced only with overwrite; a case variant is another file on this case-sensitive file system', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir, 'notes.fieldbook');
  const before = sha256File(source);
  const existing = path.join(dir, 'existing.fieldbook');
  fs.writeFileSync(existing, 'not a notebook');
  await assert.rejects(exportSubset(source, existing, {}, { engine: fieldbookEngine() }), (e: unknown) => isFieldbookError(e, 'EXISTS'));
  assert.equal(fs.readFileSync(existing, 'utf8'), 'not a notebook');
  await exportSubset(source, existing, { siteIds: [1] }, { engine: fieldbookEngine(), overwrite: true });
  assert.deepEqual(
    rows(existing, 'SELECT id FROM samples ORDER BY id').map((r) => r.id),
    [10, 11],
  );
  assert.equal(isCaseInsensitiveAt(source), false, 'this test folder is on a case-sensitive file system');
  const variant = path.join(dir, 'NOTES.fieldbook');
  const result = runCli(['export', source, '--out', variant, '--as-version', '1', '--json']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(rows(variant, 'PRAGMA user_version')[0]!.user_version, 1);
  assert.equal(sha256File(source), before);
  // A trailing dot is a different name on Linux (Windows would drop it: see foldPath).
  const dotted = `${source}.`;
  await exportDocument(source, dotted, { engine: fieldbookEngine(), asVersion: 3 });
  assert.equal(sha256File(source), before);
  assert.equal(rows(dotted, 'PRAGMA user_version')[0]!.user_version, 3);
});

test('a temporary subset is its own file, never the source', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const before = sha256File(source);
  const subset = await createTemporarySubset(source, { siteIds: [1] }, { engine: fieldbookEngine() });
  try {
    assert.notEqual(fs.realpathSync(subset.path), fs.realpathSync(source));
    assert.equal(sha256File(source), before);
  } finally {
    subset.dispose();
  }
});
