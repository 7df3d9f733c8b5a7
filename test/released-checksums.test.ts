/**
 * Shipped migrations stay recognisable: notebooks written by Fieldbook 2.0.0 (fixtures made with
 * the 2.0.0 code, see test/fixtures/README.md) record 2.0.0's checksums of migrations that have
 * changed since; they must classify, open, stamp and upgrade as before. The release ledger
 * (migrations/released.json) feeds the manifest's supersededChecksums, and `fieldbook check`
 * fails when a released checksum stops being accepted.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { sha256, sourceChecksum, type Manifest, buildManifests } from '@fieldbook/engine/tooling';
import { classifyDocument, exportDocument, isFieldbookError, upgradeDocument, openDocument, stampDocument } from '@fieldbook/engine';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import type { CheckResult } from '../main/devtools/check-project';
import { REPO_ROOT, rows, runCli, tempDir, testEngine, withDb } from './helpers/fixtures';

const MIGRATIONS = path.join(REPO_ROOT, 'migrations');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const LEDGER = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'released.json'), 'utf8')) as Record<string, Record<string, string>>;
const SHIPPED = LEDGER['2.0.0']!;
const NEVER_RELEASED = 'ab'.repeat(32);

/** A fresh copy of a committed fixture (the committed file is never opened for writing). */
function fixture(name: 'v6' | 'v3' | 'v4'): string {
  const file = path.join(tempDir('fieldbook-2.0.0-'), `notebook-2.0.0-${name}.fieldbook`);
  fs.copyFileSync(path.join(FIXTURES, `notebook-2.0.0-${name}.fieldbook`), file);
  return file;
}

const versionRows = (file: string) => rows(file, 'SELECT version, name, checksum, app_version, method FROM fieldbook_migrations ORDER BY version');

test("the fixtures really carry 2.0.0 checksums that today's migrations no longer have (0003-0005 were fixed; all six now import the engine by its package name)", () => {
  const current = fieldbookEngine().migrations.migrations;
  for (const name of ['v6', 'v3', 'v4'] as const) {
    const recorded = versionRows(fixture(name));
    assert.deepEqual(
      recorded.map((r) => [r.name, r.checksum, r.app_version]),
      Object.entries(SHIPPED)
        .slice(0, recorded.length)
        .map(([n, c]) => [n, c, '2.0.0']),
    );
  }
  for (const m of current) assert.notEqual(m.checksum, SHIPPED[m.name as keyof typeof SHIPPED], m.name);
  assert.deepEqual(
    current.map((m) => m.supersededChecksums ?? []),
    Object.values(SHIPPED).map((c) => [c]),
  );
});

test("a notebook 2.0.0 upgraded to 6 is current with today's code: classify, info, info --check, open", async () => {
  const file = fixture('v6');
  const c = classifyDocument(file, { engine: fieldbookEngine() });
  assert.deepEqual([c.status, c.version, c.problem], ['current', 6, null]);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine(), check: 'full' }).status, 'current', "its schema is version 6's");
  const info = runCli(['info', file, '--json']);
  assert.equal(info.status, 0, info.stderr);
  assert.equal((info.json as { status: string }).status, 'current');
  const checked = runCli(['info', file, '--check']);
  assert.equal(checked.status, 0, checked.stderr);
  assert.match(checked.stdout, /: current \(version 6, head 6\)/);
  const doc = await openDocument(file, { engine: testEngine(), verify: true });
  try {
    assert.equal(doc.readOnly, false, "opened for writing, not as a newer app's document");
    assert.equal(doc.upgrade, null);
    assert.deepEqual(
      doc.db
        .prepare('SELECT id, code FROM samples ORDER BY id')
        .all()
        .map((r) => (r as { code: string }).code),
      ['A-1', 'A-1-2', 'sample-3', 'B 1', 'orphan', 'nul', 'year zero', 'dots'],
    );
    doc.db.prepare("INSERT INTO tags (name) VALUES ('after 2.0.0')").run();
  } finally {
    doc.close();
  }
  assert.deepEqual(
    versionRows(file).map((r) => r.checksum),
    Object.values(SHIPPED),
    'nothing rewrote the version table',
  );
});

