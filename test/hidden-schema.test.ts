/**
 * Issue 8, item 6: every object in sqlite_schema that is not SQLite's own counts. Triggers and
 * views forged with `sqlite_` names (PRAGMA writable_schema), triggers and indexes on the version
 * table, a version table of another shape, tables that only look like FTS shadow tables: each is
 * refused with UNKNOWN_SCHEMA naming the object, before any write (the bytes of the file and its
 * journal are unchanged, no trigger fires), by upgrade, downgrade, stamp, info --check and the
 * 0.9 adoption. SQLite's real internal objects (autoindexes, sqlite_sequence, sqlite_stat*) and
 * FTS5's shadow tables stay invisible.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import Database from 'better-sqlite3';
import { classifyDocument, exportDocument, isFieldbookError, downgradeDocument, upgradeDocument, openDocument, stampDocument } from '@fieldbook/engine';
import { quoteIdent, readSchema } from '@fieldbook/engine/tooling';
import { beta09Document, documentAt, fileState, runCli, tempDir, testEngine, withDb } from './helpers/fixtures';

const VERSION_TABLE = 'fieldbook_migrations';

/** Adds a measurement-deleting trigger or a view, then renames it in sqlite_schema (writable_schema) to `name`. */
function forge(file: string, kind: 'trigger' | 'view' | 'index', name: string, on = 'samples'): void {
  const db = new Database(file);
  try {
    const temp = 'tmp_forged_object';
    if (kind === 'trigger') db.exec(`CREATE TRIGGER ${temp} AFTER UPDATE ON ${on} BEGIN DELETE FROM measurements; END`);
    else if (kind === 'view') db.exec(`CREATE VIEW ${temp} AS SELECT id FROM ${on}`);
    else db.exec(`CREATE INDEX ${temp} ON ${on}(id)`);
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET name = ?, tbl_name = CASE type WHEN 'view' THEN ? ELSE tbl_name END, sql = replace(sql, ?, ?) WHERE name = ?").run(
      name,
      name,
      temp,
      quoteIdent(name),
      temp,
    );
    db.pragma('writable_schema = OFF');
  } finally {
    db.close();
  }
  // The forged object really is live: SQLite loads it.
  withDb(file, (db) => assert.ok((db.prepare('SELECT count(*) AS n FROM sqlite_schema WHERE name = ?').get(name) as { n: number }).n === 1));
}

function seed(file: string, version: number): void {
  withDb(file, (db) => {
    db.exec("INSERT INTO sites (id, name) VALUES (1, 'Ridge')");
    if (version >= 4) db.exec("INSERT INTO samples (id, site_id, code, description) VALUES (1, 1, 'R-1', 'x'), (2, 1, 'R-2', 'y')");
    else db.exec("INSERT INTO samples (id, site_id, code, notes) VALUES (1, 1, 'R-1', 'x'), (2, 1, 'R-2', 'y')");
    db.exec("INSERT INTO measurements (id, sample_id, kind, value) VALUES (1, 1, 'pH', '7'), (2, 2, 'pH', '8')");
  });
}

function measurementCount(file: string): number {
  return withDb(file, (db) => (db.prepare('SELECT count(*) AS n FROM measurements').get() as { n: number }).n);
}

/** Whether a message names the object, as written or quoted as SQL would quote it. */
function names(message: string, name: string): boolean {
  return message.includes(name) || message.includes(quoteIdent(name));
}

async function rejects(what: string, name: string, run: () => unknown): Promise<void> {
  await assert.rejects(
    async () => run(),
    (error: unknown) => {
      assert.ok(isFieldbookError(error, 'UNKNOWN_SCHEMA'), `${what}: expected UNKNOWN_SCHEMA, got ${String(error)}`);
      assert.ok(names((error as Error).message, name), `${what}: the message names ${name}: ${(error as Error).message}`);
      return true;
    },
  );
}

