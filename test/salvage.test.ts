/**
 * Issue 10, item 2: salvageDocument / `fieldbook salvage SRC --out DEST` reads what can be read
 * of a damaged notebook into a new document at head, reports per table what was recovered and
 * which rowid ranges were lost, and never writes the source. Damage is real bytes on disk:
 * overwritten pages, a truncated file, a zeroed header.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import Database from 'better-sqlite3';
import { classifyDocument, isFieldbookError, salvageDocument } from '@fieldbook/engine';
import { runCli, sha256File, tempDir, testEngine } from './helpers/fixtures';
import { writeLargeVersion1Document } from './helpers/large-document';

function leafPages(file: string, table: string): { pages: number[]; pageSize: number } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      pages: db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[],
      pageSize: db.pragma('page_size', { simple: true }) as number,
    };
  } finally {
    db.close();
  }
}

function overwrite(file: string, offset: number, bytes: Buffer): void {
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, offset);
  fs.closeSync(fd);
}

/** The rows of `table` by rowid, as JSON, from a healthy file. */
function rowsOf(file: string, table: string, columns: string): Map<number, string> {
  const db = new Database(file, { readonly: true });
  try {
    return new Map((db.prepare(`SELECT rowid AS r, ${columns} FROM ${table}`).all() as { r: number }[]).map((row) => [row.r, JSON.stringify({ ...row, r: undefined })]));
  } finally {
    db.close();
  }
}

function damagedCopy(original: string, name: string, damage: (file: string) => void): string {
  const file = path.join(path.dirname(original), name);
  fs.copyFileSync(original, file);
  damage(file);
  return file;
}

test('two broken pages: every other row comes back unchanged, the lost rowids are named, the result is a healthy document at head; the source is not written', async () => {
  const dir = tempDir();
  const original = path.join(dir, 'original.fieldbook');
  writeLargeVersion1Document(original, { samples: 2000, measurementsPerSample: 5 });
  const { pages, pageSize } = leafPages(original, 'measurements');
  const broken = damagedCopy(original, 'broken.fieldbook', (f) => {
    for (const p of [pages[5]!, pages[Math.floor(pages.length / 2)]!]) overwrite(f, (p - 1) * pageSize + 8, Buffer.alloc(300, 0xff));
  });
  assert.equal(classifyDocument(broken, { engine: testEngine(), check: 'quick' }).status, 'damaged');
  const before = sha256File(broken);
  const out = path.join(dir, 'salvaged.fieldbook');
  const result = await salvageDocument(broken, out, { engine: testEngine() });
  assert.equal(sha256File(broken), before, 'the source is never written');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['broken.fieldbook', 'original.fieldbook', 'salvaged.fieldbook'], 'nothing else left behind');
  assert.deepEqual([result.sourceVersion, result.version], [1, 6]);
  const checked = classifyDocument(out, { engine: testEngine(), check: 'full' });
  assert.deepEqual([checked.status, checked.problem], ['current', null]);

  const measurements = result.tables.find((t) => t.name === 'measurements')!;
  assert.equal(measurements.lost.length, 2, JSON.stringify(measurements.lost));
  const truth = rowsOf(original, 'measurements', 'sample_id, kind');
  const got = rowsOf(out, 'measurements', 'sample_id, kind');
  const inLost = (r: number) => measurements.lost.some(([a, b]) => r >= a && r <= b);
  for (const [rowid, row] of got) assert.equal(row, truth.get(rowid), `measurement ${rowid} is the source's`);
  for (const rowid of truth.keys()) assert.ok(got.has(rowid) || inLost(rowid), `measurement ${rowid} is recovered or inside a lost range`);
  assert.equal(measurements.recovered, got.size);
  assert.ok(got.size > truth.size * 0.95, `most rows come back (${got.size} of ${truth.size})`);
  assert.equal(result.tables.find((t) => t.name === 'samples')!.recovered, 2000);
});

test('a truncated file: the rows on the pages that remain come back; a zeroed header is repaired in the private copy', async () => {
  const dir = tempDir();
  const original = path.join(dir, 'original.fieldbook');
  writeLargeVersion1Document(original, { samples: 1000, measurementsPerSample: 5 });
  const size = fs.statSync(original).size;
  const truncated = damagedCopy(original, 'truncated.fieldbook', (f) => fs.truncateSync(f, Math.floor(size * 0.7)));
  const t = await salvageDocument(truncated, path.join(dir, 'from-truncated.fieldbook'), { engine: testEngine() });
  const recoveredMeasurements = t.tables.find((x) => x.name === 'measurements')!.recovered;
  assert.ok(recoveredMeasurements > 0 && recoveredMeasurements < 5000, `some measurements (${recoveredMeasurements})`);
  assert.equal(classifyDocument(path.join(dir, 'from-truncated.fieldbook'), { engine: testEngine(), check: 'quick' }).status, 'current');

  const zeroed = damagedCopy(original, 'zeroed.fieldbook', (f) => overwrite(f, 0, Buffer.alloc(24)));
  assert.equal(classifyDocument(zeroed, { engine: testEngine() }).problem?.code, 'NOT_SQLITE');
  const z = await salvageDocument(zeroed, path.join(dir, 'from-zeroed.fieldbook'), { engine: testEngine() });
  assert.deepEqual(z.repairedHeader, ['magic string', 'page size', 'write version', 'read version', 'payload fractions']);
  assert.deepEqual(t.repairedHeader, [], 'SQLite reads the missing pages as zeros: nothing to repair');
  assert.equal(z.recovered, 1000 * 5 + 1000 + (new Database(original, { readonly: true }).prepare('SELECT count(*) FROM sites').pluck().get() as number));
});