test("a notebook 2.0.0 upgraded to 3 upgrades to 6 with today's 0004 and is then current", async () => {
  const file = fixture('v3');
  assert.equal(classifyDocument(file, { engine: fieldbookEngine() }).status, 'outdated');
  const before = rows(file, 'SELECT id, typeof(collected) AS type, hex(collected) AS bytes FROM samples ORDER BY id');
  const result = await upgradeDocument(file, { engine: testEngine() });
  assert.deepEqual([result.from, result.to, result.applied.map((s) => s.version)], [3, 6, [4, 5, 6]]);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine(), check: 'full' }).status, 'current');
  const recorded = versionRows(file);
  const today = fieldbookEngine().migrations.migrations;
  assert.deepEqual(
    recorded.map((r) => r.checksum),
    [SHIPPED['0001-initial'], SHIPPED['0002-tags'], SHIPPED['0003-numeric-values'], today[3]!.checksum, today[4]!.checksum, today[5]!.checksum],
    'versions 1–3 keep what 2.0.0 recorded; 4–6 record what ran now',
  );
  assert.deepEqual(
    rows(file, 'SELECT id, collected_on FROM samples ORDER BY id').map((r) => r.collected_on),
    ['2014-02-16', '2014-02-16', null, null, '2014-02-16', null, null, '2022-11-07'],
  );
  const issues = rows(file, 'SELECT row_id AS id, typeof(original_value) AS type, hex(original_value) AS bytes FROM data_issues WHERE schema_version = 4 ORDER BY row_id');
  assert.deepEqual(
    issues,
    before.filter((b) => [3, 4, 6, 7].includes(b.id as number)),
    'the NUL date and year 0000 are kept byte for byte, like 31/02 and "spring 2014"',
  );
});

test("a notebook 2.0.0 upgraded to 4 (2.0.0's 0004 checksum, mixed with today's 0005 and 0006 afterwards) is outdated, upgrades and is current; open and export read it", async () => {
  const file = fixture('v4');
  const c = classifyDocument(file, { engine: fieldbookEngine(), check: 'full' });
  assert.deepEqual([c.status, c.version, c.problem], ['outdated', 4, null]);
  const codes = rows(file, 'SELECT id, code FROM samples ORDER BY id');
  const exported = path.join(tempDir(), 'exported from 2.0.0 v4.fieldbook');
  await exportDocument(file, exported, { engine: testEngine(), asVersion: 4 });
  assert.deepEqual(rows(exported, 'SELECT id, code FROM samples ORDER BY id'), codes);
  const result = await upgradeDocument(file, { engine: testEngine() });
  assert.deepEqual([result.from, result.to, result.applied.map((s) => s.version)], [4, 6, [5, 6]]);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine(), check: 'full' }).status, 'current');
  const today = fieldbookEngine().migrations.migrations;
  assert.deepEqual(
    versionRows(file).map((r) => r.checksum),
    [...Object.values(SHIPPED).slice(0, 4), today[4]!.checksum, today[5]!.checksum],
    'versions 1–4 keep what 2.0.0 recorded; 5–6 record what ran now',
  );
  const handle = await openDocument(file, { engine: testEngine() });
  try {
    assert.deepEqual([handle.classification.status, handle.readOnly], ['current', false]);
  } finally {
    handle.close();
  }
});