/** Every write path refuses the document, names the object, and leaves every byte (and the measurements) as they were. */
async function assertRefusedEverywhere(file: string, name: string, version: number): Promise<void> {
  const engine = testEngine();
  const before = fileState(file);
  const measurements = measurementCount(file);
  const c = classifyDocument(file, { engine });
  assert.equal(c.problem?.code, 'UNKNOWN_SCHEMA', `classify: ${JSON.stringify(c.problem)}`);
  assert.ok(names(c.problem!.message, name), c.problem!.message);
  await rejects('upgrade', name, () => upgradeDocument(file, { engine }));
  if (version > 1) await rejects('downgrade', name, () => downgradeDocument(file, { engine, to: version - 1 }));
  await rejects('stamp', name, () => stampDocument(file, version, { engine }));
  await rejects('stamp --force', name, () => stampDocument(file, version, { engine, force: true }));
  await rejects('open for editing', name, () => openDocument(file, { engine }));
  const info = runCli(['info', file, '--check', '--json']);
  const problem = (info.json as { problem: { code: string; message: string } }).problem;
  assert.equal(problem.code, 'UNKNOWN_SCHEMA', info.stdout + info.stderr);
  assert.ok(names(problem.message, name), problem.message);
  const upgrade = runCli(['upgrade', file, '--json']);
  assert.notEqual(upgrade.status, 0);
  assert.match(upgrade.stdout + upgrade.stderr, /UNKNOWN_SCHEMA/);
  assert.deepEqual(fileState(file), before, 'the file and its journal are byte for byte unchanged');
  assert.equal(measurementCount(file), measurements, 'no trigger ran');
}

for (const version of [1, 3, 5, 6]) {
  test(`a trigger forged with a sqlite_ name is refused at version ${version}`, async () => {
    const file = documentAt(version);
    seed(file, version);
    forge(file, 'trigger', 'sqlite_cleanup');
    await assertRefusedEverywhere(file, 'sqlite_cleanup', version);
  });
}

test('forged sqlite_ objects of every kind and case are refused: view, index with SQL, mixed-case trigger, trigger with quotes and spaces', async () => {
  const cases: [kind: 'trigger' | 'view' | 'index', name: string][] = [
    ['view', 'sqlite_view'],
    ['index', 'sqlite_autoindex_samples_9'],
    ['index', 'sqlite_idx'],
    ['trigger', 'SQLite_Evil'],
    ['trigger', 'sqlite_ "quoted" select'],
    ['trigger', 'sqlite_sequence'],
    ['trigger', 'sqlite_stat1'],
  ];
  for (const [kind, name] of cases) {
    const file = documentAt(5, tempDir(), `${kind}.fieldbook`);
    seed(file, 5);
    forge(file, kind, name);
    await assertRefusedEverywhere(file, name, 5);
  }
});

test('a trigger on the version table (any name) is refused before it can fire', async () => {
  for (const name of ['version_hook', 'My "Odd" Trigger', 'SELECT']) {
    const file = documentAt(4, tempDir(), 'vt.fieldbook');
    seed(file, 4);
    withDb(file, (db) => db.exec(`CREATE TRIGGER "${name.replace(/"/g, '""')}" AFTER INSERT ON ${VERSION_TABLE} BEGIN DELETE FROM measurements; END`));
    await assertRefusedEverywhere(file, name, 4);
  }
});

test('an index on the version table, a version table of another shape, a view in its place: refused', async () => {
  const index = documentAt(3, tempDir(), 'index.fieldbook');
  seed(index, 3);
  withDb(index, (db) => db.exec(`CREATE INDEX vt_by_checksum ON ${VERSION_TABLE}(checksum)`));
  await assertRefusedEverywhere(index, 'vt_by_checksum', 3);

  const shape = documentAt(3, tempDir(), 'shape.fieldbook');
  seed(shape, 3);
  withDb(shape, (db) => db.exec(`ALTER TABLE ${VERSION_TABLE} ADD COLUMN note TEXT DEFAULT 'x'`));
  await assertRefusedEverywhere(shape, VERSION_TABLE, 3);

  const view = documentAt(2, tempDir(), 'view.fieldbook');
  seed(view, 2);
  withDb(view, (db) =>
    db.exec(`
    ALTER TABLE ${VERSION_TABLE} RENAME TO real_versions;
    CREATE VIEW ${VERSION_TABLE} AS SELECT * FROM real_versions;
    CREATE TRIGGER on_view INSTEAD OF INSERT ON ${VERSION_TABLE} BEGIN DELETE FROM measurements; END;`),
  );
  await assertRefusedEverywhere(view, VERSION_TABLE, 2);
});