test('salvage refuses what it must: the source as destination, an existing file, a file with nothing readable', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'notes.fieldbook');
  writeLargeVersion1Document(file, { samples: 50, measurementsPerSample: 1 });
  await assert.rejects(salvageDocument(file, file, { engine: testEngine() }), (e: unknown) => isFieldbookError(e, 'SAME_FILE'));
  const existing = path.join(dir, 'existing.fieldbook');
  fs.writeFileSync(existing, 'keep me');
  await assert.rejects(salvageDocument(file, existing, { engine: testEngine() }), (e: unknown) => isFieldbookError(e, 'EXISTS'));
  assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');
  const noise = path.join(dir, 'noise.fieldbook');
  fs.writeFileSync(noise, Buffer.alloc(8192, 0x5a));
  await assert.rejects(salvageDocument(noise, path.join(dir, 'out.fieldbook'), { engine: testEngine() }), (e: unknown) => isFieldbookError(e, 'NOT_SQLITE'));
  assert.ok(!fs.existsSync(path.join(dir, 'out.fieldbook')));
});

test('fieldbook salvage: a report per table, --json, exit 0; a usage error without --out', () => {
  const dir = tempDir();
  const file = path.join(dir, 'notes.fieldbook');
  writeLargeVersion1Document(file, { samples: 300, measurementsPerSample: 4 });
  const { pages, pageSize } = leafPages(file, 'measurements');
  overwrite(file, (pages[1]! - 1) * pageSize + 8, Buffer.alloc(300, 0xff));
  const run = runCli(['salvage', file, '--out', path.join(dir, 'out.fieldbook')]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /out\.fieldbook: \d+ rows recovered from .*notes\.fieldbook \(read as version 1, now at 6\)/);
  assert.match(run.stdout, /^ {2}measurements: \d+ rows, rows lost in rowids \d+-\d+$/m);
  const json = runCli(['salvage', file, '--out', path.join(dir, 'out2.fieldbook'), '--json']);
  assert.equal(json.status, 0, json.stderr);
  assert.equal((json.json as { version: number }).version, 6);
  assert.equal(runCli(['salvage', file]).status, 2);
});

test('rows whose parent row was lost are kept: a nullable link is cleared, a required one gets a placeholder parent; the report counts both', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'notes.fieldbook');
  writeLargeVersion1Document(file, { samples: 1000, measurementsPerSample: 3 });
  const sites = leafPages(file, 'sites');
  const samples = leafPages(file, 'samples');
  // Every site is lost (one page), and one page of samples.
  for (const p of [...sites.pages, samples.pages[1]!]) overwrite(file, (p - 1) * sites.pageSize, Buffer.alloc(sites.pageSize, 0x33));
  const out = path.join(dir, 'salvaged.fieldbook');
  const result = await salvageDocument(file, out, { engine: testEngine() });
  const table = (name: string) => result.tables.find((t) => t.name === name)!;
  assert.equal(table('sites').recovered, 0);
  const lostSamples = table('samples').lost.reduce((n, [a, b]) => n + b - a + 1, 0);
  assert.ok(lostSamples > 0);
  assert.equal(table('samples').unlinked, 1000 - lostSamples, 'every sample kept, without its lost site');
  assert.equal(table('samples').placeholders, lostSamples, 'a placeholder for each lost sample its measurements refer to');
  assert.equal(table('measurements').recovered, 3000, 'no measurement is left out');
  assert.equal(table('measurements').orphans, 0);
  const db = new Database(out, { readonly: true });
  try {
    assert.equal(db.prepare("SELECT count(*) FROM samples WHERE code = '(salvaged)'").pluck().get(), lostSamples);
    assert.equal(db.prepare('SELECT count(*) FROM samples WHERE site_id IS NOT NULL').pluck().get(), 0);
    assert.deepEqual(db.prepare('PRAGMA foreign_key_check').all(), []);
  } finally {
    db.close();
  }
  assert.equal(classifyDocument(out, { engine: testEngine(), check: 'full' }).status, 'current');
});

test('salvage never replaces a document the app has open, even with overwrite', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'notes.fieldbook');
  writeLargeVersion1Document(file, { samples: 50, measurementsPerSample: 1 });
  const open = path.join(dir, 'open elsewhere.fieldbook');
  writeLargeVersion1Document(open, { samples: 10, measurementsPerSample: 1 });
  const before = sha256File(open);
  await assert.rejects(salvageDocument(file, open, { engine: testEngine(), overwrite: true, openDocuments: [open] }), (e: unknown) => isFieldbookError(e, 'SAME_FILE'));
  assert.equal(sha256File(open), before);
});
