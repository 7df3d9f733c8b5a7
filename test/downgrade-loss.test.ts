/**
 * A downgrade reports what it loses before writing anything (the same list exportDocument's
 * `lost` gives), refuses with DATA_LOSS unless the loss is accepted, and lists it in its
 * result; the CLI asks on a terminal and needs --yes otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { main } from '../main/cli/main';
import type { Io } from '../main/cli/command';
import { classifyDocument, FieldbookError, exportDocument, type LostData, downgradeDocument, planDowngrade } from '@fieldbook/engine';
import { tempFolder } from '@fieldbook/engine/tooling';
import { CLI, documentAt, fileState, rows, runCli, tempDir, testEngine, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

process.env.FIELDBOOK_DATA_DIR = tempDir('fieldbook-downgrade-data-');

/** A head notebook with awkward tags (quotes, NUL, case), tag links, data issues, searchable text. */
function taggedNotebook(dir = tempDir(), name = "Feld 'notes' 2024.fieldbook"): string {
  const file = richHeadDocument(dir, name);
  withDb(file, (db) => {
    db.prepare('INSERT INTO tags (id, name) VALUES (?, ?), (?, ?)').run(4, 'it\'s "quoted"', 5, 'nul\u0000inside');
    db.exec("INSERT INTO sample_tags VALUES (13, 4), (13, 5); INSERT INTO samples (id, site_id, code, description) VALUES (15, 2, 'SELECT', 'keyword code')");
  });
  return file;
}

function dataLoss(expected?: LostData[]) {
  return (error: unknown): true => {
    assert.ok(error instanceof FieldbookError && error.code === 'DATA_LOSS', `expected DATA_LOSS, got ${String(error)}`);
    if (expected) assert.deepEqual(error.details.lost, expected);
    assert.match(error.message, /nothing was changed/);
    return true;
  };
}

function backupsIn(dir: string): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.fieldbook'))
    : [];
}

test('downgrade to 1 lists tags, tag links, data issues and later columns, refuses without acceptance, and lists them in its result', async () => {
  const dir = tempDir();
  const file = taggedNotebook(dir);
  const before = fileState(file);
  const engine = testEngine();
  const plan = await planDowngrade(file, { to: 1, engine });
  assert.deepEqual(fileState(file), before, 'planning wrote to the document');
  assert.deepEqual([plan.from, plan.to], [6, 1]);
  assert.deepEqual(plan.lost, [
    { table: 'attachments', column: null, rows: 2 },
    { table: 'data_issues', column: null, rows: 5 },
    { table: 'instruments', column: null, rows: 3 },
    { table: 'measurements', column: 'instrument_id', rows: 4 },
    { table: 'sample_tags', column: null, rows: 7 },
    { table: 'samples', column: 'created_at', rows: 6 },
    { table: 'tags', column: null, rows: 5 },
  ]);
  const exported = await exportDocument(file, path.join(dir, 'for-1.fieldbook'), { asVersion: 1, engine });
  assert.deepEqual(exported.lost, plan.lost, 'a downgrade loses exactly what an export at that version lists');

  await assert.rejects(downgradeDocument(file, { to: 1, engine }), dataLoss(plan.lost));
  await assert.rejects(downgradeDocument(file, { to: 1, engine, acceptLoss: false }), dataLoss());
  await assert.rejects(downgradeDocument(file, { to: 1, engine, acceptLoss: plan.lost.slice(1) }), dataLoss(), 'a partial acceptance');
  assert.deepEqual(fileState(file), before, 'a refused downgrade wrote to the document');
  assert.deepEqual(backupsIn(engine.backupDir), [], 'a refused downgrade took (and so pruned) backups');
  const trials = fs.readdirSync(tempFolder()).filter((f) => f.startsWith(`trial-${process.pid}-`));
  assert.deepEqual(trials, [], 'the private copies the loss was measured on are removed');

  const done = await downgradeDocument(file, { to: 1, engine, acceptLoss: plan.lost });
  assert.deepEqual([done.from, done.to, done.lost], [6, 1, plan.lost]);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine(), check: 'full' }).version, 1);
  assert.ok(done.backup && rows(done.backup, 'SELECT count(*) AS n FROM tags')[0]!.n === 5, 'the backup keeps the tags');
});

