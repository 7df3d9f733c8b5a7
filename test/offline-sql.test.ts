import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { type BundledMigrations, createEngine, type MigrationModule, isFieldbookError, downgradeDocument, upgradeDocument, renderMigrationSql } from '@fieldbook/engine';
import { FIELDBOOK_APPLICATION_ID, fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { schemaFingerprint } from '@fieldbook/engine/tooling';
import { documentAt, runCli, tempDir, withDb } from './helpers/fixtures';

const HEAD = fieldbookEngine().migrations.head;

/** A version-1 document holding every value the conversions of versions 3–6 touch. */
function seededVersion1(dir: string): string {
  const file = documentAt(1, dir, 'seed.fieldbook');
  withDb(file, (db) =>
    db.exec(`
    INSERT INTO sites VALUES (1, 'River', 46.5, 7.25), (2, 'Far north', 95, 10), (3, 'Nowhere', NULL, NULL);
    INSERT INTO samples VALUES (1, 1, 'R-1', '3/4/2019', 'first'), (2, 1, 'R-1', ' 2019-04-05T10:00 ', NULL), (3, 1, 'R-1-2', 'spring', 'x'),
      (4, 2, '', '31/02/2020', 'empty code'), (5, 2, 'sample-4', '1.2.2021', NULL), (6, NULL, 'loose', NULL, 'no site');
    INSERT INTO measurements VALUES (1, 1, 'pH', '7,1', NULL), (2, 2, 'depth', ' 12 ', 'm'), (3, 3, 'note', 'n/a', NULL),
      (4, 4, 'pH', '1e3', NULL), (5, 5, 'pH', '', NULL), (6, 6, 'pH', NULL, NULL), (7, 1, 'pH', '-.5', 'x');`),
  );
  return file;
}

/** Everything a document holds that does not depend on when or by whom it was migrated. */
function contents(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'samples_fts%' ORDER BY name")
      .pluck()
      .all() as string[];
    const dump: Record<string, unknown> = {
      fingerprint: schemaFingerprint(db, 'fieldbook_migrations'),
      user_version: db.pragma('user_version', { simple: true }),
      application_id: db.pragma('application_id', { simple: true }),
    };
    for (const table of tables) {
      const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[])
        .map((c) => {
          if (table === 'fieldbook_migrations' && !['version', 'name', 'checksum'].includes(c)) return null;
          return c === 'created_at' ? `${c} IS NOT NULL AS ${c}` : `"${c}"`;
        })
        .filter(Boolean);
      dump[table] = db.prepare(`SELECT ${columns.join(', ')} FROM "${table}" ORDER BY rowid`).all();
    }
    if (tables.includes('samples') && db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'samples_fts'").get()) {
      dump.search = db.prepare("SELECT rowid FROM samples_fts WHERE samples_fts MATCH 'first OR code OR site' ORDER BY rowid").pluck().all();
    }
    return dump;
  } finally {
    db.close();
  }
}

function runScript(file: string, sql: string): void {
  const run = spawnSync('sqlite3', ['-bail', file], { input: sql, encoding: 'utf8' });
  assert.equal(run.status, 0, `sqlite3 failed: ${run.stderr}`);
}

test('for every pair of versions, the offline script run by the sqlite3 shell gives what the online migration gives', async () => {
  assert.ok(spawnSync('sqlite3', ['-version']).status === 0, 'the sqlite3 command-line shell is needed (apt-get install sqlite3)');
  const dir = tempDir();
  const seed = seededVersion1(dir);
  // The document at each version, reached online from the seeded version 1 (base has no data).
  const at: string[] = [documentAt(0, dir, 'at-0.fieldbook')];
  for (let v = 1; v <= HEAD; v++) {
    const file = path.join(dir, `at-${v}.fieldbook`);
    fs.copyFileSync(seed, file);
    await upgradeDocument(file, { engine: fieldbookEngine(), to: v, backup: false });
    at.push(file);
  }
  let pairs = 0;
  for (let from = 0; from <= HEAD; from++) {
    for (let to = 0; to <= HEAD; to++) {
      if (from === to) continue;
      const online = path.join(dir, `online-${from}-${to}.fieldbook`);
      const offline = path.join(dir, `offline-${from}-${to}.fieldbook`);
      fs.copyFileSync(at[from]!, online);
      fs.copyFileSync(at[from]!, offline);
      if (to > from) await upgradeDocument(online, { engine: fieldbookEngine(), to, backup: false });
      else await downgradeDocument(online, { engine: fieldbookEngine(), to, backup: false, acceptLoss: true });
      runScript(offline, (await renderMigrationSql({ engine: fieldbookEngine(), from, to })).sql);
      assert.deepEqual(contents(offline), contents(online), `${from} → ${to}: the offline script and the online migration disagree`);
      pairs++;
    }
  }
  assert.equal(pairs, (HEAD + 1) * HEAD);
});

test('a script refuses to commit a document whose foreign keys it would leave broken', async () => {
  const file = documentAt(5);
  withDb(file, (db) => db.exec("INSERT INTO measurements (id, sample_id, kind) VALUES (1, 999, 'orphan')"));
  const before = fs.readFileSync(file);
  const run = spawnSync('sqlite3', ['-bail', file], { input: (await renderMigrationSql({ engine: fieldbookEngine(), from: 5, to: 6 })).sql, encoding: 'utf8' });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /CHECK constraint failed/);
  assert.ok(fs.readFileSync(file).equals(before), 'nothing was committed');
});

test('a migration that reads the document in JavaScript cannot be rendered, and says which one', async () => {
  const real = fieldbookEngine().migrations;
  const readsInJs: MigrationModule = { up: (ctx) => void ctx.db.prepare('SELECT 1').get() };
  const migrations: BundledMigrations = { ...real, load: (m) => (m.version === 2 ? readsInJs : real.load(m)) };
  const engine = createEngine({ applicationId: FIELDBOOK_APPLICATION_ID, versionTable: 'fieldbook_migrations', appName: 'Fieldbook', appVersion: 'test', migrations });
  await assert.rejects(renderMigrationSql({ engine, from: 1, to: 2 }), (e: unknown) => isFieldbookError(e, 'NOT_RENDERABLE') && /0002-tags/.test((e as Error).message));
});

test('fieldbook sql takes ranges like Alembic and targets like every other command', () => {
  const ranged = runCli(['sql', '3:5']);
  assert.equal(ranged.status, 0, ranged.stderr);
  assert.match(ranged.stdout, /0004-instruments-dates \(up\)/);
  assert.match(ranged.stdout, /0005-attachments-unique-codes \(up\)/);
  assert.doesNotMatch(ranged.stdout, /0003-numeric-values \(up\)|0006/);
  const down = runCli(['sql', '--down', '--json']);
  assert.deepEqual([(down.json as { from: number }).from, (down.json as { to: number }).to], [HEAD, 0]);
  const relative = runCli(['sql', '--from', '2', '--to', '+1', '--json']);
  assert.equal((relative.json as { to: number }).to, 3);
  assert.equal(runCli(['sql', 'nonsense']).status, 2);
  const show = runCli(['show', '0003', '--json']);
  assert.equal(show.status, 0, show.stderr);
  assert.match((show.json as { source: string }).source, /export function up/);
});
