import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { createTemporarySubset, withTemporarySubset } from '@fieldbook/engine';
import { tempFolder } from '@fieldbook/engine/tooling';
import { REPO_ROOT, rows } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

test('withTemporarySubset removes the file when the function returns and when it throws', async () => {
  const source = richHeadDocument();
  let seen = '';
  const count = await withTemporarySubset(
    source,
    { siteIds: [1] },
    (subset) => {
      seen = subset.path;
      assert.ok(subset.path.startsWith(tempFolder()));
      return rows(subset.path, 'SELECT count(*) AS n FROM samples')[0]!.n;
    },
    { engine: fieldbookEngine() },
  );
  assert.equal(count, 2);
  assert.ok(!fs.existsSync(seen));
  await assert.rejects(
    withTemporarySubset(
      source,
      {},
      (subset) => {
        seen = subset.path;
        throw new Error('analysis failed');
      },
      { engine: fieldbookEngine() },
    ),
    /analysis failed/,
  );
  assert.ok(!fs.existsSync(seen), 'removed after a throw');
  const handle = await createTemporarySubset(source, { tags: ['water'] }, { engine: fieldbookEngine() });
  assert.equal(handle.result.counts.samples, 2);
  handle.dispose();
  handle.dispose();
  assert.ok(!fs.existsSync(handle.path));
});

test('a killed process leaves a temporary subset that the next one removes; a normal exit removes its own', async () => {
  const source = richHeadDocument();
  const engineModule = require.resolve('@fieldbook/engine');
  const fieldbookModule = path.join(REPO_ROOT, 'dist', 'main', 'fieldbook', 'fieldbook-engine.js');
  const script = (end: string) =>
    `require(${JSON.stringify(engineModule)}).createTemporarySubset(${JSON.stringify(source)}, {}, { engine: require(${JSON.stringify(fieldbookModule)}).fieldbookEngine() }).then((s) => { console.log(s.path); ${end} });`;
  const killed = spawnSync(process.execPath, ['-e', script("process.kill(process.pid, 'SIGKILL');")], { encoding: 'utf8' });
  const left = killed.stdout.trim();
  assert.ok(left && fs.existsSync(left), `the killed process left its subset (${killed.stderr})`);
  const exited = spawnSync(process.execPath, ['-e', script('process.exit(0);')], { encoding: 'utf8' });
  assert.ok(!fs.existsSync(exited.stdout.trim()), 'a process that exits removes its subsets');
  assert.ok(!fs.existsSync(left), 'the next process removed the stale one');
});
