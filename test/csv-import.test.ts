/**
 * Importing measurements from CSV (main/app/csv-import.ts through the IPC handlers) on real
 * notebooks: an exported file imported into a copy gives the same measurements (awkward text
 * included); `;` files with decimal commas and a BOM; Windows-1252 confirmed; per-row errors;
 * all or nothing (rows with errors, a refused row mid-import); one undo step; read-only
 * notebooks refused; a file changed after its preview refused; large files.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { openDocument } from '@fieldbook/engine';
import { commitImport, CsvImports } from '../main/app/csv-import';
import { parseCsvText } from '../main/app/csv-read';
import { DocumentSession } from '../main/app/document-session';
import type { CsvExportOutcome, CsvImportFile, CsvImportOutcome, CsvImportPreview, CsvImportSettings, UndoState } from '../main/ipc/contract';
import { csvApp, errorOf, value, type CsvApp } from './helpers/csv-app';
import { documentAt, rows, tempDir, testEngine, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';

const MEASUREMENTS =
  'SELECT m.sample_id, m.kind, m.value, m.unit, i.name AS instrument FROM measurements m LEFT JOIN instruments i ON i.id = m.instrument_id ORDER BY m.sample_id, m.kind, m.value';

function settingsFor(file: CsvImportFile, extra: Partial<CsvImportSettings> = {}): CsvImportSettings {
  return { mapping: file.mapping, hasHeader: file.hasHeader, decimalComma: file.decimalComma, skipErrors: false, acceptEncoding: false, ...extra };
}

async function choose(app: CsvApp, id: string, csv: string): Promise<CsvImportFile> {
  app.openAnswers.push([csv]);
  return value(await app.call<CsvImportFile>('w1', 'chooseCsvImport', id));
}

function write(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

test('an exported file imported into a copy without measurements gives the same measurements, awkward text included', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  withDb(file, (db) => {
    const add = db.prepare('INSERT INTO measurements (sample_id, kind, value, unit, instrument_id) VALUES (?, ?, ?, ?, ?)');
    const kinds = ['say "cheese", please', 'two\nlines\r\nand CRLF', 'nul\u0000inside', 'Ø 2 ‰ 🌊 ü', '=SUM(A1:A9)', '+44', '-dash', '@user', "'=quoted", 'a;b\tc'];
    kinds.forEach((kind, i) => add.run(11, kind, [-7.5, 0.1 + 0.2, 1e-7, 123456789.123, -0.000001, null, 42, -1, 5e300, 2 ** -1074][i], i % 2 ? 'µS/cm' : '"m"', i % 3 ? 1 : null));
    db.exec("INSERT INTO samples (id, site_id, code) VALUES (15, 2, 'no measurements')");
  });
  const copy = path.join(dir, 'copy.fieldbook');
  fs.copyFileSync(file, copy);
  withDb(copy, (db) => db.exec('DELETE FROM measurements; DELETE FROM instruments'));
  const app = csvApp();
  for (const delimiter of [',', ';'] as const) {
    const source = await app.core.open(file, 'w0');
    const csv = path.join(dir, `export${delimiter === ',' ? 'comma' : 'semicolon'}.csv`);
    app.saveAnswers.push(csv);
    value(await app.call<CsvExportOutcome>('w0', 'exportCsv', source, {}, { bom: true, delimiter }, 'job'));
    app.core.closeWindow('w0');
    withDb(copy, (db) => db.exec('DELETE FROM measurements; DELETE FROM instruments'));
    const id = await app.core.open(copy, 'w1');
    const chosen = await choose(app, id, csv);
    assert.deepEqual([chosen.encoding, chosen.delimiter, chosen.hasHeader, chosen.decimalComma], ['utf-8-bom', delimiter, true, delimiter === ';']);
    assert.deepEqual(chosen.mapping, { site: 0, code: 1, quantity: 5, value: 6, unit: 7, instrument: 8 }, 'an exported file maps itself');
    const preview = value(await app.call<CsvImportPreview>('w1', 'previewCsvImport', id, chosen.importId, settingsFor(chosen)));
    assert.deepEqual([preview.total, preview.valid, preview.errors], [17, 16, 0]);
    assert.deepEqual(
      preview.problems.map((p) => [p.kind, p.count]),
      [['no-measurement', 1]],
      'the row of a sample without measurements is no error',
    );
    const outcome = value(await app.call<CsvImportOutcome>('w1', 'importCsv', id, chosen.importId, settingsFor(chosen)));
    assert.deepEqual([outcome.imported, outcome.skipped, outcome.undoLabel], [16, 1, `Import 16 measurements from ${path.basename(csv)}`]);
    app.core.closeWindow('w1');
    assert.deepEqual(rows(copy, MEASUREMENTS), rows(file, MEASUREMENTS), `round trip with “${delimiter}”`);
  }
});

test('a “;” file with decimal commas and a BOM, as European Excel writes it; codes are found per site', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  withDb(file, (db) => db.exec("INSERT INTO samples (id, site_id, code) VALUES (15, 2, 'R-1')"));
  const csv = write(dir, 'feld.csv', '\ufeffStandort;Probe;Größe;Wert;Einheit\r\nRiver;R-1;Leitfähigkeit;1,25;mS\r\nRidge;R-1;pH;-7,5;\r\nridge ;R-1;Tiefe;1e3;m\r\n');
  const app = csvApp();
  const id = await app.core.open(file, 'w1');
  const chosen = await choose(app, id, csv);
  assert.deepEqual([chosen.encoding, chosen.delimiter, chosen.hasHeader, chosen.decimalComma, chosen.rows], ['utf-8-bom', ';', true, true, 4]);
  assert.deepEqual(
    chosen.columns.map((c) => c.first),
    ['Standort', 'Probe', 'Größe', 'Wert', 'Einheit'],
  );
  assert.deepEqual(chosen.columns[3]!.examples, ['1,25', '-7,5', '1e3']);
  const settings = settingsFor(chosen, { mapping: { site: 0, code: 1, quantity: 2, value: 3, unit: 4 } });
  const preview = value(await app.call<CsvImportPreview>('w1', 'previewCsvImport', id, chosen.importId, settings));
  assert.deepEqual(
    preview.rows.map((r) => [r.row, r.site, r.code, r.quantity, r.value, r.unit, r.problem]),
    [
      [2, 'River', 'R-1', 'Leitfähigkeit', 1.25, 'mS', null],
      [3, 'Ridge', 'R-1', 'pH', -7.5, null, null],
      [4, 'Ridge', 'R-1', 'Tiefe', 1000, 'm', null],
    ],
  );
  value(await app.call('w1', 'importCsv', id, chosen.importId, settings));
  assert.deepEqual(rows(file, 'SELECT sample_id, kind, value FROM measurements WHERE id > 105 ORDER BY id'), [
    { sample_id: 10, kind: 'Leitfähigkeit', value: 1.25 },
    { sample_id: 15, kind: 'pH', value: -7.5 },
    { sample_id: 15, kind: 'Tiefe', value: 1000 },
  ]);
  app.core.closeAll();
});

test('a file that is not UTF-8 is read as Windows-1252 and imported only once confirmed; workbooks, binaries and files over 50 MB are refused', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  const latin = write(dir, 'latin.csv', Buffer.concat([Buffer.from('code,quantity,value\r\nR-1,temp'), Buffer.from([0xe9]), Buffer.from('rature,12\r\n')]));
  const app = csvApp();
  const id = await app.core.open(file, 'w1');
  const chosen = await choose(app, id, latin);
  assert.equal(chosen.encoding, 'windows-1252');
  assert.match(chosen.encodingWarning ?? '', /not UTF-8.*Windows-1252/);
  const preview = value(await app.call<CsvImportPreview>('w1', 'previewCsvImport', id, chosen.importId, settingsFor(chosen)));
  assert.equal(preview.rows[0]!.quantity, 'température');
  const unconfirmed = errorOf(await app.call('w1', 'importCsv', id, chosen.importId, settingsFor(chosen)));
  assert.deepEqual([unconfirmed.code, /confirm/.test(unconfirmed.message)], ['BAD_IMPORT', true]);
  value(await app.call('w1', 'importCsv', id, chosen.importId, settingsFor(chosen, { acceptEncoding: true })));
  assert.deepEqual(rows(file, "SELECT kind FROM measurements WHERE kind LIKE 'temp%' AND sample_id = 10"), [{ kind: 'température' }]);

  const refusals: [string, Buffer | string, RegExp][] = [
    ['book.csv', Buffer.from('504b0304140000000800', 'hex'), /workbook.*CSV UTF-8/],
    ['photo.csv', Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), /not a text file/],
    ['open.csv', 'code,quantity\r\nR-1,"pH\r\nR-2,depth\r\n', /quoted cell that is never closed \(in row 2\)/],
  ];
  for (const [name, content, message] of refusals) {
    app.openAnswers.push([write(dir, name, content)]);
    const refused = errorOf(await app.call('w1', 'chooseCsvImport', id));
    assert.deepEqual([refused.code, message.test(refused.message), refused.message.includes(dir)], ['BAD_IMPORT', true, false], `${name}: ${refused.message}`);
  }
  const huge = path.join(dir, 'huge.csv');
  fs.writeFileSync(huge, 'code,quantity\r\n');
  fs.truncateSync(huge, 51 * 1024 * 1024);
  app.openAnswers.push([huge]);
  assert.match(errorOf(await app.call('w1', 'chooseCsvImport', id)).message, /is 51 MB; Fieldbook imports CSV files of up to 50 MB/);
  app.core.closeAll();
});

test('each row’s error is said; nothing is imported while any remains unless rows with errors are skipped', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  withDb(file, (db) => db.exec("INSERT INTO samples (id, site_id, code) VALUES (15, 2, 'R-1')"));
  const csv = write(
    dir,
    'field.csv',
    [
      'Sample,Parameter,Result,Units,Instrument',
      'R-2,pH,7.3,,pH probe',
      'R-9,pH,7,,',
      'R-1,pH,7,,',
      'G-1,pH,"7,5",,',
      'G-1,,7,,',
      ',pH,7,,',
      'G-1,pH,n/a,,',
      'Q-1,depth,41,m,New sonar',
      '',
      'G-1,,,,',
    ].join('\r\n'),
  );
  const app = csvApp();
  const id = await app.core.open(file, 'w1');
  const chosen = await choose(app, id, csv);
  assert.deepEqual(chosen.mapping, { code: 0, quantity: 1, value: 2, unit: 3, instrument: 4 });
  const preview = value(await app.call<CsvImportPreview>('w1', 'previewCsvImport', id, chosen.importId, settingsFor(chosen)));
  assert.deepEqual(
    preview.rows.map((r) => [r.row, r.problem?.kind ?? 'ok']),
    [
      [2, 'ok'],
      [3, 'unknown-sample'],
      [4, 'ambiguous-code'],
      [5, 'not-a-number'],
      [6, 'no-quantity'],
      [7, 'no-code'],
      [8, 'not-a-number'],
      [9, 'ok'],
      [11, 'no-measurement'],
    ],
    'rows are numbered as a spreadsheet numbers them: the header is 1, the blank row 10 counts',
  );
  assert.match(preview.rows[2]!.problem!.message, /“R-1” is a sample code at 2 sites \(River, Ridge\)/);
  assert.match(preview.rows[3]!.problem!.message, /“7,5” is not a number \(to read decimal commas/);
  assert.deepEqual([preview.total, preview.valid, preview.errors, preview.errorRows.map((r) => r.row)], [9, 2, 6, [3, 4, 5, 6, 7, 8]]);
  assert.deepEqual(
    preview.problems.find((p) => p.kind === 'not-a-number'),
    { kind: 'not-a-number', count: 2, rows: [5, 8], example: 'the value “7,5” is not a number (to read decimal commas, tick “Decimal comma”)' },
  );

  const before = rows(file, MEASUREMENTS);
  const refused = errorOf(await app.call('w1', 'importCsv', id, chosen.importId, settingsFor(chosen)));
  assert.equal(refused.code, 'INVALID_VALUE');
  assert.match(refused.message, /^6 rows have errors \(row 3: there is no sample “R-9”\), so nothing was imported/);
  assert.deepEqual(rows(file, MEASUREMENTS), before);
  assert.deepEqual(value(await app.call<UndoState>('w1', 'undoState', id)), { undo: null, redo: null }, 'a refused import is no undo step');

  // A site column tells R-1 apart; then, skipping the rows with errors, the others are imported.
  const withSite = write(dir, 'field2.csv', 'site,code,quantity,value\r\nRidge,R-1,pH,6.5\r\nNowhere,R-1,pH,1\r\n,R-2,pH,bad\r\n');
  const second = await choose(app, id, withSite);
  assert.equal(errorOf(await app.call('w1', 'previewCsvImport', id, chosen.importId, settingsFor(chosen))).code, 'NOT_FOUND', 'choosing another file forgets the first');
  const skip = settingsFor(second, { skipErrors: true });
  const outcome = value(await app.call<CsvImportOutcome>('w1', 'importCsv', id, second.importId, skip));
  assert.deepEqual(
    [outcome.imported, outcome.skipped, outcome.problems.map((p) => [p.kind, p.rows])],
    [
      1,
      2,
      [
        ['unknown-site', [3]],
        ['not-a-number', [4]],
      ],
    ],
  );
  assert.deepEqual(rows(file, 'SELECT sample_id, kind, value FROM measurements WHERE id > 105'), [{ sample_id: 15, kind: 'pH', value: 6.5 }]);
  assert.equal(errorOf(await app.call('w1', 'importCsv', id, second.importId, skip)).code, 'NOT_FOUND', 'an imported file is forgotten');
  app.core.closeAll();
});

test('an import is one undo step: undo removes all its rows and the instruments it created, redo brings them back', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  const lines = ['code,quantity,value,instrument'];
  for (let i = 0; i < 120; i++) lines.push(`R-${1 + (i % 2)},conductivity,${i / 10},${i % 3 ? 'PH PROBE' : 'Field meter'}`);
  const csv = write(dir, 'field.csv', lines.join('\n'));
  const app = csvApp();
  const id = await app.core.open(file, 'w1');
  const before = { measurements: rows(file, MEASUREMENTS), instruments: rows(file, 'SELECT * FROM instruments') };
  const chosen = await choose(app, id, csv);
  const outcome = value(await app.call<CsvImportOutcome>('w1', 'importCsv', id, chosen.importId, settingsFor(chosen)));
  assert.equal(outcome.undoLabel, 'Import 120 measurements from field.csv');
  assert.equal(rows(file, "SELECT count(*) AS n FROM measurements WHERE kind = 'conductivity'")[0]!.n, 120);
  assert.deepEqual(rows(file, 'SELECT name FROM instruments WHERE id > 3'), [{ name: 'Field meter' }], 'an instrument is found by name, case aside, or created once');
  assert.deepEqual(value(await app.call<UndoState>('w1', 'undoState', id)), { undo: 'Import 120 measurements from field.csv', redo: null });
  value(await app.call('w1', 'undo', id));
  assert.deepEqual({ measurements: rows(file, MEASUREMENTS), instruments: rows(file, 'SELECT * FROM instruments') }, before);
  value(await app.call('w1', 'redo', id));
  assert.equal(rows(file, "SELECT count(*) AS n FROM measurements WHERE kind = 'conductivity'")[0]!.n, 120);
  app.core.closeAll();
});

test('a row the notebook refuses mid-import rolls the whole import back, naming the row', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  const csv = write(dir, 'field.csv', 'code,quantity,value,instrument\nR-1,a,1,Brand new\nR-1,b,2,\nR-1,c,666,\nR-1,d,4,\n');
  const session = new DocumentSession(await openDocument(file, { engine: testEngine() }));
  try {
    // A rule of the notebook (as a CHECK would be) that refuses the value 666, on this connection only.
    session.handle.db.exec(
      "CREATE TEMP TRIGGER refuse_666 BEFORE INSERT ON main.measurements WHEN new.value = 666 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: value <> 666'); END",
    );
    const imports = new CsvImports();
    const chosen = await imports.read('doc', csv);
    const before = { measurements: rows(file, MEASUREMENTS), instruments: rows(file, 'SELECT * FROM instruments') };
    await assert.rejects(
      commitImport(session, imports.get('doc', chosen.importId), settingsFor(chosen)),
      (e: { code?: string; message?: string }) => e.code === 'INVALID_VALUE' && /^row 4 of “field.csv” was refused/.test(e.message ?? ''),
    );
    assert.deepEqual(
      { measurements: rows(file, MEASUREMENTS), instruments: rows(file, 'SELECT * FROM instruments') },
      before,
      'rows 2 and 3 and the new instrument were rolled back',
    );
    assert.deepEqual(session.undoState(), { undo: null, redo: null });
  } finally {
    session.close();
  }
});

test('read-only notebooks refuse before any dialog; a file changed after its preview is refused', async () => {
  const dir = tempDir();
  const newer = documentAt(6, dir, 'newer.fieldbook');
  withDb(newer, (db) => {
    db.exec("INSERT INTO samples (id, code) VALUES (1, 'a'); INSERT INTO fieldbook_migrations VALUES (7, '0007-future', 'x', '2030-01-01', '3.0', 1, 'migrate')");
    db.pragma('user_version = 7');
  });
  const app = csvApp();
  const readOnly = await app.core.open(newer, 'w2');
  assert.equal(errorOf(await app.call('w2', 'chooseCsvImport', readOnly)).code, 'READ_ONLY_DOCUMENT');
  assert.deepEqual(app.dialogs, [], 'no dialog was shown');
  const session = new DocumentSession(await openDocument(newer, { engine: testEngine() }));
  try {
    const imports = new CsvImports();
    const chosen = await imports.read('doc', write(dir, 'a.csv', 'code,quantity,value\na,pH,7\n'));
    await assert.rejects(commitImport(session, imports.get('doc', chosen.importId), settingsFor(chosen)), (e: { code?: string }) => e.code === 'READ_ONLY_DOCUMENT');
  } finally {
    session.close();
  }

  const file = richHeadDocument(dir);
  const id = await app.core.open(file, 'w1');
  const csv = write(dir, 'field.csv', 'code,quantity,value\nR-1,pH,7\n');
  const chosen = await choose(app, id, csv);
  assert.deepEqual(app.dialogs.at(-1), { kind: 'open', title: 'Import Measurements from CSV', filters: [{ name: 'CSV files', extensions: ['csv', 'txt'] }], multiple: false });
  value(await app.call('w1', 'previewCsvImport', id, chosen.importId, settingsFor(chosen)));
  fs.appendFileSync(csv, 'R-2,pH,8\n');
  const changed = errorOf(await app.call('w1', 'importCsv', id, chosen.importId, settingsFor(chosen)));
  assert.deepEqual([changed.code, /has changed since it was read/.test(changed.message)], ['BAD_IMPORT', true]);
  assert.equal(rows(file, 'SELECT count(*) AS n FROM measurements')[0]!.n, 6);
  // Arguments are checked: a mapping without the code, unknown fields, a column the file does not have.
  for (const settings of [
    settingsFor(chosen, { mapping: { quantity: 1 } }),
    { ...settingsFor(chosen), extra: 1 },
    settingsFor(chosen, { mapping: { code: 0, quantity: 9 } }),
    { ...settingsFor(chosen), skipErrors: 'yes' },
  ]) {
    assert.equal(errorOf(await app.call('w1', 'previewCsvImport', id, chosen.importId, settings)).code, 'BAD_REQUEST', JSON.stringify(settings));
  }
  assert.equal(value(await app.call('w1', 'chooseCsvImport', id)), null, 'a cancelled dialog');
  app.core.closeAll();
});

test('100,000 rows are parsed and imported while the event loop keeps turning, as one undo step', async () => {
  const dir = tempDir();
  const file = richHeadDocument(dir);
  const lines = ['code;quantity;value;unit'];
  for (let i = 0; i < 100_000; i++) lines.push(`R-${1 + (i % 2)};"depth\n${i % 7}";${i},5;m`);
  const csv = write(dir, 'big.csv', lines.join('\r\n'));
  // Parsing reads no file: the event loop turns while it runs only when it yields (every 2,000 rows).
  let turns = 0;
  let parsing = true;
  const spin = () => {
    turns += 1;
    if (parsing) setImmediate(spin);
  };
  setImmediate(spin);
  const parsed = await parseCsvText(fs.readFileSync(csv, 'utf8'), 'big.csv').finally(() => {
    parsing = false;
  });
  assert.equal(parsed.records.length, 100_001);
  assert.ok(turns >= 50, `the event loop turned while the file was parsed (${turns} times)`);
  // While the import runs, the event loop sees it part-way: counts of measurements on its connection between none and all of them.
  const app = csvApp();
  const id = await app.core.open(file, 'w1');
  const chosen = await choose(app, id, csv);
  const db = app.core.session('w1', id).handle.db;
  const seen = new Set<number>();
  let importing = true;
  const look = () => {
    if (!importing) return;
    seen.add(db.prepare('SELECT count(*) FROM measurements').pluck().get() as number);
    setImmediate(look);
  };
  setImmediate(look);
  const outcome = value(
    await app.call<CsvImportOutcome>('w1', 'importCsv', id, chosen.importId, settingsFor(chosen)).finally(() => {
      importing = false;
    }),
  );
  const partWay = [...seen].filter((n) => n > 6 && n < 100_006);
  assert.ok(partWay.length >= 40, `the event loop turned during the import (${partWay.length} times part-way)`);
  assert.deepEqual([chosen.rows, outcome.imported], [100_001, 100_000]);
  assert.deepEqual(rows(file, "SELECT count(*) AS n, sum(value) AS total FROM measurements WHERE kind LIKE 'depth%'"), [
    { n: 100_002, total: 2.5 + 40 + (99_999 * 100_000) / 2 + 0.5 * 100_000 },
  ]);
  value(await app.call('w1', 'undo', id));
  assert.equal(rows(file, 'SELECT count(*) AS n FROM measurements')[0]!.n, 6);
  app.core.closeAll();
});
