import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import {
  type BundledMigrations,
  classifyDocument,
  createEngine,
  type Engine,
  isFieldbookError,
  MigrationError,
  type MigrationModule,
  downgradeDocument,
  upgradeDocument,
} from '@fieldbook/engine';
import { FIELDBOOK_APPLICATION_ID, fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { schemaFingerprint } from '@fieldbook/engine/tooling';
import { beta09Document, documentAt, fileState, rows, tempDir, testEngine, withDb } from './helpers/fixtures';
import Database from 'better-sqlite3';

const fingerprint = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return schemaFingerprint(db, 'fieldbook_migrations');
  } finally {
    db.close();
  }
};

/** Fieldbook's engine, but with some migrations replaced (to make them fail). */
function engineWith(replace: Record<number, MigrationModule>, backupDir = tempDir()): Engine {
  const real = fieldbookEngine().migrations;
  const migrations: BundledMigrations = { ...real, load: (m) => replace[m.version] ?? real.load(m) };
  return createEngine({
    applicationId: FIELDBOOK_APPLICATION_ID,
    versionTable: 'fieldbook_migrations',
    appName: 'Fieldbook',
    appVersion: 'test',
    adoptUnversionedAs: 1,
    migrations,
    backupDir,
  });
}

function seedVersion1(file: string): void {
  withDb(file, (db) =>
    db.exec(`INSERT INTO sites VALUES (1, 'Ridge', 46.5, 7.25), (2, 'Far', 95, 0);
    INSERT INTO samples VALUES (1, 1, 'R-1', '3/4/2019', 'first'), (2, 1, 'R-1', 'spring', NULL), (3, 2, '', NULL, 'x');
    INSERT INTO measurements VALUES (1, 1, 'pH', '7,1', NULL), (2, 2, 'depth', ' 12 ', 'm'), (3, 3, 'note', 'n/a', NULL);`),
  );
}

test('created at head and a 0.9 file upgraded to head have identical schemas (and so at every version)', async () => {
  const engine = testEngine();
  for (let version = 1; version <= engine.migrations.head; version++) {
    const beta = beta09Document(tempDir());
    await upgradeDocument(beta, { to: version, backup: false, engine });
    const fromBase = documentAt(0);
    await upgradeDocument(fromBase, { to: version, backup: false, engine });
    const created = documentAt(version);
    assert.equal(fingerprint(beta), fingerprint(created), `0.9 upgraded to ${version} = created at ${version}`);
    assert.equal(fingerprint(fromBase), fingerprint(created), `base upgraded to ${version} = created at ${version}`);
    assert.equal(classifyDocument(beta, { engine, check: 'quick' }).problem, null);
  }
});

test('an upgrade backs up first, reports the backup, and keeps the last 5 per document', async () => {
  const backupDir = tempDir();
  const engine = testEngine(backupDir);
  const file = documentAt(1);
  seedVersion1(file);
  const original = rows(file, 'SELECT * FROM measurements ORDER BY id');
  const first = await upgradeDocument(file, { engine });
  assert.ok(first.backup && fs.existsSync(first.backup), 'the result names an existing backup');
  assert.ok(first.backup.startsWith(backupDir + path.sep));
  const backup = classifyDocument(first.backup, { engine, check: 'quick' });
  assert.equal(backup.status, 'outdated');
  assert.equal(backup.version, 1);
  assert.deepEqual(rows(first.backup, 'SELECT * FROM measurements ORDER BY id'), original, 'the backup holds the old content');
  for (let i = 0; i < 6; i++) {
    await downgradeDocument(file, { to: 5, engine, acceptLoss: true });
    await upgradeDocument(file, { engine });
  }
  const folder = path.dirname(first.backup);
  const kept = fs.readdirSync(folder);
  assert.equal(kept.length, 5, `5 backups kept, found ${kept.join(', ')}`);
  assert.ok(!kept.includes(path.basename(first.backup)), 'the oldest backups were removed');
});

test('a failing migration rolls the document back to its exact original bytes and names the step', async () => {
  const file = documentAt(1);
  seedVersion1(file);
  const before = fileState(file);
  const engine = engineWith({
    5: {
      up(ctx) {
        ctx.exec('DELETE FROM measurements');
        ctx.exec("UPDATE samples SET code = 'clobbered'");
        throw new Error('disk on fire');
      },
    },
  });
  const error = await upgradeDocument(file, { engine }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof MigrationError, `got ${String(error)}`);
  assert.equal(error.code, 'MIGRATION_FAILED');
  assert.equal(error.migration, '0005-attachments-unique-codes');
  assert.match(error.message, /disk on fire/);
  assert.ok(typeof error.details.backup === 'string' && fs.existsSync(error.details.backup), 'the error names the backup');
  assert.deepEqual(fileState(file), before, 'document and journal exactly as before');
});

