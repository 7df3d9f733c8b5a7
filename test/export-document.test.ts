import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { classifyDocument, isFieldbookError, exportDocument, upgradeDocument } from '@fieldbook/engine';
import { fileState, rows, runCli, tempDir } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

test('a copy for version 3 lists what version 3 cannot hold and upgrades back with everything it can', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const before = fileState(source);
  const out = path.join(dir, 'for-1.2.fieldbook');
  const result = await exportDocument(source, out, { engine: fieldbookEngine(), asVersion: 3 });
  assert.deepEqual(fileState(source), before, 'the source is never written');
  assert.equal(result.version, 3);
  const c = classifyDocument(out, { engine: fieldbookEngine(), check: 'full' });
  assert.deepEqual([c.status, c.version, c.problem], ['outdated', 3, null]);
  // The issues of versions 4 and 6 are dropped by their down steps (sample 12 keeps the date set since, so 'autumn' is gone).
  assert.deepEqual(result.lost, [
    { table: 'attachments', column: null, rows: 2 },
    { table: 'data_issues', column: null, rows: 3 },
    { table: 'instruments', column: null, rows: 3 },
    { table: 'measurements', column: 'instrument_id', rows: 4 },
    { table: 'samples', column: 'created_at', rows: 5 },
  ]);
  assert.equal(rows(out, 'SELECT notes FROM samples WHERE id = 10')[0]!.notes, 'fine sediment from the river bank', 'renamed columns are kept');
  assert.equal(rows(out, 'SELECT collected FROM samples WHERE id = 12')[0]!.collected, '2022-09-30');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['for-1.2.fieldbook', 'rich.fieldbook']);

  await upgradeDocument(out, { engine: fieldbookEngine(), backup: false });
  const holdable = {
    sites: 'SELECT id, name, lat, lon FROM sites ORDER BY id',
    samples: 'SELECT id, site_id, code, collected_on, description FROM samples ORDER BY id',
    measurements: 'SELECT id, sample_id, kind, value, unit FROM measurements ORDER BY id',
    tags: 'SELECT * FROM tags ORDER BY id',
    sample_tags: 'SELECT * FROM sample_tags ORDER BY sample_id, tag_id',
  };
  for (const [table, sql] of Object.entries(holdable)) assert.deepEqual(rows(out, sql), rows(source, sql), `${table} round-trips through version 3`);
  assert.deepEqual(rows(out, 'SELECT count(*) AS n FROM attachments'), [{ n: 0 }]);
});

test('exporting at head is a plain verified copy; targets and destinations are checked', async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const copy = await exportDocument(source, path.join(dir, 'copy.fieldbook'), { engine: fieldbookEngine() });
  assert.deepEqual([copy.version, copy.lost], [6, []]);
  assert.equal(classifyDocument(copy.destination, { engine: fieldbookEngine(), check: 'quick' }).status, 'current');
  await assert.rejects(exportDocument(source, path.join(dir, 'x.fieldbook'), { engine: fieldbookEngine(), asVersion: 9 }), (e: unknown) => isFieldbookError(e, 'BAD_TARGET'));
  await assert.rejects(exportDocument(source, copy.destination, { engine: fieldbookEngine(), asVersion: 2 }), (e: unknown) => isFieldbookError(e, 'EXISTS'));
  const cli = runCli(['export', source, '--out', path.join(dir, 'v2.fieldbook'), '--as-version', '2', '--json']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal((cli.json as { version: number }).version, 2);
  assert.equal(classifyDocument(path.join(dir, 'v2.fieldbook'), { engine: fieldbookEngine() }).version, 2);
  assert.equal(runCli(['export', source, '--out', path.join(dir, 'v0.fieldbook')]).status, 2, '--as-version is required');
});
