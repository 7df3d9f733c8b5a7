import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { classifyDocument, isFieldbookError, exportSubset } from '@fieldbook/engine';
import { documentAt, fileState, rows, runCli, tempDir, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

const TABLES = ['sites', 'samples', 'measurements', 'tags', 'sample_tags', 'instruments', 'attachments', 'data_issues'];

function ids(file: string, table: string): number[] {
  return rows(file, `SELECT rowid AS id FROM ${table} ORDER BY rowid`).map((r) => r.id as number);
}

/** Every row of the subset is the source's row with the same id, value for value. */
function assertRowsCopiedExactly(source: string, subset: string): void {
  const db = new Database(subset, { readonly: true });
  try {
    db.prepare('ATTACH DATABASE ? AS src').run(source);
    for (const table of TABLES) {
      const differing = db.prepare(`SELECT count(*) FROM (SELECT rowid, * FROM main.${table} EXCEPT SELECT rowid, * FROM src.${table})`).pluck().get();
      assert.equal(differing, 0, `${table}: every subset row equals its source row`);
    }
  } finally {
    db.close();
  }
}

test('a subset by site holds the samples, what they own and what they reference, and nothing else', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const before = fileState(source);
  const out = path.join(dir, 'river.fieldbook');
  const result = await exportSubset(source, out, { siteIds: [1] }, { engine: fieldbookEngine() });
  assert.deepEqual(fileState(source), before, 'the source is never written');
  assert.equal(result.empty, false);
  assert.deepEqual(ids(out, 'samples'), [10, 11]);
  assert.deepEqual(ids(out, 'measurements'), [100, 101, 102]);
  assert.deepEqual(ids(out, 'attachments'), [1000]);
  assert.deepEqual(rows(out, 'SELECT sample_id, tag_id FROM sample_tags ORDER BY 1, 2'), [
    { sample_id: 10, tag_id: 1 },
    { sample_id: 11, tag_id: 2 },
  ]);
  assert.deepEqual(ids(out, 'sites'), [1], 'only the referenced site');
  assert.deepEqual(ids(out, 'tags'), [1, 2], 'only referenced tags');
  assert.deepEqual(ids(out, 'instruments'), [1, 2], 'only referenced instruments');
  assert.deepEqual(ids(out, 'data_issues'), [5], 'the data issues about included rows');
  assert.deepEqual(result.counts, { attachments: 1, data_issues: 1, instruments: 2, measurements: 3, sample_tags: 2, samples: 2, sites: 1, tags: 2 });
  assertRowsCopiedExactly(source, out);
  assert.deepEqual(rows(out, 'PRAGMA foreign_key_check'), []);
  assert.deepEqual(rows(out, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  assert.equal(rows(out, 'PRAGMA journal_mode')[0]!.journal_mode, 'delete');
  const c = classifyDocument(out, { engine: fieldbookEngine(), check: 'full' });
  assert.deepEqual([c.status, c.version, c.problem], ['current', 6, null]);
  assert.deepEqual(
    c.applied.map((a) => a.method),
    ['create', 'create', 'create', 'create', 'create', 'create'],
    'stamped exactly like a new document',
  );
  assert.deepEqual(fs.readdirSync(dir).sort(), ['rich.fieldbook', 'river.fieldbook'], 'no temporary file left beside it');
});

test('full-text search inside a subset finds exactly the included samples', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const out = path.join(dir, 'sediment.fieldbook');
  await exportSubset(source, out, { tags: ['SEDIMENT'] }, { engine: fieldbookEngine() });
  assert.deepEqual(ids(out, 'samples'), [10, 12, 14], 'tags match without regard to case');
  const search = (q: string) => rows(out, 'SELECT rowid FROM samples_fts WHERE samples_fts MATCH ? ORDER BY rowid', q).map((r) => r.rowid);
  assert.deepEqual(search('sediment'), [10, 14]);
  assert.deepEqual(search('granite'), [12]);
  assert.deepEqual(search('quarry OR water'), [], 'samples left out are not in the index');
  assert.deepEqual(rows(out, "SELECT count(*) AS n FROM samples_fts WHERE samples_fts MATCH 'sediment OR granite OR river'")[0]!.n, 3);
  withDb(out, (db) => {
    db.pragma('foreign_keys = ON');
    db.exec("INSERT INTO samples (id, site_id, code, description) VALUES (50, 1, 'N-1', 'new basalt')");
  });
  assert.deepEqual(search('basalt'), [50], 'the subset keeps its search triggers');
});

test('selections combine with AND; lists are OR; dates are inclusive', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const cases: [object, number[]][] = [
    [{}, [10, 11, 12, 13, 14]],
    [{ sampleIds: [10, 13] }, [10, 13]],
    [{ siteIds: [1, 2], tags: ['sediment'] }, [10, 12]],
    [{ collectedFrom: '2023-01-01' }, [10, 11, 14]],
    [{ collectedFrom: '2023-04-01', collectedTo: '2023-05-05' }, [10, 14]],
    [{ tags: ['water', 'nothing'] }, [11, 14]],
    [{ sampleIds: [] }, []],
  ];
  for (const [i, [selection, expected]] of cases.entries()) {
    const out = path.join(dir, `case-${i}.fieldbook`);
    const result = await exportSubset(source, out, selection, { engine: fieldbookEngine() });
    assert.deepEqual(ids(out, 'samples'), expected, JSON.stringify(selection));
    assert.equal(result.empty, expected.length === 0);
  }
});

