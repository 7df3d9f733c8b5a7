/**
 * The entry's run-time side (lazy-index.ts) exports exactly index.ts's values, and loads a
 * module only when one of its values is first read.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path = require('node:path');
import { test } from 'node:test';

const SRC = path.join(__dirname, '..', 'src');

test('every value index.ts exports is exported by lazy-index, the very same one, and nothing else', () => {
  const eager = require(path.join(SRC, 'index')) as Record<string, unknown>;
  const lazy = require(path.join(SRC, 'lazy-index')) as Record<string, unknown>;
  const names = Object.keys(eager)
    .filter((name) => name !== '__esModule')
    .sort();
  assert.ok(names.length > 20, `index.ts exports ${names.length} values`);
  assert.deepEqual(Object.keys(lazy).sort(), names);
  for (const name of names) assert.equal(lazy[name], eager[name], name);
  assert.equal(lazy.__esModule, true);
});

/** The engine modules (relative to src/) and packages a fresh process has loaded after `script`. */
function loadedAfter(script: string): { engine: string[]; packages: string[] } {
  const entry = JSON.stringify(path.join(SRC, 'lazy-index'));
  const run = spawnSync(
    process.execPath,
    [
      '-e',
      `const entry = require(${entry}); ${script};
    const files = Object.keys(require.cache);
    console.log(JSON.stringify({
      engine: files.filter((f) => f.startsWith(${JSON.stringify(SRC + path.sep)})).map((f) => f.slice(${JSON.stringify(SRC + path.sep)}.length).split(require('path').sep).join('/')).sort(),
      packages: [...new Set(files.map((f) => /node_modules[\\\\/]((@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f)?.[1]).filter(Boolean))].sort(),
    }));`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { engine: string[]; packages: string[] };
}

test('requiring the entry loads no engine module; reading classifyDocument loads classification only, not migrations, subsets, batches or Sequelize', () => {
  // real-timers.js (a few lines, no imports) is loaded at once to take the real timers before a test can fake them.
  assert.deepEqual(loadedAfter(''), { engine: ['lazy-index.js', 'real-timers.js'], packages: [] });
  const classify = loadedAfter('entry.classifyDocument; entry.FieldbookError; entry.createEngine');
  assert.ok(classify.engine.includes('documents/classify.js'), classify.engine.join(', '));
  for (const heavy of [
    'documents/migrate.js',
    'documents/open.js',
    'documents/create.js',
    'subset/export-subset.js',
    'batch/upgrade-many.js',
    'migrations/offline-sql.js',
    'schema/schema-operations.js',
  ]) {
    assert.ok(!classify.engine.includes(heavy), `${heavy} is not loaded to classify`);
  }
  assert.deepEqual(
    classify.packages.filter((p) => p === 'sequelize' || p === 'umzug'),
    [],
  );
  assert.ok(loadedAfter('entry.upgradeDocument').engine.includes('documents/migrate.js'), 'reading a value loads its module');
});
