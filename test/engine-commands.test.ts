/**
 * The engine's command functions (Alembic's command.py: current, history, show, upgrade,
 * downgrade), which the CLI only parses for and prints: each on real documents and Fieldbook's
 * bundled migrations.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import {
  confirmedDowngrade,
  currentVersion,
  type DowngradePlan,
  isFieldbookError,
  migrationHistory,
  showMigration,
  type UpgradeManySummary,
  upgradePaths,
} from '@fieldbook/engine';
import { sourceChecksum } from '@fieldbook/engine/tooling';
import { beta09Document, documentAt, fileState, rows, tempDir, testEngine, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';

const code =
  (expected: string, message?: RegExp) =>
  (error: unknown): true => {
    assert.ok(isFieldbookError(error, expected as never), `expected ${expected}, got ${String(error)}`);
    if (message) assert.match((error as Error).message, message);
    return true;
  };

test('currentVersion: the version, the last migration and the head; a newer document too; a file with no version refused', () => {
  const engine = testEngine();
  const dir = tempDir();
  assert.deepEqual(currentVersion(documentAt(4, dir), { engine }), {
    path: path.join(dir, 'v4.fieldbook'),
    version: 4,
    name: '0004-instruments-dates',
    head: 6,
    status: 'outdated',
  });
  assert.deepEqual(currentVersion(beta09Document(dir), { engine }), { path: path.join(dir, 'beta.fieldbook'), version: 0, name: null, head: 6, status: 'legacy' });
  const newer = documentAt(6, dir, 'newer.fieldbook');
  withDb(newer, (db) => {
    db.exec("INSERT INTO fieldbook_migrations VALUES (7, '0007-future', 'x', '2030-01-01', '3.0', 1, 'migrate')");
    db.pragma('user_version = 7');
  });
  assert.deepEqual([currentVersion(newer, { engine }).version, currentVersion(newer, { engine }).name, currentVersion(newer, { engine }).status], [7, '0007-future', 'newer']);
  const text = path.join(dir, 'notes.fieldbook');
  fs.writeFileSync(text, 'plain text');
  assert.throws(() => currentVersion(text, { engine }), code('NOT_SQLITE'));
  assert.throws(() => currentVersion(path.join(dir, 'missing.fieldbook'), { engine }), code('NOT_FOUND'));
});

test('migrationHistory: every migration, or those after FROM up to TO; paths only when verbose; relative targets refused', () => {
  const engine = testEngine();
  const all = migrationHistory({ engine });
  assert.equal(all.head, 6);
  assert.deepEqual(
    all.migrations.map((m) => m.version),
    [1, 2, 3, 4, 5, 6],
  );
  assert.ok(all.migrations.every((m) => !('path' in m) && /^[0-9a-f]{64}$/.test(m.checksum)));
  assert.deepEqual(
    migrationHistory({ engine, from: 2, to: '0004' }).migrations.map((m) => m.name),
    ['0003-numeric-values', '0004-instruments-dates'],
  );
  assert.deepEqual(
    migrationHistory({ engine, from: 'head-1' }).migrations.map((m) => m.version),
    [6],
  );
  assert.deepEqual(migrationHistory({ engine, to: 'base' }).migrations, []);
  const verbose = migrationHistory({ engine, to: 1, verbose: true }).migrations;
  assert.equal(verbose.length, 1);
  assert.ok(verbose[0]!.path && fs.existsSync(verbose[0]!.path));
  assert.throws(() => migrationHistory({ engine, from: '-1' }), code('BAD_TARGET', /relative target/));
  assert.throws(() => migrationHistory({ engine, to: '0009' }), code('BAD_TARGET'));
});

test('showMigration: message, checksum, the TypeScript source its checksum proves, and the up and down SQL; base is no migration', async () => {
  const engine = testEngine();
  const shown = await showMigration('0003', { engine });
  assert.deepEqual([shown.version, shown.name, shown.hasDown], [3, '0003-numeric-values', true]);
  assert.equal(sourceChecksum(shown.source), shown.checksum, 'the source shown is the one the checksum was taken of');
  assert.match(shown.source, /export (async )?function up/);
  assert.match(shown.upSql, /CREATE TABLE/);
  assert.notEqual(shown.downSql, null);
  assert.notEqual(shown.upSql, shown.downSql);
  assert.equal((await showMigration('head', { engine })).version, 6);
  await assert.rejects(showMigration('base', { engine }), code('USAGE', /base is not a migration/));
  await assert.rejects(showMigration('-1', { engine }), code('BAD_TARGET'));
});

test('upgradePaths: one file is upgradeDocument (its failure thrown); a folder is a batch with a summary; a stopped batch is ABORTED with its summary', async () => {
  const engine = testEngine();
  const dir = tempDir();
  const one = documentAt(3, dir, 'one.fieldbook');
  const steps: string[] = [];
  const single = await upgradePaths([one], { engine, backup: false, onStep: (s) => steps.push(s.name) });
  assert.ok(!('totals' in single));
  assert.deepEqual([single.from, single.to, steps.length], [3, 6, 3]);
  await assert.rejects(upgradePaths([path.join(dir, 'missing.fieldbook')], { engine }), code('NOT_FOUND'));

  const folder = path.join(dir, 'folder');
  fs.mkdirSync(folder);
  documentAt(2, folder, 'a.fieldbook');
  documentAt(6, folder, 'b.fieldbook');
  const batch = (await upgradePaths([folder], { engine, backup: false })) as UpgradeManySummary;
  assert.deepEqual([batch.ok, batch.totals.upgraded, batch.totals.current], [true, 1, 1]);
  const alone = (await upgradePaths([documentAt(4, dir, 'alone.fieldbook')], { engine, backup: false, recursive: true })) as UpgradeManySummary;
  assert.equal(alone.totals.upgraded, 1, '--recursive makes even one file a batch');

  const stopped = path.join(dir, 'stopped');
  fs.mkdirSync(stopped);
  const waiting = documentAt(2, stopped, 'c.fieldbook');
  const before = fileState(waiting);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(upgradePaths([stopped], { engine, backup: false, signal: controller.signal }), (error: unknown) => {
    code('ABORTED', /^stopped: 0 upgraded, 1 left at their old version/)(error);
    assert.equal((error as { details: { summary: UpgradeManySummary } }).details.summary.files[0]!.error?.code, 'ABORTED');
    return true;
  });
  assert.deepEqual(fileState(waiting), before);
});

test('confirmedDowngrade asks only when data would be lost, downgrades on yes accepting what it showed, and on no leaves the file as it was (DATA_LOSS)', async () => {
  const engine = testEngine();
  const dir = tempDir();
  const asked: DowngradePlan[] = [];
  const lossless = documentAt(6, dir, 'empty.fieldbook');
  const quiet = await confirmedDowngrade(lossless, {
    engine,
    to: 4,
    backup: false,
    confirmLoss: async (plan) => {
      asked.push(plan);
      return true;
    },
  });
  assert.deepEqual([quiet.to, quiet.lost, asked.length], [4, [], 0], 'nothing lost, nothing asked');

  const refused = richHeadDocument(dir, 'refused.fieldbook');
  const before = fileState(refused);
  await assert.rejects(
    confirmedDowngrade(refused, {
      engine,
      to: 4,
      backup: false,
      confirmLoss: async (plan) => {
        asked.push(plan);
        return false;
      },
    }),
    (error: unknown) => {
      code('DATA_LOSS', /^not confirmed: .*refused\.fieldbook was not changed \(it would lose /)(error);
      assert.deepEqual((error as { details: { lost: unknown } }).details.lost, asked[0]!.lost);
      return true;
    },
  );
  assert.ok(
    asked[0]!.lost.some((l) => l.table === 'attachments'),
    'the plan shown lists the attachments version 4 cannot hold',
  );
  assert.deepEqual(fileState(refused), before);

  const accepted = richHeadDocument(dir, 'accepted.fieldbook');
  const done = await confirmedDowngrade(accepted, { engine, to: 4, backup: false, confirmLoss: async () => true });
  assert.deepEqual([done.to, done.lost], [4, asked[0]!.lost]);
  assert.equal(rows(accepted, 'PRAGMA user_version')[0]!.user_version, 4);

  const interrupted = richHeadDocument(dir, 'interrupted.fieldbook');
  const controller = new AbortController();
  await assert.rejects(
    confirmedDowngrade(interrupted, { engine, to: 4, backup: false, signal: controller.signal, confirmLoss: async () => (controller.abort(), true) }),
    code('ABORTED', /the question was interrupted/),
  );
  assert.equal(rows(interrupted, 'PRAGMA user_version')[0]!.user_version, 6);
  const unasked = richHeadDocument(dir, 'unasked.fieldbook');
  await assert.rejects(confirmedDowngrade(unasked, { engine, to: 4, backup: false }), code('DATA_LOSS'), 'without confirmLoss, acceptLoss alone decides');
});
