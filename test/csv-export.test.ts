/**
 * CSV export of what the sample list shows (main/app/csv-export.ts through the IPC handlers), on
 * real notebooks: the list's own selection and order, one row per measurement and one for a
 * sample without any, RFC 4180 quoting of awkward text, formula-like text neutralised while
 * negative numbers stay numbers, the BOM and `;` options, destinations that are the notebook
 * or its companions refused, atomic writes, and a 30,000-sample notebook written in steps with
 * progress while other requests are answered.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { writeFileAtomically } from '../main/app/atomic-file';
import { CSV_EXPORT_HEADER } from '../main/app/csv-export';
import type { CsvExportOutcome, JobProgress, SamplePage } from '../main/ipc/contract';
import { csvApp, errorOf, filesIn, readCsv, value } from './helpers/csv-app';
import { documentAt, fileState, tempDir, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';

const COMMA = { bom: true, delimiter: ',' } as const;

test('exports the sample list’s selection in its order: a row per measurement, one for a sample without any; Show file shows it', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  withDb(file, (db) => db.exec("INSERT INTO samples (id, site_id, code) VALUES (15, 1, 'R-10')"));
  const app = csvApp();
  const id = await app.core.open(file, 'w1');
  const destination = path.join(dir, 'river.csv');
  app.saveAnswers.push(destination);
  const outcome = value(await app.call<CsvExportOutcome>('w1', 'exportCsv', id, { siteId: 1, sort: { column: 'code', descending: true }, limit: 1, offset: 1 }, COMMA, 'job-1'));
  assert.deepEqual(outcome, { name: 'river.csv', samples: 3, rows: 4 }, 'the whole selection: limit and offset are the list’s paging');
  assert.deepEqual(app.dialogs[0], { kind: 'save', title: 'Export Samples as CSV', defaultName: 'rich samples.csv', filters: [{ name: 'CSV files', extensions: ['csv', 'txt'] }] });
  const { bom, rows, text } = readCsv(destination);
  assert.equal(bom, true);
  assert.match(text, /\r\n/, 'CRLF between rows (RFC 4180)');
  assert.deepEqual(rows, [
    [...CSV_EXPORT_HEADER],
    ['River', 'R-10', '', '', '', '', '', '', ''],
    ['River', 'R-2', '2023-06-15', 'river water', 'Water', 'temperature', '12.5', 'C', 'thermometer'],
    ['River', 'R-1', '2023-04-01', 'fine sediment from the river bank', 'sediment', 'pH', '7.1', '', 'pH probe'],
    ['River', 'R-1', '2023-04-01', 'fine sediment from the river bank', 'sediment', 'depth', '2.5', 'm', ''],
  ]);
  value(await app.call('w1', 'showLastExport', id));
  assert.deepEqual(app.shownInFolder, [destination]);

  // A search and a tag narrow it the way the list does; a cancelled dialog writes nothing.
  app.saveAnswers.push(path.join(dir, 'sediment.csv'));
  const narrowed = value(await app.call<CsvExportOutcome>('w1', 'exportCsv', id, { tag: 'SEDIMENT', search: 'sed' }, COMMA, 'job-2'));
  assert.deepEqual(
    [
      narrowed.samples,
      readCsv(path.join(dir, 'sediment.csv'))
        .rows.slice(1)
        .map((r) => r[1]),
    ],
    [2, ['loose', 'R-1', 'R-1']],
  );
  assert.equal(value(await app.call('w1', 'exportCsv', id, {}, COMMA, 'job-3')), null);
  app.core.closeAll();
});

test('awkward text is quoted and comes back as written; formula-like text gets a leading quote, negative numbers do not; no BOM when not asked', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  const awkward = {
    description: 'line one\nline "two", with a comma; and\r\na CRLF',
    kinds: ['=SUM(A1:A9)', '+44 ratio', '-dash', '@user', 'nul\u0000inside', 'Ø 2 ‰ 🌊 ü'],
  };
  withDb(file, (db) => {
    db.prepare('UPDATE samples SET description = ? WHERE id = 10').run(awkward.description);
    db.prepare('UPDATE samples SET description = ? WHERE id = 11').run('\tindented');
    db.prepare('UPDATE samples SET description = ? WHERE id = 12').run('\rreturn');
    db.prepare('UPDATE samples SET description = ? WHERE id = 13').run("'=already quoted");
    db.exec('DELETE FROM measurements WHERE sample_id = 10');
    const add = db.prepare('INSERT INTO measurements (sample_id, kind, value, unit) VALUES (10, ?, ?, ?)');
    awkward.kinds.forEach((kind, i) => add.run(kind, [-7.5, 0.1 + 0.2, 1e-7, -0, 12, -1234.5][i], i === 0 ? 'µS/cm' : null));
  });
  const app = csvApp();
  const id = await app.core.open(file, 'w1');
  const destination = path.join(dir, 'awkward.csv');
  app.saveAnswers.push(destination);
  value(await app.call('w1', 'exportCsv', id, { siteId: 1 }, { bom: false, delimiter: ',' }, 'job-1'));
  const { bom, rows, text } = readCsv(destination);
  assert.equal(bom, false);
  const r1 = rows.filter((r) => r[1] === 'R-1');
  assert.deepEqual(
    r1.map((r) => r[3]),
    Array(6).fill(awkward.description),
    'quotes, commas, semicolons, LF and CRLF inside a cell survive',
  );
  assert.deepEqual(
    r1.map((r) => r[5]),
    ["'=SUM(A1:A9)", "'+44 ratio", "'-dash", "'@user", 'nul\u0000inside', 'Ø 2 ‰ 🌊 ü'],
  );
  assert.deepEqual(
    r1.map((r) => r[6]),
    ['-7.5', '0.30000000000000004', '1e-7', '0', '12', '-1234.5'],
    'values are numbers, written to read back exactly',
  );
  assert.match(text, /,-7\.5,µS\/cm,/, 'a negative number is written bare, not quoted or neutralised');
  assert.equal(rows.find((r) => r[1] === 'R-2')![3], "'\tindented");
  app.saveAnswers.push(path.join(dir, 'all.csv'));
  value(await app.call('w1', 'exportCsv', id, {}, COMMA, 'job-2'));
  const all = readCsv(path.join(dir, 'all.csv')).rows;
  assert.equal(all.find((r) => r[1] === 'G-1')![3], "'\rreturn");
  assert.equal(all.find((r) => r[1] === 'Q-1')![3], "''=already quoted", 'a text already starting with a quote gets one more, so reading it back is exact');
  app.core.closeAll();
});

test('with “;” values have decimal commas (European Excel)', async () => {
  const dir = tempDir();
  const app = csvApp();
  const id = await app.core.open(richHeadDocument(dir), 'w1');
  app.saveAnswers.push(path.join(dir, 'semicolon.csv'));
  value(await app.call('w1', 'exportCsv', id, { siteId: 1 }, { bom: true, delimiter: ';' }, 'job-1'));
  const { text } = readCsv(path.join(dir, 'semicolon.csv'));
  assert.equal(text.split('\r\n')[0], CSV_EXPORT_HEADER.join(';'));
  assert.match(text, /;pH;7,1;;pH probe\r\n/);
  assert.match(text, /;depth;2,5;m;\r\n/);
  app.core.closeAll();
});

test('the notebook itself, another open notebook and their -journal, -wal and -shm files are refused as destinations; nothing is written', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  const other = richHeadDocument(dir, 'other.fieldbook');
  const app = csvApp();
  const id = await app.core.open(file, 'w1');
  await app.core.open(other, 'w2');
  const before = { notebook: fileState(file), files: filesIn(dir) };
  for (const destination of [file, path.join(dir, '.', 'rich.fieldbook'), `${file}-journal`, `${file}-wal`, `${file}-shm`, other, `${other}-wal`]) {
    app.saveAnswers.push(destination);
    const refused = errorOf(await app.call('w1', 'exportCsv', id, {}, COMMA, `job-${destination}`));
    assert.equal(refused.code, 'SAME_FILE', destination);
    assert.ok(!refused.message.includes(dir), 'the message names no folder');
  }
  assert.deepEqual({ notebook: fileState(file), files: filesIn(dir) }, before);
  app.core.closeAll();
});

test('writes are atomic: a write that fails leaves the destination as it was and no temporary file', async () => {
  const dir = tempDir();
  const destination = path.join(dir, 'out.csv');
  fs.writeFileSync(destination, 'old contents\r\n');
  await assert.rejects(
    writeFileAtomically(destination, { overwrite: true }, async (sink) => {
      await sink.write('x'.repeat(200_000));
      throw new Error('the disk went away');
    }),
    /the disk went away/,
  );
  assert.deepEqual([filesIn(dir), fs.readFileSync(destination, 'utf8')], [['out.csv'], 'old contents\r\n']);
  // Without leave to replace it, a file that is there is never replaced (EXISTS), even one that appeared while writing.
  const late = path.join(dir, 'late.csv');
  await assert.rejects(
    writeFileAtomically(late, { overwrite: false }, async (sink) => {
      fs.writeFileSync(late, 'theirs');
      await sink.write('ours');
    }),
    (e: { code?: string }) => e.code === 'EXISTS',
  );
  assert.deepEqual([filesIn(dir), fs.readFileSync(late, 'utf8')], [['late.csv', 'out.csv'], 'theirs']);
  // A folder that cannot be written: READ_ONLY, nothing left behind.
  await assert.rejects(
    writeFileAtomically(path.join(dir, 'missing', 'x.csv'), { overwrite: false }, async () => undefined),
    (e: { code?: string }) => e.code === 'NOT_FOUND',
  );
});

test('30,000 samples are written in steps with progress, other requests answered meanwhile; cancelling leaves nothing', async () => {
  const dir = tempDir();
  const file = documentAt(6, dir, 'large.fieldbook');
  withDb(file, (db) =>
    db.exec(`
    INSERT INTO sites (id, name) VALUES (1, 'Site 1'), (2, 'Site 2');
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
      INSERT INTO samples (id, site_id, code, collected_on, description) SELECT i, 1 + i % 2, 'S-' || i, '2023-05-01', 'sample ' || i FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
      INSERT INTO measurements (sample_id, kind, value, unit) SELECT 1 + (i - 1) / 2, CASE i % 2 WHEN 0 THEN 'pH' ELSE 'depth' END, i / 8.0, 'm' FROM n;`),
  );
  const app = csvApp();
  const id = await app.core.open(file, 'w1');
  const destination = path.join(dir, 'large.csv');
  app.saveAnswers.push(destination);
  const progress = () => app.sent.filter((s) => s.event === 'job-progress').map((s) => s.payload as JobProgress);
  let answeredDuringExport = false;
  let exporting = true;
  const exported = app.call<CsvExportOutcome>('w1', 'exportCsv', id, {}, COMMA, 'big').finally(() => {
    exporting = false;
  });
  while (exporting && progress().length === 0) await new Promise((resolve) => setImmediate(resolve));
  const page = await app.call<SamplePage>('w1', 'listSamples', id, { limit: 5 });
  answeredDuringExport = exporting;
  assert.equal(value(page).total, 30000);
  assert.deepEqual(value(await exported), { name: 'large.csv', samples: 30000, rows: 60000 });
  assert.ok(answeredDuringExport, 'the sample list was answered while the export ran');
  const steps = progress();
  assert.ok(steps.length >= 30000 / 500, `a progress report per step (${steps.length})`);
  assert.ok(steps.every((p, i) => p.jobId === 'big' && p.phase === 'writing' && p.total === 30000 && (i === 0 || p.copied > steps[i - 1]!.copied)));
  const { rows } = readCsv(destination);
  assert.equal(rows.length, 60001);
  assert.deepEqual(rows[1], ['Site 2', 'S-1', '2023-05-01', 'sample 1', '', 'depth', '0.125', 'm', '']);

  // Cancelled after its first step: ABORTED, and neither the file nor a temporary one is there.
  const cancelled = path.join(dir, 'cancelled.csv');
  app.saveAnswers.push(cancelled);
  const before = app.sent.length;
  const running = app.call('w1', 'exportCsv', id, {}, COMMA, 'cancel-me');
  while (!app.sent.slice(before).some((s) => s.event === 'job-progress')) await new Promise((resolve) => setImmediate(resolve));
  value(await app.call('w1', 'cancelJob', 'cancel-me'));
  assert.equal(errorOf(await running).code, 'ABORTED');
  assert.deepEqual(filesIn(dir), ['large.csv', 'large.fieldbook']);
  app.core.closeAll();
});
