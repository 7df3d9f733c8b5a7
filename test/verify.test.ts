/**
 * Issue 10, item 1 (CLI part): `fieldbook verify PATH... [--full]` checks many documents, changes
 * none, and exits 3 when any is damaged or cannot be checked. quick_check finds broken pages;
 * --full (integrity_check) also finds an index that disagrees with its table, which quick_check
 * does not read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import Database from 'better-sqlite3';
import { upgradeDocument, verifyDocuments } from '@fieldbook/engine';
import { documentAt, runCli, sha256File, tempDir, testEngine, withDb } from './helpers/fixtures';
import { writeLargeVersion1Document } from './helpers/large-document';

/** Overwrites 200 bytes in the middle of a leaf page of `table` (its cells), as a bad sector would. */
function breakPageOf(file: string, table: string): void {
  const db = new Database(file, { readonly: true });
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  assert.ok(pages.length > 2, `${table} spans several leaf pages`);
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(200, 0xff), 0, 200, (pages[Math.floor(pages.length / 2)]! - 1) * pageSize + 8);
  fs.closeSync(fd);
}

/**
 * Changes one sample code inside the index on samples(site_id, code) only, keeping the page well formed:
 * the index now lists a code no row has (integrity_check: "row missing from index").
 */
function breakIndexEntry(file: string): void {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = 'samples_site_code_uq' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
  db.close();
  const fd = fs.openSync(file, 'r+');
  try {
    const page = Buffer.alloc(pageSize);
    for (const pageno of pages) {
      fs.readSync(fd, page, 0, pageSize, (pageno - 1) * pageSize);
      // The cell: code 'S-123' followed by its rowid, 123 (a one-byte integer); elsewhere on the
      // page the text may also sit in freed space.
      const at = page.indexOf(Buffer.concat([Buffer.from('S-123'), Buffer.from([123])]));
      if (at < 0) continue;
      page.write('S-999', at);
      fs.writeSync(fd, page, 0, pageSize, (pageno - 1) * pageSize);
      return;
    }
    assert.fail('no leaf page of the index holds the entry of S-123');
  } finally {
    fs.closeSync(fd);
  }
}

async function notebooks(): Promise<{ dir: string; good: string; outdated: string; broken: string; badIndex: string; foreign: string; text: string }> {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'sub'));
  const good = documentAt(6, dir, 'good.fieldbook');
  const outdated = documentAt(3, path.join(dir, 'sub'), 'outdated.fieldbook');
  const broken = path.join(dir, 'broken.fieldbook');
  writeLargeVersion1Document(broken, { samples: 400, measurementsPerSample: 5 });
  breakPageOf(broken, 'measurements');
  const badIndex = path.join(dir, 'sub', 'bad index.fieldbook');
  writeLargeVersion1Document(badIndex, { samples: 400, measurementsPerSample: 1 });
  await upgradeDocument(badIndex, { engine: testEngine(), backup: false });
  const foreign = path.join(dir, 'other app.fieldbook');
  withDb(foreign, (db) => db.exec('PRAGMA application_id = 42; CREATE TABLE t (x)'));
  const text = path.join(dir, 'notes.txt');
  fs.writeFileSync(text, 'not a notebook');
  return { dir, good, outdated, broken, badIndex, foreign, text };
}

test('verifyDocuments: a verdict per file from folders (recursive), the damaged found, nothing written', async () => {
  const n = await notebooks();
  const codes = withDb(n.badIndex, (db) => db.prepare('SELECT code FROM samples ORDER BY id LIMIT 2').pluck().all());
  assert.deepEqual(codes, ['S-1', 'S-2'], 'the generated codes (S-1 .. S-400) this test edits in the index');
  breakIndexEntry(n.badIndex);
  const files = [n.good, n.outdated, n.broken, n.badIndex, n.foreign, n.text];
  const before = files.map(sha256File);
  const engine = testEngine();

  const quick = await verifyDocuments([n.dir], { engine, recursive: true });
  const verdicts = Object.fromEntries(quick.files.map((f) => [path.relative(n.dir, f.path), f.verdict]));
  assert.deepEqual(verdicts, {
    'good.fieldbook': 'ok',
    'broken.fieldbook': 'damaged',
    'other app.fieldbook': 'not-a-document',
    'sub/outdated.fieldbook': 'ok',
    'sub/bad index.fieldbook': 'ok',
  });
  assert.equal(quick.files.find((f) => f.path === n.broken)!.problem?.code, 'DAMAGED');
  assert.deepEqual(quick.totals, { ok: 3, damaged: 1, notDocuments: 1, failed: 0 });
  assert.equal(quick.ok, false);

  const full = await verifyDocuments([n.badIndex, n.good, path.join(n.dir, 'missing.fieldbook'), n.text], { engine, full: true });
  assert.deepEqual(
    full.files.map((f) => f.verdict),
    ['damaged', 'ok', 'failed', 'damaged'],
  );
  assert.match(full.files[0]!.problem!.message, /index/);
  assert.deepEqual([full.files[2]!.problem?.code, full.files[3]!.problem?.code], ['NOT_FOUND', 'NOT_SQLITE']);
  assert.deepEqual(files.map(sha256File), before, 'verify writes nothing');
  for (const f of files) assert.ok(!fs.existsSync(`${f}-journal`) && !fs.existsSync(`${f}-wal`));

  const healthy = await verifyDocuments([n.good, n.outdated], { engine });
  assert.equal(healthy.ok, true);
  const aborted = new AbortController();
  aborted.abort();
  const stopped = await verifyDocuments([n.good, n.outdated], { engine, signal: aborted.signal });
  assert.equal(stopped.interrupted, true);
  assert.ok(stopped.files.length < 2);
});

test('fieldbook verify: one line per problem and a total; exit 3 when anything is damaged or unreadable, 0 when all is well; --json', async () => {
  const n = await notebooks();
  const bad = runCli(['verify', n.dir, '--recursive']);
  assert.equal(bad.status, 3, bad.stderr);
  assert.match(bad.stdout, /^damaged: .*broken\.fieldbook: DAMAGED: /m);
  assert.match(bad.stdout, /^3 ok, 1 damaged, 0 could not be checked, 1 not documents of this app$/m);
  assert.equal(bad.stderr, '');

  const good = runCli(['verify', n.good, n.outdated, '--full']);
  assert.equal(good.status, 0, good.stderr);
  assert.equal(good.stdout.trim(), '2 ok, 0 damaged, 0 could not be checked');

  const json = runCli(['verify', n.good, path.join(n.dir, 'gone.fieldbook'), '--json']);
  assert.equal(json.status, 3);
  const report = json.json as { ok: boolean; files: { verdict: string; problem: { code: string } | null }[] };
  assert.equal(report.ok, false);
  assert.deepEqual(
    report.files.map((f) => [f.verdict, f.problem?.code ?? null]),
    [
      ['ok', null],
      ['failed', 'NOT_FOUND'],
    ],
  );

  const usage = runCli(['verify']);
  assert.equal(usage.status, 2);
});