test('a checksum no release shipped still makes a notebook newer: classify, open, upgrade and stamp refuse it', async () => {
  for (const version of [3, 5]) {
    const file = fixture('v6');
    withDb(file, (db) => db.prepare('UPDATE fieldbook_migrations SET checksum = ? WHERE version = ?').run(NEVER_RELEASED, version));
    const c = classifyDocument(file, { engine: fieldbookEngine() });
    assert.equal(c.status, 'newer', `a foreign checksum of migration ${version}`);
    assert.equal(c.problem?.code, 'TOO_NEW');
    assert.match(c.problem!.message, new RegExp(`records migration ${fieldbookEngine().migrations.migrations[version - 1]!.name} .*in a different form`));
    const doc = await openDocument(file, { engine: testEngine() });
    assert.equal(doc.readOnly, true, "a newer app's document opens read-only");
    doc.close();
    assert.throws(
      () => stampDocument(file, 6, { engine: fieldbookEngine() }),
      (e: unknown) => isFieldbookError(e) && e.code === 'TOO_NEW',
    );
  }
  const outdated = fixture('v3');
  withDb(outdated, (db) => db.prepare('UPDATE fieldbook_migrations SET checksum = ? WHERE version = 3').run(NEVER_RELEASED));
  await assert.rejects(upgradeDocument(outdated, { engine: testEngine() }), (e: unknown) => isFieldbookError(e) && e.code === 'TOO_NEW');
  assert.equal(versionRows(outdated).length, 3, 'nothing was upgraded');
});

test('stamp keeps the version rows 2.0.0 wrote (released checksums match) and adds only what is missing', () => {
  const file = fixture('v6');
  const before = versionRows(file);
  stampDocument(file, 6, { engine: fieldbookEngine() });
  assert.deepEqual(versionRows(file), before);
  const outdated = fixture('v3');
  const result = stampDocument(outdated, 4, { engine: fieldbookEngine() });
  assert.equal(result.to, 4);
  const after = versionRows(outdated);
  assert.deepEqual(after.slice(0, 3), versionRows(fixture('v3')), "rows 1–3 kept with 2.0.0's checksums");
  assert.deepEqual([after[3]!.checksum, after[3]!.method], [fieldbookEngine().migrations.migrations[3]!.checksum, 'stamp']);
});

// --- the manifest writer -------------------------------------------------------------------

/** A folder of plain-JS migrations (an embedding app's), `n` of them. */
function jsMigrations(n: number): string {
  const dir = tempDir('fieldbook-ledger-');
  for (let i = 1; i <= n; i++) {
    fs.writeFileSync(
      path.join(dir, `000${i}-t${i}.js`),
      `exports.message = 't${i}';\n` + `exports.up = ({ exec }) => exec('CREATE TABLE t${i} (id INTEGER PRIMARY KEY)');\nexports.down = ({ exec }) => exec('DROP TABLE t${i}');\n`,
    );
  }
  return dir;
}

const checksumOf = (file: string) => sourceChecksum(fs.readFileSync(file, 'utf8'));

test('the manifest writer keeps every checksum a release shipped, oldest first, once, and none without a ledger', async () => {
  const dir = jsMigrations(2);
  const first = path.join(dir, '0001-t1.js');
  const shipped1 = checksumOf(first);
  assert.equal(
    (await buildManifests({ sourceDir: dir, versionTable: 'v' })).source.migrations.some((m) => 'supersededChecksums' in m),
    false,
    'no ledger: nothing superseded',
  );
  fs.appendFileSync(first, '// fixed after 1.0\n');
  const shipped2 = checksumOf(first);
  fs.appendFileSync(first, '// fixed again after 1.1\n');
  fs.writeFileSync(
    path.join(dir, 'released.json'),
    JSON.stringify({
      '1.0.0': { '0001-t1': shipped1 },
      '1.1.0': { '0001-t1': shipped2, '0002-t2': checksumOf(path.join(dir, '0002-t2.js')) },
      '1.2.0': { '0001-t1': shipped2 },
    }),
  );
  const { source } = await buildManifests({ sourceDir: dir, versionTable: 'v' });
  assert.equal(source.migrations[0]!.checksum, checksumOf(first));
  assert.deepEqual(source.migrations[0]!.supersededChecksums, [shipped1, shipped2]);
  assert.equal(source.migrations[1]!.supersededChecksums, undefined, 'unchanged since its release');
});