test('bad selections, existing destinations and unusable sources are refused with their codes', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  for (const selection of [
    { sites: [1] },
    { siteIds: '1' },
    { sampleIds: [1.5] },
    { tags: [1] },
    { collectedFrom: '1/2/2023' },
    { collectedFrom: '2023-02-30' },
    { collectedFrom: '2023-05-01', collectedTo: '2023-01-01' },
    null,
    [],
    'site 1',
  ]) {
    await assert.rejects(
      exportSubset(source, path.join(dir, 'x.fieldbook'), selection, { engine: fieldbookEngine() }),
      (e: unknown) => isFieldbookError(e, 'BAD_SELECTION'),
      JSON.stringify(selection),
    );
  }
  const existing = path.join(dir, 'existing.fieldbook');
  fs.writeFileSync(existing, 'keep me');
  await assert.rejects(exportSubset(source, existing, {}, { engine: fieldbookEngine() }), (e: unknown) => isFieldbookError(e, 'EXISTS'));
  assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');
  await exportSubset(source, existing, { siteIds: [2] }, { engine: fieldbookEngine(), overwrite: true });
  assert.deepEqual(ids(existing, 'samples'), [12]);
  const newer = documentAt(6, dir, 'newer.fieldbook');
  withDb(newer, (db) => {
    db.exec("INSERT INTO fieldbook_migrations VALUES (7, '0007-future', 'x', '2030-01-01', '3.0', 1, 'migrate')");
    db.pragma('user_version = 7');
  });
  await assert.rejects(exportSubset(newer, path.join(dir, 'n.fieldbook'), {}, { engine: fieldbookEngine() }), (e: unknown) => isFieldbookError(e, 'TOO_NEW'));
  const png = path.join(dir, 'picture.fieldbook');
  fs.writeFileSync(png, Buffer.from('89504e470d0a1a0a', 'hex'));
  await assert.rejects(exportSubset(png, path.join(dir, 'p.fieldbook'), {}, { engine: fieldbookEngine() }), (e: unknown) => isFieldbookError(e, 'NOT_SQLITE'));
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.startsWith('.')),
    [],
    'no partial files left',
  );
});

