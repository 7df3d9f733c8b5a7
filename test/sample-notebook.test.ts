/**
 * The start screen's sample notebook (main/app/sample-notebook.ts): the demo notebook written
 * into the documents folder under the first free sample name, never replacing a file, on real
 * files.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { sampleNotebookName, writeSampleNotebook } from '../main/app/sample-notebook';
import { rows, runCli, sha256File, tempDir, testEngine } from './helpers/fixtures';

test('the sample is a Fieldbook 1.0 notebook, written into a folder that did not exist yet', () => {
  const folder = path.join(tempDir(), 'Documents');
  const file = writeSampleNotebook(folder, testEngine());
  assert.equal(file, path.join(folder, 'Glacier survey 2018 (sample).fieldbook'));
  const info = runCli(['info', file, '--check', '--json']);
  assert.deepEqual([(info.json as { status: string }).status, (info.json as { version: number }).version], ['outdated', 1], info.stdout);
  assert.equal(rows(file, 'SELECT count(*) AS n FROM samples')[0]!.n, 9);
});

test('names that exist are skipped and left byte for byte as they were, whatever they hold', () => {
  const folder = tempDir();
  const engine = testEngine();
  const first = writeSampleNotebook(folder, engine);
  fs.writeFileSync(path.join(folder, sampleNotebookName(2)), 'my own notes, named like a sample');
  const before = [sha256File(first), sha256File(path.join(folder, sampleNotebookName(2)))];
  const third = writeSampleNotebook(folder, engine);
  assert.equal(path.basename(third), 'Glacier survey 2018 (sample 3).fieldbook');
  assert.deepEqual([sha256File(first), sha256File(path.join(folder, sampleNotebookName(2)))], before);
  assert.deepEqual(fs.readdirSync(folder).sort(), [1, 2, 3].map(sampleNotebookName).sort(), 'nothing else was written (no journal left behind)');
});