test('a table that only looks like an FTS5 shadow table counts; a trigger named like a real shadow table counts', async () => {
  const engine = testEngine();
  const ghost = documentAt(5, tempDir(), 'ghost.fieldbook');
  seed(ghost, 5);
  withDb(ghost, (db) =>
    db.exec('CREATE TABLE samples_fts_data (id INTEGER PRIMARY KEY, block BLOB); CREATE TABLE ghost_fts_idx (segid, term, pgno, PRIMARY KEY (segid, term)) WITHOUT ROWID'),
  );
  const before = fileState(ghost);
  const checked = classifyDocument(ghost, { engine, check: 'quick' });
  assert.equal(checked.problem?.code, 'UNKNOWN_SCHEMA');
  assert.match(checked.problem!.message, /samples_fts_data/);
  assert.match(checked.problem!.message, /ghost_fts_idx/);
  await rejects('upgrade', 'samples_fts_data', () => upgradeDocument(ghost, { engine }));
  assert.deepEqual(fileState(ghost), before);

  const head = documentAt(6, tempDir(), 'head.fieldbook');
  seed(head, 6);
  withDb(head, (db) => {
    db.unsafeMode(true);
    db.exec('CREATE TRIGGER samples_fts_data AFTER UPDATE ON sites BEGIN DELETE FROM measurements; END');
  });
  const c = classifyDocument(head, { engine, check: 'quick' });
  assert.equal(c.problem?.code, 'UNKNOWN_SCHEMA', JSON.stringify(c));
  assert.match(c.problem!.message, /trigger samples_fts_data/);
  await rejects('downgrade', 'samples_fts_data', () => downgradeDocument(head, { engine, to: 5 }));
});

test('a 0.9 file with an extra trigger (plain or forged) is not adopted and stays unchanged', async () => {
  const engine = testEngine();
  for (const forged of [false, true]) {
    const file = beta09Document(tempDir());
    withDb(file, (db) =>
      db.exec(
        "INSERT INTO sites (id, name) VALUES (1, 'a'); INSERT INTO samples (id, site_id, code) VALUES (1, 1, 'c'); INSERT INTO measurements (id, sample_id, kind) VALUES (1, 1, 'k')",
      ),
    );
    const name = forged ? 'sqlite_beta_hook' : 'beta_hook';
    if (forged) forge(file, 'trigger', name);
    else withDb(file, (db) => db.exec(`CREATE TRIGGER ${name} AFTER UPDATE ON samples BEGIN DELETE FROM measurements; END`));
    const before = fileState(file);
    const c = classifyDocument(file, { engine });
    assert.equal(c.status, 'foreign');
    assert.equal(c.problem?.code, 'UNKNOWN_SCHEMA');
    assert.ok(names(c.problem!.message, name), c.problem!.message);
    await rejects('upgrade', name, () => upgradeDocument(file, { engine }));
    assert.deepEqual(fileState(file), before);
    assert.equal(measurementCount(file), 1);
  }
});