test('an outdated source is exported through a private upgraded copy and stays untouched', async () => {
  const dir = tempDir();
  const source = documentAt(2, dir, 'old.fieldbook');
  withDb(source, (db) =>
    db.exec(`INSERT INTO sites VALUES (1, 'S', 10, 10);
    INSERT INTO samples VALUES (1, 1, 'a', '1/2/2020', 'kept'), (2, 1, 'a', 'spring', NULL), (3, NULL, 'b', NULL, NULL);
    INSERT INTO measurements VALUES (1, 1, 'pH', '7,5', NULL), (2, 2, 'pH', 'n/a', NULL), (3, 3, 'pH', '1', NULL);
    INSERT INTO tags VALUES (1, 't'); INSERT INTO sample_tags VALUES (1, 1);`),
  );
  const before = fileState(source);
  const out = path.join(dir, 'subset.fieldbook');
  const result = await exportSubset(source, out, { siteIds: [1] }, { engine: fieldbookEngine() });
  assert.deepEqual(fileState(source), before);
  assert.deepEqual(result.source, { path: source, version: 2, upgraded: true });
  assert.deepEqual(rows(out, 'SELECT id, code, collected_on FROM samples ORDER BY id'), [
    { id: 1, code: 'a', collected_on: '2020-02-01' },
    { id: 2, code: 'a-2', collected_on: null },
  ]);
  assert.deepEqual(rows(out, 'SELECT id, value FROM measurements ORDER BY id'), [
    { id: 1, value: 7.5 },
    { id: 2, value: null },
  ]);
  assert.deepEqual(rows(out, 'SELECT table_name, row_id, column_name FROM data_issues ORDER BY id'), [
    { table_name: 'measurements', row_id: 2, column_name: 'value' },
    { table_name: 'samples', row_id: 2, column_name: 'collected' },
    { table_name: 'samples', row_id: 2, column_name: 'code' },
  ]);
  assert.equal(classifyDocument(out, { engine: fieldbookEngine(), check: 'quick' }).status, 'current');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['old.fieldbook', 'subset.fieldbook']);
});

test('progress reports rows per table with totals; an aborted export leaves nothing behind', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const seen: string[] = [];
  await exportSubset(
    source,
    path.join(dir, 'p.fieldbook'),
    {},
    {
      engine: fieldbookEngine(),
      onProgress: (p) => {
        if (p.phase === 'copying') seen.push(`${p.table}:${p.tables[p.table!]!.copied}/${p.tables[p.table!]!.total}`);
        else seen.push(p.phase);
      },
    },
  );
  assert.equal(seen[0], 'selecting');
  assert.equal(seen.at(-1), 'finishing');
  assert.ok(seen.includes('samples:5/5') && seen.includes('measurements:6/6'), seen.join(' '));
  const controller = new AbortController();
  const out = path.join(dir, 'cancelled.fieldbook');
  await assert.rejects(
    exportSubset(
      source,
      out,
      {},
      {
        engine: fieldbookEngine(),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'copying') controller.abort();
        },
      },
    ),
    (e: unknown) => isFieldbookError(e, 'ABORTED'),
  );
  assert.ok(!fs.existsSync(out));
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.startsWith('.')),
    [],
  );
});

test('fieldbook subset writes a document that fieldbook info calls current', () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const out = path.join(dir, 'cli.fieldbook');
  const run = runCli(['subset', source, '--out', out, '--site', '1', '--site', '2', '--tag', 'sediment', '--json']);
  assert.equal(run.status, 0, run.stderr);
  const json = run.json as { destination: string; version: number; counts: Record<string, number> };
  assert.deepEqual([json.destination, json.version, json.counts.samples], [out, 6, 2]);
  const info = runCli(['info', out, '--json']);
  assert.equal((info.json as { status: string }).status, 'current');
  const again = runCli(['subset', source, '--out', out, '--all', '--json']);
  assert.deepEqual([again.status, (again.json as { error: { code: string } }).error.code], [3, 'EXISTS']);
  const bad = runCli(['subset', source, '--out', path.join(dir, 'b.fieldbook'), '--sample', 'ten']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^error: BAD_SELECTION: /);
});