test('the manifest writer refuses a ledger naming a migration that is gone, or one that is malformed', async () => {
  const dir = jsMigrations(1);
  const ledger = path.join(dir, 'released.json');
  fs.writeFileSync(ledger, JSON.stringify({ '1.0.0': { '0001-t1': checksumOf(path.join(dir, '0001-t1.js')), '0002-gone': 'cd'.repeat(32) } }));
  await assert.rejects(buildManifests({ sourceDir: dir, versionTable: 'v' }), /release 1\.0\.0 shipped migration 0002-gone, which is not in .*a released migration must stay/);
  for (const [text, message] of [
    ['{', /is not JSON/],
    ['[]', /must map each release/],
    ['{"1.0.0": {"0001-t1": "abc"}}', /gives 0001-t1 a checksum that is not a sha256/],
  ] as const) {
    fs.writeFileSync(ledger, text);
    await assert.rejects(buildManifests({ sourceDir: dir, versionTable: 'v' }), message);
  }
});

// --- fieldbook check -----------------------------------------------------------------------

/** A copy of the project's migrations folder (sources, manifest, ledger). */
function copyOfMigrations(): string {
  const dir = tempDir('fieldbook-released-');
  for (const f of fs.readdirSync(MIGRATIONS)) fs.copyFileSync(path.join(MIGRATIONS, f), path.join(dir, f));
  return dir;
}

function editJson<T>(file: string, change: (value: T) => void): void {
  const value = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  change(value);
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

function check(dir: string): { status: number; result: CheckResult; stdout: string } {
  const run = runCli(['check', '--dir', dir, '--json']);
  assert.ok(run.json, `JSON on stdout: ${run.stdout}${run.stderr}`);
  return { status: run.status, result: run.json as CheckResult, stdout: run.stdout };
}

const released = (r: CheckResult) => r.problems.filter((p) => p.check === 'released');

test('check passes on a copy of the project, ledger included', () => {
  const { status, result } = check(copyOfMigrations());
  assert.equal(status, 0, JSON.stringify(result.problems));
});

test('a checkout with CRLF line endings (git autocrlf) passes check: checksums and file sums normalise line endings; a real edit still fails', () => {
  const dir = copyOfMigrations();
  for (const f of fs.readdirSync(dir)) {
    const file = path.join(dir, f);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
  }
  assert.match(fs.readFileSync(path.join(dir, '0003-numeric-values.ts'), 'utf8'), /\r\n/);
  const { status, result } = check(dir);
  assert.equal(status, 0, JSON.stringify(result.problems));
  fs.appendFileSync(path.join(dir, '0004-instruments-dates.ts'), '// edited\r\n');
  const edited = check(dir);
  assert.equal(edited.status, 1);
  assert.deepEqual(
    edited.result.problems.filter((p) => p.check === 'manifest').map((p) => p.migration),
    ['0004-instruments-dates'],
  );
});

test('check fails when the manifest stops accepting a released checksum, naming the migration and the release', () => {
  const dir = copyOfMigrations();
  editJson<Manifest>(path.join(dir, 'manifest.json'), (m) => {
    delete m.migrations[2]!.supersededChecksums;
  });
  const { status, result } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(
    released(result).map((p) => p.migration),
    ['0003-numeric-values'],
  );
  assert.match(
    released(result)[0]!.message,
    /0003-numeric-values no longer accepts the checksum release 2\.0\.0 shipped it with \(d75a5b04df14…\).*refused as written by a newer app/,
  );
  const plain = runCli(['check', '--dir', dir]);
  assert.equal(plain.status, 1);
  assert.match(plain.stdout, /\[released\] 0003-numeric-values no longer accepts the checksum release 2\.0\.0 shipped/);
});

test('check fails when a released migration changed and the rebuilt manifest lost its released checksum', async () => {
  const dir = copyOfMigrations();
  const file = path.join(dir, '0002-tags.ts');
  fs.appendFileSync(file, '// a fix after 2.0.0\n');
  const rebuild = async () => {
    const { source } = await buildManifests({ sourceDir: dir, compiledDir: path.join(REPO_ROOT, 'dist', 'migrations'), versionTable: 'fieldbook_migrations' });
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(source, null, 2) + '\n');
  };
  await rebuild();
  assert.equal(check(dir).status, 0, "the build keeps 2.0.0's checksum of 0002 from the ledger");
  fs.rmSync(path.join(dir, 'released.json'));
  await rebuild();
  fs.writeFileSync(path.join(dir, 'released.json'), JSON.stringify(LEDGER));
  const { status, result } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(
    released(result).map((p) => p.migration),
    Object.keys(SHIPPED),
    'every migration changed since 2.0.0 (all six import the engine by its package name now)',
  );
  assert.ok(released(result).every((p) => /release 2\.0\.0 shipped/.test(p.message)));
});

