/**
 * Adversarial cases of items 1 and 11 of issue 8 that the first round's tests did not reach:
 * the journal and WAL files of a document open in this process are destinations like the
 * document itself (SAME_FILE); names near the file system's limit still export (temporary
 * names are cut to fit); paths that cannot name a file, and a full OS temp folder, are typed
 * one-line errors (NOT_FOUND, NO_SPACE naming the temp folder), never stack traces or DAMAGED.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { createDocument, isFieldbookError, exportDocument, upgradeDocument, openDocument, exportSubset } from '@fieldbook/engine';
import { documentAt, fileState, rows, runCli, sha256File, tempDir, withDb } from './helpers/fixtures';
import { fullDisk } from './helpers/file-system-traps';
import { richHeadDocument } from './helpers/rich-document';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

for (const mode of ['delete', 'wal'] as const) {
  test(`the -journal, -wal and -shm files of a document open in this process (${mode} mode) are refused as destinations`, async () => {
    const dir = tempDir();
    const source = richHeadDocument(dir, "it's the source.fieldbook");
    const openName = 'Open "Notebook" SELECT.fieldbook';
    const opened = richHeadDocument(dir, openName);
    withDb(opened, (db) => db.pragma(`journal_mode = ${mode}`));
    const doc = await openDocument(opened, { engine: fieldbookEngine() });
    try {
      for (const suffix of ['-journal', '-wal', '-shm']) {
        for (const spelling of [opened + suffix, `${dir}/./${openName}${suffix}`, `${dir}//sub/../${openName}${suffix}`]) {
          if (spelling.includes('/sub/')) fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
          const refused = (e: unknown) => isFieldbookError(e, 'SAME_FILE') && /open/.test((e as Error).message);
          await assert.rejects(exportSubset(source, spelling, {}, { engine: fieldbookEngine(), overwrite: true }), refused, `subset onto ${spelling}`);
          await assert.rejects(exportDocument(source, spelling, { engine: fieldbookEngine(), asVersion: 1, overwrite: true }), refused, `export onto ${spelling}`);
          if (!fs.existsSync(spelling)) assert.throws(() => createDocument(spelling, { engine: fieldbookEngine() }), refused, `new onto ${spelling}`);
        }
      }
      // The open document still works and nothing was written beside it.
      doc.db.prepare("INSERT INTO samples (id, site_id, code) VALUES (500, 1, 'after')").run();
      assert.equal((doc.db.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n, 6);
    } finally {
      doc.close();
    }
    assert.equal(rows(opened, 'SELECT count(*) AS n FROM samples')[0]!.n, 6);
    assert.deepEqual(
      fs.readdirSync(dir).filter((e) => !e.endsWith('.fieldbook') && e !== 'sub'),
      [],
      'no file was left beside the documents',
    );
  });
}

test('destination names near the 255-byte limit (multi-byte letters) export, subset, create and back up: temporary names are cut to fit', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const name = (first: string) => `${first}${'ü'.repeat(117)}ß.fieldbook`;
  assert.ok(Buffer.byteLength(name('a')) >= 246 && Buffer.byteLength(name('a')) <= 247);
  const subset = await exportSubset(source, path.join(dir, name('s')), { siteIds: [1] }, { engine: fieldbookEngine() });
  assert.equal(rows(subset.destination, 'SELECT count(*) AS n FROM samples')[0]!.n, 2);
  const exported = await exportDocument(source, path.join(dir, name('e')), { engine: fieldbookEngine(), asVersion: 1 });
  assert.equal(rows(exported.destination, 'PRAGMA user_version')[0]!.user_version, 1);
  assert.equal(createDocument(path.join(dir, name('n')), { engine: fieldbookEngine() }).version, 6);
  const outdated = path.join(dir, name('o'));
  fs.copyFileSync(documentAt(2), outdated);
  const backups = path.join(dir, 'backups');
  const upgraded = await upgradeDocument(outdated, { engine: fieldbookEngine(), backup: backups });
  assert.equal(upgraded.to, 6);
  assert.ok(upgraded.backup && fs.existsSync(upgraded.backup), 'the backup was written');
  assert.equal(rows(upgraded.backup, 'PRAGMA user_version')[0]!.user_version, 2);
  for (const entry of fs.readdirSync(dir)) assert.ok(Buffer.byteLength(entry) <= 255);
  assert.deepEqual(
    fs.readdirSync(dir).filter((e) => e.includes('.partial')),
    [],
  );
});

test('paths that cannot name a file are NOT_FOUND on one line: under a file, with a NUL, too long', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const before = sha256File(source);
  const bad = [path.join(source, 'inside.fieldbook'), path.join(dir, 'a\0b.fieldbook'), path.join(dir, 'x'.repeat(300))];
  for (const destination of bad) {
    const notFound = (e: unknown) => isFieldbookError(e, 'NOT_FOUND');
    await assert.rejects(exportSubset(source, destination, {}, { engine: fieldbookEngine() }), notFound, JSON.stringify(destination));
    await assert.rejects(exportDocument(source, destination, { engine: fieldbookEngine(), asVersion: 1, overwrite: true }), notFound, JSON.stringify(destination));
    assert.throws(() => createDocument(destination, { engine: fieldbookEngine() }), notFound, JSON.stringify(destination));
  }
  for (const destination of [bad[0]!, bad[2]!]) {
    for (const args of [
      ['subset', source, '--out', destination, '--all'],
      ['export', source, '--out', destination, '--as-version', '1'],
      ['new', destination],
    ]) {
      const result = runCli(args);
      assert.equal(result.status, 3, `${args[0]}: ${result.stderr}`);
      assert.match(result.stderr, /^error: NOT_FOUND: [^\n]*\n$/, `${args[0]}: one line: ${result.stderr}`);
    }
  }
  assert.equal(sha256File(source), before);
  assert.deepEqual(fs.readdirSync(dir), ['rich.fieldbook']);
});

test('an overwritten destination that is a symlink to another file replaces the link; the file it pointed to is left as it was', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const elsewhere = path.join(tempDir(), 'precious.txt');
  fs.writeFileSync(elsewhere, 'keep me');
  const link = path.join(dir, 'link.fieldbook');
  fs.symlinkSync(elsewhere, link);
  await assert.rejects(exportSubset(source, link, {}, { engine: fieldbookEngine() }), (e: unknown) => isFieldbookError(e, 'EXISTS'));
  await exportSubset(source, link, {}, { engine: fieldbookEngine(), overwrite: true });
  assert.equal(fs.lstatSync(link).isSymbolicLink(), false);
  assert.equal(rows(link, 'SELECT count(*) AS n FROM samples')[0]!.n, 5);
  assert.equal(fs.readFileSync(elsewhere, 'utf8'), 'keep me');
});

test('a full OS temp folder (TMPDIR) is NO_SPACE naming that folder for every write that needs a private copy, never DAMAGED or a stack trace', () => {
  const dir = tempDir();
  const outdated = documentAt(2, dir, 'old notes.fieldbook');
  withDb(outdated, (db) => {
    db.exec("INSERT INTO sites (id, name) VALUES (1, 's')");
    const insert = db.prepare('INSERT INTO samples (id, site_id, code, notes) VALUES (?, 1, ?, hex(randomblob(500)))');
    for (let i = 1; i <= 400; i++) insert.run(i, `c${i}`);
  });
  const wal = richHeadDocument(dir, 'wal notes.fieldbook');
  withDb(wal, (db) => db.pragma('journal_mode = WAL'));
  const head = richHeadDocument(dir, 'head notes.fieldbook');
  const states = [outdated, wal, head].map(fileState);
  const trap = fullDisk(512, 8);
  try {
    const env = { TMPDIR: trap.dir };
    const temp = path.join(trap.dir, 'fieldbook-temp');
    const cases = [
      ['export', outdated, '--out', path.join(dir, 'e1.fieldbook'), '--as-version', 'head'],
      ['subset', outdated, '--out', path.join(dir, 'e2.fieldbook'), '--all'],
      ['subset', wal, '--out', path.join(dir, 'e3.fieldbook'), '--all'],
      ['export', wal, '--out', path.join(dir, 'e4.fieldbook'), '--as-version', '1'],
      ['downgrade', head, '--to', '1', '--yes', '--no-backup'],
    ];
    for (const args of cases) {
      const result = runCli(args, { env });
      const what = args.slice(0, 2).join(' ');
      assert.equal(result.status, 3, `${what}: ${result.stderr}`);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${what}: one line: ${result.stderr}`);
      assert.match(lines[0]!, /^error: NO_SPACE: /, what);
      assert.ok(lines[0]!.includes(temp), `${what} names the temp folder: ${lines[0]}`);
      assert.doesNotMatch(lines[0]!, /-\d+-[0-9a-f]{12}\.fieldbook/, `${what}: no temporary names`);
    }
    assert.deepEqual(fs.readdirSync(temp), [], 'nothing left in the temp folder');
  } finally {
    trap.release();
  }
  assert.deepEqual([outdated, wal, head].map(fileState), states, 'the documents are as they were');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['head notes.fieldbook', 'old notes.fieldbook', 'wal notes.fieldbook']);
});

test('a failure of the private upgraded copy of an outdated source names the source, never the temporary copy', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir, 'mis "stamped".fieldbook');
  assert.equal(runCli(['stamp', source, '4']).status, 0);
  const before = sha256File(source);
  for (const write of [
    () => exportSubset(source, path.join(dir, 'x.fieldbook'), {}, { engine: fieldbookEngine() }),
    () => exportDocument(source, path.join(dir, 'y.fieldbook'), { engine: fieldbookEngine(), asVersion: 1 }),
  ]) {
    await assert.rejects(write(), (e: unknown) => {
      assert.ok(isFieldbookError(e, 'UNKNOWN_SCHEMA'), String(e));
      assert.ok((e as Error).message.startsWith(`${source}: `), (e as Error).message);
      assert.doesNotMatch((e as Error).message, /fieldbook-temp|-\d+-[0-9a-f]{12}\.fieldbook/);
      return true;
    });
  }
  assert.equal(sha256File(source), before);
  assert.deepEqual(fs.readdirSync(dir), ['mis "stamped".fieldbook']);
});