test('a downgrade gaining loss after its plan is refused; a shrinking one goes ahead; true accepts anything', async () => {
  const engine = testEngine();
  const file = taggedNotebook();
  const plan = await planDowngrade(file, { to: 'base+1', engine });
  withDb(file, (db) => db.exec("INSERT INTO tags (id, name) VALUES (6, 'added since')"));
  const before = fileState(file);
  await assert.rejects(downgradeDocument(file, { to: 1, engine, backup: false, acceptLoss: plan.lost }), dataLoss());
  assert.deepEqual(fileState(file), before);
  withDb(file, (db) => db.exec('DELETE FROM sample_tags WHERE tag_id = 5; DELETE FROM tags WHERE id IN (5, 6)'));
  const done = await downgradeDocument(file, { to: 1, engine, backup: false, acceptLoss: plan.lost });
  assert.deepEqual(
    done.lost.find((l) => l.table === 'tags'),
    { table: 'tags', column: null, rows: 4 },
  );

  const other = taggedNotebook();
  const any = await downgradeDocument(other, { to: 2, engine, backup: false, acceptLoss: true });
  assert.deepEqual(
    any.lost.map((l) => `${l.table}.${l.column}`),
    ['attachments.null', 'data_issues.null', 'instruments.null', 'measurements.instrument_id', 'samples.created_at'],
    'tags survive at version 2; search (FTS5) tables are never listed',
  );
});

test('a lossless downgrade needs no acceptance; going nowhere loses nothing', async () => {
  const engine = testEngine();
  const empty = documentAt(6);
  assert.deepEqual((await planDowngrade(empty, { to: 'base', engine })).lost, []);
  const result = await downgradeDocument(empty, { to: 'base', engine, backup: false });
  assert.deepEqual([result.to, result.lost], [0, []]);
  const same = documentAt(4);
  assert.deepEqual((await downgradeDocument(same, { to: 4, engine })).lost, []);
  const sites = documentAt(3);
  withDb(sites, (db) => db.exec("INSERT INTO sites (id, name) VALUES (1, 'kept'); INSERT INTO samples (id, site_id, code) VALUES (1, 1, 'a')"));
  assert.deepEqual((await downgradeDocument(sites, { to: 1, engine, backup: false })).lost, [], 'rows of version-1 tables survive');
  assert.equal(rows(sites, 'SELECT name FROM sites')[0]!.name, 'kept');
});

test('a WAL notebook: the plan and a refusal leave it and its folder as they were', async () => {
  const dir = tempDir();
  const file = taggedNotebook(dir, 'wal.fieldbook');
  withDb(file, (db) => db.pragma('journal_mode = WAL'));
  const before = [fileState(file), fs.readdirSync(dir).sort()];
  const plan = await planDowngrade(file, { engine: fieldbookEngine(), to: 1 });
  assert.ok(plan.lost.some((l) => l.table === 'tags'));
  await assert.rejects(downgradeDocument(file, { engine: fieldbookEngine(), to: 1, backup: false }), dataLoss(plan.lost));
  assert.deepEqual([fileState(file), fs.readdirSync(dir).sort()], before);
});

test('CLI: without a terminal a lossy downgrade needs --yes; with it, --json lists what export --as-version lists', () => {
  const dir = tempDir();
  const file = taggedNotebook(dir);
  const before = fileState(file);
  const refused = runCli(['downgrade', file, '--to', '1']);
  assert.equal(refused.status, 3, refused.stderr);
  assert.match(refused.stderr, /^error: DATA_LOSS: [^\n]*tags \(5 rows\)[^\n]*--yes[^\n]*\n$/);
  const asJson = runCli(['downgrade', file, '--to', '1', '--json']);
  assert.equal(asJson.status, 3);
  const error = (asJson.json as { error: { code: string; lost: LostData[] } }).error;
  assert.equal(error.code, 'DATA_LOSS');
  assert.deepEqual(fileState(file), before, 'a refused CLI downgrade wrote to the document');

  const exported = runCli(['export', file, '--out', path.join(dir, 'v1.fieldbook'), '--as-version', '1', '--json']);
  assert.equal(exported.status, 0, exported.stderr);
  assert.deepEqual(error.lost, (exported.json as { lost: LostData[] }).lost);
  const done = runCli(['downgrade', file, '--to', '1', '--yes', '--no-backup', '--json']);
  assert.equal(done.status, 0, done.stderr);
  assert.deepEqual((done.json as { lost: LostData[] }).lost, error.lost);
  const text = runCli(['downgrade', documentAt(6), '--to', '-2', '--no-backup']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /version 6 → 4.*\nnothing lost\n$/s);
});