test("check fails when the ledger loses a release's checksum that the manifest still accepts", () => {
  const dir = copyOfMigrations();
  editJson<Record<string, Record<string, string>>>(path.join(dir, 'released.json'), (l) => {
    delete l['2.0.0']!['0004-instruments-dates'];
  });
  const { status, result } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(
    released(result).map((p) => p.migration),
    ['0004-instruments-dates'],
  );
  assert.match(released(result)[0]!.message, /accepts checksum 771869f0d34e… for 0004-instruments-dates, which no release in released\.json shipped/);
});

test('check fails when a released migration is gone', () => {
  const dir = copyOfMigrations();
  fs.rmSync(path.join(dir, '0006-search-checked-values.ts'));
  editJson<Manifest>(path.join(dir, 'manifest.json'), (m) => {
    m.migrations.pop();
    delete m.files['0006-search-checked-values.ts'];
  });
  const { status, result } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(
    released(result).map((p) => p.message),
    ['release 2.0.0 shipped migration 0006-search-checked-values, which the manifest does not have: a released migration must stay (documents record it)'],
  );
});

test('check fails on a malformed ledger', () => {
  const dir = copyOfMigrations();
  fs.writeFileSync(path.join(dir, 'released.json'), '{"2.0.0": {"0001-initial": 42}}');
  const { status, result } = check(dir);
  assert.equal(status, 1);
  assert.match(released(result)[0]!.message, /release 2\.0\.0 gives 0001-initial a checksum that is not a sha256/);
});

test("with git, check fails when the ledger and the manifest both dropped a checksum that git HEAD's ledger records", () => {
  const dir = copyOfMigrations();
  const git = (...args: string[]) => {
    const run = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', '-C', dir, ...args], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  };
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'migrations as released');
  assert.equal(check(dir).status, 0);
  editJson<Record<string, Record<string, string>>>(path.join(dir, 'released.json'), (l) => {
    delete l['2.0.0']!['0003-numeric-values'];
  });
  editJson<Manifest>(path.join(dir, 'manifest.json'), (m) => {
    delete m.migrations[2]!.supersededChecksums;
  });
  const { status, result } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(
    released(result).map((p) => p.migration),
    ['0003-numeric-values'],
  );
  assert.match(released(result)[0]!.message, /released\.json no longer records the checksum release 2\.0\.0 shipped 0003-numeric-values with \(d75a5b04df14…, at git HEAD\)/);
});

test('the packaged manifest carries the released checksums too', () => {
  const compiled = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'migrations', 'manifest.json'), 'utf8')) as Manifest;
  const source = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'manifest.json'), 'utf8')) as Manifest;
  assert.deepEqual(
    compiled.migrations.map((m) => m.supersededChecksums),
    source.migrations.map((m) => m.supersededChecksums),
  );
  assert.equal(sha256(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'migrations', '0003-numeric-values.js'))), compiled.files['0003-numeric-values.js']);
});