test('a migration that leaves the wrong schema or broken foreign keys fails validation and is rolled back', async () => {
  const cases: [string, MigrationModule, RegExp][] = [
    ['schema', { up: (ctx) => ctx.exec('CREATE TABLE stray (x)') }, /migration 0002-tags \(up\) failed: .*does not match version 2.*unexpected table stray/],
    [
      'foreign keys',
      {
        up: (ctx) => {
          fieldbookEngine().migrations.load(fieldbookEngine().migrations.migrations[1]!).up(ctx);
          ctx.exec('INSERT INTO sample_tags VALUES (999, 999)');
        },
      },
      /validation of version 6 .*foreign key violations/,
    ],
  ];
  for (const [label, migration, why] of cases) {
    const file = documentAt(1);
    seedVersion1(file);
    const before = fileState(file);
    const error = await upgradeDocument(file, { engine: engineWith({ 2: migration }), backup: false }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(isFieldbookError(error, 'MIGRATION_FAILED'), `${label}: got ${String(error)}`);
    assert.match((error as Error).message, why, label);
    assert.deepEqual(fileState(file), before, `${label}: file unchanged`);
  }
});

test('a document goes down to base and back up to head with its version-1 data intact', async () => {
  const engine = testEngine();
  const file = documentAt(1);
  withDb(file, (db) =>
    db.exec(`INSERT INTO sites VALUES (1, 'Ridge', 46.5, 7.25);
    INSERT INTO samples VALUES (1, 1, 'R-1', '2019-04-03', 'first'), (2, 1, 'R-2', NULL, NULL);
    INSERT INTO measurements VALUES (1, 1, 'pH', '7.5', NULL), (2, 2, 'depth', '12.0', 'm');`),
  );
  await upgradeDocument(file, { engine, backup: false });
  const head = (t: string) => rows(file, `SELECT * FROM ${t} ORDER BY id`);
  const measurementsAtHead = head('measurements');
  for (let to = engine.migrations.head - 1; to >= 1; to--) {
    const result = await downgradeDocument(file, { to, engine, backup: false, acceptLoss: true });
    assert.equal(result.to, to);
    assert.equal(classifyDocument(file, { engine, check: 'quick' }).status, 'outdated');
  }
  assert.deepEqual(head('samples'), [
    { id: 1, site_id: 1, code: 'R-1', collected: '2019-04-03', notes: 'first' },
    { id: 2, site_id: 1, code: 'R-2', collected: null, notes: null },
  ]);
  await upgradeDocument(file, { engine, backup: false });
  assert.deepEqual(head('measurements'), measurementsAtHead);
});

test('upgrade refuses a target behind the document and downgrade one ahead of it', async () => {
  const file = documentAt(3);
  const engine = testEngine();
  await assert.rejects(upgradeDocument(file, { to: 2, engine }), (e: unknown) => isFieldbookError(e, 'BAD_TARGET'));
  await assert.rejects(downgradeDocument(file, { to: 4, engine }), (e: unknown) => isFieldbookError(e, 'BAD_TARGET'));
  await assert.rejects(upgradeDocument(file, { to: 'nope', engine }), (e: unknown) => isFieldbookError(e, 'BAD_TARGET'));
  const same = await upgradeDocument(file, { to: 3, engine });
  assert.deepEqual([same.from, same.to, same.backup, same.applied], [3, 3, null, []]);
});

test('a document carrying the FBK1 bytes as application_id is read as Fieldbook and rewritten on upgrade', async () => {
  const file = documentAt(4);
  withDb(file, (db) => db.pragma(`application_id = ${0x46424b31}`));
  assert.equal(classifyDocument(file, { engine: fieldbookEngine() }).status, 'outdated');
  await upgradeDocument(file, { engine: testEngine(), backup: false });
  assert.equal(rows(file, 'PRAGMA application_id')[0]!.application_id, FIELDBOOK_APPLICATION_ID);
});

test('an altered schema is refused before anything is written (UNKNOWN_SCHEMA)', async () => {
  const file = documentAt(3);
  withDb(file, (db) => db.exec('CREATE INDEX mine ON measurements(kind)'));
  const before = fileState(file);
  await assert.rejects(
    upgradeDocument(file, { engine: testEngine() }),
    (e: unknown) => isFieldbookError(e, 'UNKNOWN_SCHEMA') && /unexpected index mine/.test((e as Error).message),
  );
  assert.deepEqual(fileState(file), before);
  const checked = classifyDocument(file, { engine: fieldbookEngine(), check: 'quick' });
  assert.equal(checked.status, 'damaged');
  assert.equal(checked.problem?.code, 'UNKNOWN_SCHEMA');
});

test('migrations get a Sequelize query interface on the same connection, inside the same transaction', async () => {
  const file = documentAt(1);
  const engine = engineWith({
    2: {
      async up(ctx) {
        fieldbookEngine().migrations.load(fieldbookEngine().migrations.migrations[1]!).up(ctx);
        await ctx.queryInterface.bulkInsert('tags', [{ id: 1, name: 'added through Sequelize' }]);
      },
    },
    3: {
      up: () => {
        throw new Error('stop here');
      },
    },
  });
  await assert.rejects(upgradeDocument(file, { engine, backup: false }), /stop here/);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine() }).version, 1, 'the Sequelize write was rolled back with the rest');
  await upgradeDocument(file, {
    engine: engineWith({
      2: {
        async up(ctx) {
          fieldbookEngine().migrations.load(fieldbookEngine().migrations.migrations[1]!).up(ctx);
          await ctx.queryInterface.bulkInsert('tags', [{ id: 1, name: 'added through Sequelize' }]);
        },
      },
    }),
    backup: false,
    to: 2,
  });
  assert.deepEqual(rows(file, 'SELECT id, name FROM tags'), [{ id: 1, name: 'added through Sequelize' }]);
});