/** An Io at a terminal that answers `answer`, recording what was shown and asked. */
function terminal(answer: string | null): Io & { lines: string[]; asked: string[] } {
  const lines: string[] = [];
  const asked: string[] = [];
  return {
    lines,
    asked,
    isTerminal: true,
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
    ask: async (q) => {
      asked.push(q);
      return answer;
    },
  };
}

test('CLI on a terminal: the loss is shown and confirmed with y; anything else changes nothing', async () => {
  for (const answer of ['n', '', null, 'maybe']) {
    const file = taggedNotebook();
    const before = fileState(file);
    const io = terminal(answer);
    assert.equal(await main(['downgrade', file, '--to', '1', '--no-backup'], io), 3);
    assert.deepEqual(io.asked, ['Downgrade and lose this? [y/N] ']);
    assert.ok(
      io.lines.some((l) => /^ {2}tags: 5 rows$/.test(l)),
      io.lines.join('\n'),
    );
    assert.ok(
      io.lines.some((l) => /^error: DATA_LOSS: not confirmed/.test(l)),
      io.lines.join('\n'),
    );
    assert.deepEqual(fileState(file), before, `answer ${String(answer)} changed the document`);
  }
  const file = taggedNotebook();
  const io = terminal(' Y ');
  assert.equal(await main(['downgrade', file, '--to', '1', '--no-backup'], io), 0, io.lines.join('\n'));
  assert.ok(
    io.lines.some((l) => l.startsWith('lost: ') && l.includes('sample_tags (7 rows)')),
    io.lines.join('\n'),
  );
  assert.equal(new Database(file, { readonly: true }).pragma('user_version', { simple: true }), 1);

  const lossless = terminal(null);
  lossless.ask = async () => assert.fail('a lossless downgrade asked');
  assert.equal(await main(['downgrade', documentAt(6), '--to', '1', '--no-backup'], lossless), 0, lossless.lines.join('\n'));
  const yes = terminal(null);
  yes.ask = async () => assert.fail('--yes asked');
  assert.equal(await main(['downgrade', taggedNotebook(), '--to', '1', '-y', '--no-backup'], yes), 0, yes.lines.join('\n'));
});

test('CLI on a real terminal (util-linux script): the question is asked on the pty and "n" leaves the notebook as it was', () => {
  const file = taggedNotebook();
  const before = fileState(file);
  const command = [process.execPath, CLI, 'downgrade', file, '--to', '1', '--no-backup'].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const run = spawnSync('script', ['-qec', command, '/dev/null'], { input: 'n\n', encoding: 'utf8', timeout: 60_000, env: { ...process.env, FIELDBOOK_DATA_DIR: tempDir() } });
  assert.equal(run.status, 3, `${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /tags: 5 rows/);
  assert.match(run.stdout, /Downgrade and lose this\? \[y\/N\]/);
  assert.match(run.stdout, /error: DATA_LOSS: not confirmed/);
  assert.deepEqual(fileState(file), before);
});

test('a document that cannot be downgraded is refused by the plan with its own path, before any copy', async () => {
  const file = documentAt(6, tempDir(), 'altered "schema".fieldbook');
  withDb(file, (db) => db.exec('CREATE TABLE "my notes" (x)'));
  const before = fileState(file);
  for (const run of [() => planDowngrade(file, { engine: fieldbookEngine(), to: 1 }), () => downgradeDocument(file, { engine: fieldbookEngine(), to: 1, acceptLoss: true })]) {
    await assert.rejects(run(), (e: unknown) => e instanceof FieldbookError && e.code === 'UNKNOWN_SCHEMA' && e.message.startsWith(file) && !e.message.includes('trial-'));
  }
  assert.deepEqual(fileState(file), before);
  await assert.rejects(planDowngrade(file, { engine: fieldbookEngine(), to: 7 }), (e: unknown) => e instanceof FieldbookError && e.code === 'BAD_TARGET');
});