test("SQLite's own objects stay invisible: statistics (ANALYZE), sqlite_sequence, autoindexes, FTS5 shadow tables", async () => {
  const engine = testEngine();
  const beta = beta09Document(tempDir());
  withDb(beta, (db) => db.exec("INSERT INTO sites (id, name) VALUES (1, 'a'); CREATE INDEX tmp ON sites(name); ANALYZE; DROP INDEX tmp;"));
  assert.ok(withDb(beta, (db) => db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'sqlite_stat%'").pluck().all()).length > 0);
  assert.equal(classifyDocument(beta, { engine }).status, 'legacy');
  await upgradeDocument(beta, { engine, to: 5 });
  withDb(beta, (db) => db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO counter DEFAULT VALUES; DROP TABLE counter; ANALYZE;'));
  assert.deepEqual(
    withDb(beta, (db) => db.prepare("SELECT name FROM sqlite_schema WHERE name = 'sqlite_sequence'").pluck().all()),
    ['sqlite_sequence'],
  );
  assert.equal(classifyDocument(beta, { engine, check: 'full' }).problem, null);
  await upgradeDocument(beta, { engine });
  const head = classifyDocument(beta, { engine, check: 'full' });
  assert.deepEqual([head.status, head.problem], ['current', null]);
  assert.ok(withDb(beta, (db) => db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'samples_fts_%'").pluck().all()).length >= 3, 'FTS5 shadow tables exist');
  await downgradeDocument(beta, { engine, to: 4 });
  assert.equal(classifyDocument(beta, { engine, check: 'full' }).problem, null);
});

test('autoindexes: SQLite refuses an orphan one, a retargeted one counts, one of a table named in any script stays invisible', async () => {
  const engine = testEngine();
  const forgeRow = (file: string, sql: string, ...params: string[]) => {
    const db = new Database(file);
    try {
      db.unsafeMode(true);
      db.pragma('writable_schema = ON');
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };
  // An index row without SQL that no table's constraint made, or on a view or a virtual table:
  // SQLite will not load the schema, so the file is damaged, and it stays as it was.
  for (const on of ['sites', 'samples_fts', 'nothing_here']) {
    const file = documentAt(6, tempDir(), 'orphan.fieldbook');
    forgeRow(file, "INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('index', ?, ?, 2, NULL)", `sqlite_autoindex_${on}_9`, on);
    const before = fileState(file);
    const c = classifyDocument(file, { engine });
    assert.deepEqual([c.status, c.problem?.code], ['damaged', 'DAMAGED'], `orphan autoindex on ${on}: ${JSON.stringify(c.problem)}`);
    await assert.rejects(upgradeDocument(file, { engine }), (e: unknown) => isFieldbookError(e));
    assert.deepEqual(fileState(file), before);
  }
  // A real autoindex whose row names another table (the version table) is not SQLite's own.
  const retargeted = documentAt(6, tempDir(), 'retargeted.fieldbook');
  forgeRow(retargeted, "UPDATE sqlite_schema SET tbl_name = ? WHERE name = 'sqlite_autoindex_tags_1'", VERSION_TABLE);
  const c = classifyDocument(retargeted, { engine });
  assert.equal(c.problem?.code, 'UNKNOWN_SCHEMA', JSON.stringify(c.problem));
  assert.ok(names(c.problem!.message, 'sqlite_autoindex_tags_1'), c.problem!.message);
  // The same for a row naming the table in another case outside ASCII, which SQLite (ASCII case
  // folding) takes for another table: 'Ärger' is not 'ärger'.
  const otherCase = documentAt(6, tempDir(), 'other-case.fieldbook');
  withDb(otherCase, (db) => db.exec('CREATE TABLE "Ärger" (a UNIQUE)'));
  forgeRow(otherCase, "UPDATE sqlite_schema SET tbl_name = 'ärger' WHERE name = 'sqlite_autoindex_Ärger_1'");
  const refused = classifyDocument(otherCase, { engine });
  assert.equal(refused.problem?.code, 'UNKNOWN_SCHEMA', JSON.stringify(refused.problem));
  assert.ok(names(refused.problem!.message, 'sqlite_autoindex_Ärger_1'), refused.problem!.message);
  // Autoindexes of tables named outside ASCII (judged by reading their tables) stay invisible,
  // in the cheap classification and in the full schema check alike.
  for (const table of ['Ärger', 'ﬁeld', 'Kelvin\u212a', '表']) {
    const file = documentAt(6, tempDir(), 'unicode.fieldbook');
    withDb(file, (db) => db.exec(`CREATE TABLE ${quoteIdent(table)} (a UNIQUE, b, UNIQUE (a, b))`));
    assert.equal(
      withDb(file, (db) => db.prepare('SELECT count(*) FROM sqlite_schema WHERE tbl_name = ? AND sql IS NULL').pluck().get(table)),
      2,
    );
    for (const check of ['none', 'quick'] as const) {
      const result = classifyDocument(file, { engine, check });
      // A table of its own makes the schema differ from version 6's, which only a check sees;
      // neither the table nor its autoindexes are forged.
      assert.ok(!result.problem?.message.includes('sqlite_autoindex'), `${table}, ${check}: ${result.problem?.message}`);
      assert.equal(result.status, check === 'none' ? 'current' : 'damaged', `${table}, ${check}`);
    }
  }
});

test('a forged sqlite_stat1 or sqlite_sequence of another shape is not internal', async () => {
  for (const name of ['sqlite_stat1', 'sqlite_sequence']) {
    const file = documentAt(5, tempDir(), 'stat.fieldbook');
    seed(file, 5);
    const db = new Database(file);
    db.exec('CREATE TABLE tmp_forged_table (tbl, idx, stat, extra)');
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET name = ?, tbl_name = ?, sql = replace(sql, 'tmp_forged_table', ?) WHERE name = 'tmp_forged_table'").run(name, name, name);
    db.close();
    await assertRefusedEverywhere(file, name, 5);
    assert.ok(fs.existsSync(file));
  }
});

test('export for an older version refuses a head document carrying a trigger of its own, naming the source and the trigger; nothing fires', async () => {
  for (const [name, body] of [
    ['evil', 'AFTER DELETE ON samples'],
    ['On "Update" it\'s', 'AFTER UPDATE ON sites'],
    ['sqlite_stat_x', 'BEFORE DELETE ON measurements'],
  ] as const) {
    const file = documentAt(6);
    seed(file, 6);
    const created = name.startsWith('sqlite_') ? 'tmp_forged_trigger' : name;
    withDb(file, (db) => db.exec(`CREATE TRIGGER ${created === name ? quoteIdent(name) : created} ${body} BEGIN DELETE FROM measurements; DELETE FROM sites; END`));
    if (created !== name) forgeName(file, created, name);
    const before = fileState(file);
    for (const asVersion of [5, 1]) {
      const destination = path.join(tempDir(), `for version ${asVersion}.fieldbook`);
      await assert.rejects(exportDocument(file, destination, { engine: testEngine(), asVersion }), (error: unknown) => {
        assert.ok(isFieldbookError(error, 'UNKNOWN_SCHEMA'), String(error));
        assert.ok((error as Error).message.startsWith(`${file}:`) || (error as Error).message.startsWith(file), `names the source: ${(error as Error).message}`);
        assert.ok(names((error as Error).message, name), `names the trigger: ${(error as Error).message}`);
        return true;
      });
      assert.ok(!fs.existsSync(destination));
    }
    assert.deepEqual(fileState(file), before);
    assert.equal(measurementCount(file), 2);
  }
});

/** Renames a trigger in sqlite_schema (writable_schema), e.g. to a `sqlite_` name SQL refuses. */
function forgeName(file: string, from: string, name: string): void {
  const db = new Database(file);
  try {
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET name = ?, sql = replace(sql, ?, ?) WHERE type = 'trigger' AND name = ?").run(name, from, quoteIdent(name), from);
    db.pragma('writable_schema = OFF');
  } finally {
    db.close();
  }
}

test('a table named like a property of every JavaScript object (constructor, __proto__, toString) is judged as any other name', async () => {
  const engine = testEngine();
  for (const name of ['constructor', 'Constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf']) {
    const file = documentAt(5, tempDir(), 'names.fieldbook');
    seed(file, 5);
    withDb(file, (db) => db.exec(`CREATE TABLE ${quoteIdent(name)} (x)`));
    const schema = withDb(file, (db) => readSchema(db, VERSION_TABLE));
    assert.ok(
      schema.some((o) => o.type === 'table' && o.name === name),
      `${name} is a table of the schema`,
    );
    const before = fileState(file);
    const checked = classifyDocument(file, { engine, check: 'full' });
    assert.equal(checked.problem?.code, 'UNKNOWN_SCHEMA', `${name}: ${JSON.stringify(checked.problem)}`);
    assert.ok(names(checked.problem!.message, name), checked.problem!.message);
    await rejects('upgrade', name, () => upgradeDocument(file, { engine }));
    assert.deepEqual(fileState(file), before, `${name}: the file is byte for byte unchanged`);
  }
});
