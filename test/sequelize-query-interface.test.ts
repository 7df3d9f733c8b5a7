/**
 * `ctx.queryInterface` inside migrations, through the real migration runner on real files: cases
 * of Sequelize v6's own query-interface suite (changeColumn, removeColumn, renameColumn,
 * renameTable, addConstraint/removeConstraint), re-expressed as migrations of a small app, each
 * asserting that what Sequelize's sqlite rebuild loses is kept: non-unique and composite unique
 * indexes, triggers, CHECKs, FK actions, defaults (0 stays the integer 0), AUTOINCREMENT counters
 * and cascade children. Changes with no faithful translation are refused, naming ctx.ops, with the
 * file left as it was.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createDocument, createEngine, isFieldbookError, upgradeDocument } from '@fieldbook/engine';
import { writeManifests } from '@fieldbook/engine/tooling';
import { fileState, tempDir } from './helpers/fixtures';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

const SEQUELIZE = JSON.stringify(require.resolve('sequelize'));

/** The Sequelize users/Tasks schema most cases start from, with everything a rebuild can lose. */
const RICH = `
CREATE TABLE "Users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" VARCHAR(255) NOT NULL UNIQUE, "email" VARCHAR(255),
  "currency" INTEGER DEFAULT 0 CHECK ("currency" >= 0), "active" TINYINT(1) NOT NULL DEFAULT 0, "team" INTEGER, "seat" INTEGER,
  UNIQUE ("team", "seat"));
CREATE INDEX "users_email" ON "Users" ("email");
CREATE TABLE "Tasks" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "title" VARCHAR(255),
  "UserId" INTEGER REFERENCES "Users" ("id") ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE "log" ("what" TEXT);
CREATE TRIGGER "users_log" AFTER INSERT ON "Users" BEGIN INSERT INTO "log" VALUES ('user ' || NEW."name"); END;
`;
const RICH_DATA = `
INSERT INTO "Users" (id, name, email, currency, team, seat) VALUES (1, 'ann', 'a@x', 5, 1, 1), (2, 'bob', 'b@x', 0, 1, 2), (3, 'cy', NULL, 7, 2, 1);
DELETE FROM "Users" WHERE id = 3;
INSERT INTO "Tasks" (title, "UserId") VALUES ('t1', 1), ('t2', 1), ('t3', 2);
DELETE FROM "log";
`;

interface Run {
  file: string;
  /** The file's state before the upgrade (to prove a refused step changed nothing). */
  before: Record<string, string | null>;
  error?: unknown;
}

/**
 * An app whose version 1 runs `schema` and whose version 2 is `step`, the body of an async
 * `up({ queryInterface: qi, DataTypes, Sequelize })`; a document at version 1 seeded with `data`
 * is upgraded to 2 through upgradeDocument.
 */
async function migrate(schema: string, data: string, step: string): Promise<Run> {
  const dir = tempDir('fieldbook-qi-');
  const migrations = path.join(dir, 'migrations');
  fs.mkdirSync(migrations);
  fs.writeFileSync(path.join(migrations, '0001-start.js'), `exports.up = ({ exec }) => exec(${JSON.stringify(schema)});\n`);
  fs.writeFileSync(path.join(migrations, '0002-change.js'), `const Sequelize = require(${SEQUELIZE});
const { DataTypes } = Sequelize;
exports.up = async ({ queryInterface: qi }) => {
${step}
};
`);
  const engine = createEngine({
    applicationId: 0x51494e54, versionTable: 'qi_versions', appName: 'QiApp', appVersion: '1.0.0',
    migrations: { dir: migrations }, backupDir: path.join(dir, 'backups'),
  });
  const file = path.join(dir, 'doc.qi');
  let manifestError: unknown;
  try {
    await writeManifests({ sourceDir: migrations, versionTable: 'qi_versions' });
  } catch (error) {
    manifestError = error;
  }
  if (manifestError !== undefined) {
    // A refused step cannot build its manifest either: build version 1's alone and run version 2 against it.
    fs.renameSync(path.join(migrations, '0002-change.js'), path.join(dir, 'later.js'));
    await writeManifests({ sourceDir: migrations, versionTable: 'qi_versions' });
    createDocument(file, { engine, at: 1 });
    seedDocument(file, data);
    return { file, before: fileState(file), error: manifestError };
  }
  createDocument(file, { engine, at: 1 });
  seedDocument(file, data);
  const before = fileState(file);
  try {
    await upgradeDocument(file, { engine, backup: false });
  } catch (error) {
    return { file, before, error };
  }
  return { file, before };
}

function seedDocument(file: string, data: string): void {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  db.exec(data);
  db.close();
}

function read<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = ON');
    return fn(db);
  } finally {
    db.close();
  }
}

const ok = (run: Run): string => {
  if (run.error !== undefined) throw run.error;
  return run.file;
};

/** Everything of RICH a Sequelize rebuild loses, asserted after a step changed "Users" (or "Tasks"). */
function assertRichKept(db: Database.Database, users = 'Users'): void {
  const index = (name: string) => db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck().get(name);
  assert.ok(index('users_email'), 'the non-unique index is kept');
  const uniques = db.prepare(`SELECT il.name, group_concat(ii.name, ',') AS cols FROM pragma_index_list(?) il, pragma_index_info(il.name) ii WHERE il."unique" GROUP BY il.name ORDER BY cols`).all(users) as { cols: string }[];
  assert.ok(uniques.some((u) => u.cols === 'team,seat'), `the composite UNIQUE stays one constraint: ${JSON.stringify(uniques)}`);
  assert.ok(!uniques.some((u) => u.cols === 'team' || u.cols === 'seat'), 'and is not split per column');
  const defaults = Object.fromEntries((db.prepare('SELECT name, dflt_value FROM pragma_table_info(?)').all(users) as { name: string; dflt_value: string | null }[]).map((c) => [c.name, c.dflt_value]));
  assert.equal(defaults.active, '0', "DEFAULT 0 stays the integer 0, not '0'");
  assert.throws(() => db.prepare(`INSERT INTO "${users}" (name, currency, team, seat) VALUES ('neg', -1, 9, 9)`).run(), /CHECK constraint failed/, 'the CHECK is kept');
  db.prepare(`INSERT INTO "${users}" (name, team, seat) VALUES ('dee', 3, 1)`).run();
  const dee = db.prepare(`SELECT id, typeof(active) AS t, active FROM "${users}" WHERE name = 'dee'`).get() as { id: number; t: string; active: number };
  assert.deepEqual(dee, { id: 4, t: 'integer', active: 0 }, 'AUTOINCREMENT does not reuse the deleted id 3, and the default is an integer');
  assert.deepEqual(db.prepare('SELECT what FROM log').pluck().all(), ['user dee'], 'the trigger is kept and fires');
  const fk = db.prepare("SELECT \"table\", on_delete, on_update FROM pragma_foreign_key_list('Tasks') WHERE \"from\" = 'UserId'").all();
  assert.deepEqual(fk, [{ table: users, on_delete: 'CASCADE', on_update: 'CASCADE' }], 'the child keeps its FK actions');
  assert.equal(db.prepare('SELECT count(*) FROM "Tasks"').pluck().get(), 3, 'cascade children are kept');
  db.prepare(`DELETE FROM "${users}" WHERE id = 1`).run();
  assert.equal(db.prepare('SELECT count(*) FROM "Tasks"').pluck().get(), 1, 'and ON DELETE CASCADE still works');
  assert.deepEqual(db.pragma('foreign_key_check'), []);
}

function assertRefused(run: Run, message: RegExp): void {
  assert.ok(run.error !== undefined, 'the step was refused');
  if (isFieldbookError(run.error)) assert.equal(run.error.code, 'MIGRATION_FAILED');
  assert.match((run.error as Error).message, message);
  assert.deepEqual(fileState(run.file), run.before, 'the document is exactly as it was');
}

test('changeColumn (Sequelize "should change columns": type FLOAT, allowNull) keeps indexes, triggers, CHECKs, FK actions, defaults, AUTOINCREMENT and children', async () => {
  const file = ok(await migrate(RICH, RICH_DATA, "await qi.changeColumn('Users', 'currency', { type: DataTypes.FLOAT, allowNull: true });"));
  read(file, (db) => {
    const col = db.prepare("SELECT type, \"notnull\", dflt_value FROM pragma_table_info('Users') WHERE name = 'currency'").get();
    assert.deepEqual(col, { type: 'FLOAT', notnull: 0, dflt_value: '0' }, 'the type changed; the DEFAULT 0 the step did not state is kept as 0');
    assert.deepEqual(db.prepare('SELECT id, currency, typeof(currency) AS t FROM "Users" ORDER BY id').all(),
      [{ id: 1, currency: 5, t: 'real' }, { id: 2, currency: 0, t: 'real' }]);
    assertRichKept(db);
  });
});

test('changeColumn on the parent of cascade children, given a bare DataType, changes only the type', async () => {
  const file = ok(await migrate(RICH, RICH_DATA, "await qi.changeColumn('users', 'EMAIL', DataTypes.TEXT);"));
  read(file, (db) => {
    assert.equal(db.prepare("SELECT type FROM pragma_table_info('Users') WHERE name = 'email'").pluck().get(), 'TEXT');
    assert.deepEqual(db.prepare('SELECT email FROM "Users" ORDER BY id').pluck().all(), ['a@x', 'b@x']);
    assertRichKept(db);
  });
});

test('changeColumn keeps UNIQUE and NOT NULL it does not restate (Sequelize: "should not remove unique constraints", "add unique to 2 columns and keep allowNull")', async () => {
  const schema = 'CREATE TABLE `Foos` (`id` INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255) NOT NULL, `email` VARCHAR(255) UNIQUE, `phone` VARCHAR(255) NOT NULL);';
  const data = "INSERT INTO Foos (name, email, phone) VALUES ('a', 'a@x', '1'), ('b', NULL, '2');";
  const file = ok(await migrate(schema, data, `
  await qi.changeColumn('Foos', 'email', { type: DataTypes.STRING, allowNull: true });
  await qi.changeColumn('Foos', 'name', { type: DataTypes.STRING, unique: true });
  await qi.changeColumn('Foos', 'phone', { type: DataTypes.STRING, allowNull: true, defaultValue: 0 });
  const table = await qi.describeTable('Foos');
  if (!table.email.unique || !table.name.unique || table.name.allowNull !== false || table.email.allowNull !== true) throw new Error('describeTable: ' + JSON.stringify(table));`));
  read(file, (db) => {
    const info = db.prepare("SELECT name, \"notnull\", dflt_value FROM pragma_table_info('Foos')").all();
    assert.deepEqual(info, [
      { name: 'id', notnull: 1, dflt_value: null }, { name: 'name', notnull: 1, dflt_value: null },
      { name: 'email', notnull: 0, dflt_value: null }, { name: 'phone', notnull: 0, dflt_value: '0' },
    ]);
    assert.throws(() => db.prepare("INSERT INTO Foos (name, email) VALUES ('a', 'z')").run(), /UNIQUE constraint failed: Foos.name/);
    assert.throws(() => db.prepare("INSERT INTO Foos (name, email) VALUES ('c', 'a@x')").run(), /UNIQUE constraint failed: Foos.email/);
    db.prepare("INSERT INTO Foos (name) VALUES ('c')").run();
    assert.deepEqual(db.prepare("SELECT phone, typeof(phone) AS t FROM Foos WHERE name = 'c'").get(), { phone: '0', t: 'text' }, 'DEFAULT 0 written as the integer 0 (TEXT affinity stores it as text, as SQLite does)');
  });
});

test('changeColumn and renameColumn keep the table\'s foreign keys and their actions (Sequelize: "should not remove foreign keys when adding or modifying columns")', async () => {
  const file = ok(await migrate(RICH, RICH_DATA, `
  await qi.addColumn('Tasks', 'bar', DataTypes.INTEGER);
  await qi.changeColumn('Tasks', 'bar', DataTypes.STRING);
  await qi.renameColumn('Tasks', 'bar', 'foo');
  const refs = await qi.getForeignKeyReferencesForTable('Tasks');
  if (refs.length !== 1 || refs[0].columnName !== 'UserId') throw new Error(JSON.stringify(refs));`));
  read(file, (db) => {
    assert.deepEqual(db.prepare("SELECT name, type FROM pragma_table_info('Tasks')").raw().all(), [['id', 'INTEGER'], ['title', 'VARCHAR(255)'], ['UserId', 'INTEGER'], ['foo', 'VARCHAR(255)']]);
    assertRichKept(db);
  });
});

test('changeColumn on the child: references with onDelete replaces the actions; a bare type keeps them; onDelete alone keeps the target', async () => {
  const file = ok(await migrate(RICH, RICH_DATA, `
  await qi.changeColumn('Tasks', 'UserId', { type: DataTypes.BIGINT });
  const a = await qi.sequelize.query("SELECT on_delete || '/' || on_update AS x FROM pragma_foreign_key_list('Tasks')", { type: 'SELECT' });
  if (a[0].x !== 'CASCADE/CASCADE') throw new Error('bare type lost the actions: ' + a[0].x);
  await qi.changeColumn('Tasks', 'UserId', { type: DataTypes.INTEGER, onDelete: 'SET NULL' });
  const b = await qi.sequelize.query("SELECT on_delete || '/' || on_update AS x FROM pragma_foreign_key_list('Tasks')", { type: 'SELECT' });
  if (b[0].x !== 'SET NULL/CASCADE') throw new Error('onDelete alone: ' + b[0].x);
  await qi.changeColumn('Tasks', 'UserId', { type: DataTypes.INTEGER, references: { model: 'Users', key: 'id' }, onDelete: 'RESTRICT', onUpdate: 'NO ACTION' });`));
  read(file, (db) => {
    assert.deepEqual(db.prepare("SELECT \"table\", \"from\", \"to\", on_delete, on_update FROM pragma_foreign_key_list('Tasks')").all(),
      [{ table: 'Users', from: 'UserId', to: 'id', on_delete: 'RESTRICT', on_update: 'NO ACTION' }]);
    assert.deepEqual(db.prepare('SELECT id, title, "UserId" FROM "Tasks" ORDER BY id').raw().all(), [[1, 't1', 1], [2, 't2', 1], [3, 't3', 2]]);
    assert.throws(() => db.prepare('DELETE FROM "Users" WHERE id = 1').run(), /FOREIGN KEY constraint failed/);
  });
});

test('changeColumn works with "schemas" (a prefixed table name on SQLite), enums, quoted and keyword names', async () => {
  const schema = 'CREATE TABLE `archive.users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `currency` INTEGER, `firstName` VARCHAR(255));'
    + ' CREATE INDEX au ON `archive.users` (currency);'
    + ` CREATE TABLE "it's ""odd""" ("select" INTEGER DEFAULT 0, "Order" TEXT); CREATE INDEX odd_order ON "it's ""odd""" ("Order");`;
  const data = "INSERT INTO `archive.users` (currency, firstName) VALUES (3, 'value1'); INSERT INTO \"it's \"\"odd\"\"\" VALUES (1, 'x'), (2, NULL);";
  const file = ok(await migrate(schema, data, `
  await qi.changeColumn({ tableName: 'users', schema: 'archive' }, 'currency', { type: DataTypes.FLOAT });
  await qi.changeColumn({ tableName: 'users', schema: 'archive' }, 'firstName', { type: DataTypes.ENUM(['value1', 'value2']) });
  await qi.changeColumn('it\\'s "odd"', 'SELECT', { type: DataTypes.BIGINT, allowNull: false });
  await qi.renameColumn('IT\\'S "ODD"', 'order', 'by');`));
  read(file, (db) => {
    assert.deepEqual(db.prepare("SELECT name, type FROM pragma_table_info('archive.users')").raw().all(), [['id', 'INTEGER'], ['currency', 'FLOAT'], ['firstName', 'TEXT']]);
    assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'au'").get());
    assert.deepEqual(db.prepare(`SELECT name, type, "notnull", dflt_value FROM pragma_table_info('it''s "odd"')`).raw().all(), [['select', 'BIGINT', 1, '0'], ['by', 'TEXT', 0, null]]);
    assert.match(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'odd_order'").pluck().get() as string, /"by"/);
    assert.equal(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'it%'").pluck().get(), `it's "odd"`, 'stored spelling kept');
  });
});

test('removeColumn (Sequelize: with a default value, without, with a foreign key, with a unique constraint) keeps everything else', async () => {
  const schema = `${RICH}
CREATE TABLE "users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "firstName" VARCHAR(255) DEFAULT 'Someone', "lastName" VARCHAR(255),
  "manager" INTEGER REFERENCES "users" ("id"), "email" VARCHAR(255) UNIQUE, "age" INTEGER DEFAULT 0 CHECK (age >= 0));
CREATE INDEX users_age ON "users" (age);
CREATE TRIGGER users_age_log AFTER UPDATE OF age ON "users" BEGIN INSERT INTO log VALUES ('age ' || NEW.age); END;`;
  const data = `${RICH_DATA} INSERT INTO "users" (id, "firstName", "lastName", manager, email, age) VALUES (1, 'a', 'b', NULL, 'e1', 30), (2, 'c', 'd', 1, 'e2', 40); DELETE FROM "users" WHERE id = 2;`;
  const file = ok(await migrate(schema.replace('CREATE TABLE "Users"', 'CREATE TABLE "Members"').replace(/"Users"/g, '"Members"'), data.replace(/"Users"/g, '"Members"'), `
  await qi.removeColumn('users', 'firstName');
  await qi.removeColumn('users', 'lastName');
  await qi.removeColumn('users', 'manager');
  await qi.removeColumn('users', 'email');
  await qi.removeColumn('Members', 'email');
  const table = await qi.describeTable('users');
  if (Object.keys(table).join() !== 'id,age') throw new Error(Object.keys(table).join());`));
  read(file, (db) => {
    assert.deepEqual(db.prepare('SELECT id, age FROM users').raw().all(), [[1, 30]]);
    assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'users_age'").get(), 'index on a kept column is kept');
    db.prepare('UPDATE users SET age = 31').run();
    assert.deepEqual(db.prepare('SELECT what FROM log').pluck().all(), ['age 31'], 'trigger kept');
    assert.throws(() => db.prepare('UPDATE users SET age = -1').run(), /CHECK constraint failed/);
    db.prepare('INSERT INTO users DEFAULT VALUES').run();
    assert.deepEqual(db.prepare('SELECT id, age, typeof(age) FROM users ORDER BY id DESC LIMIT 1').raw().get(), [3, 0, 'integer'], 'AUTOINCREMENT counter and integer DEFAULT 0 kept');
    db.exec('DELETE FROM log');
    const members = db.prepare("SELECT name FROM pragma_table_info('Members')").pluck().all();
    assert.deepEqual(members, ['id', 'name', 'currency', 'active', 'team', 'seat']);
  });
});

test('removeColumn of the PRIMARY KEY, or of a column a composite UNIQUE names, is refused and changes nothing', async () => {
  assertRefused(await migrate(RICH, RICH_DATA, "await qi.removeColumn('Users', 'id');"), /PRIMARY KEY/);
  assertRefused(await migrate(RICH, RICH_DATA, "await qi.removeColumn('Users', 'seat');"), /UNIQUE/);
  assertRefused(await migrate(RICH, RICH_DATA, "await qi.removeColumn('Users', 'nope');"), /Users doesn't have the column nope/);
});

test('renameColumn (Sequelize: simple, non-null, boolean with default false, primary key autoIncrement) is native and keeps everything', async () => {
  const schema = `${RICH}
CREATE TABLE "Fruit" ("fruitId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "active" TINYINT(1) NOT NULL DEFAULT 0);
CREATE TABLE "Seeds" (id INTEGER PRIMARY KEY, fruit INTEGER REFERENCES "Fruit" ("fruitId") ON DELETE CASCADE);
CREATE VIEW fruit_seeds AS SELECT f."fruitId", s.id FROM "Fruit" f JOIN "Seeds" s ON s.fruit = f."fruitId";`;
  const data = `${RICH_DATA} INSERT INTO "Fruit" VALUES (1, 1), (2, 0), (9, 1); DELETE FROM "Fruit" WHERE "fruitId" = 9; INSERT INTO "Seeds" VALUES (1, 1), (2, 2);`;
  const file = ok(await migrate(schema, data, `
  await qi.renameColumn('Fruit', 'fruitId', 'fruit_id');
  await qi.renameColumn('fruit', 'ACTIVE', 'enabled');
  await qi.renameColumn('Users', 'name', 'pseudo');
  await qi.renameColumn('Users', 'currency', 'Currency');`));
  read(file, (db) => {
    assert.deepEqual(db.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('Fruit')").raw().all(), [['fruit_id', 'INTEGER', 1, null, 1], ['enabled', 'TINYINT(1)', 1, '0', 0]]);
    db.prepare('INSERT INTO "Fruit" DEFAULT VALUES').run();
    assert.deepEqual(db.prepare('SELECT fruit_id, enabled FROM "Fruit" ORDER BY fruit_id').raw().all(), [[1, 1], [2, 0], [10, 0]], 'AUTOINCREMENT counter kept');
    assert.deepEqual(db.prepare('SELECT * FROM fruit_seeds ORDER BY id').raw().all(), [[1, 1], [2, 2]], 'the view follows the rename');
    assert.deepEqual(db.prepare("SELECT \"to\", on_delete FROM pragma_foreign_key_list('Seeds')").raw().all(), [['fruit_id', 'CASCADE']]);
    db.prepare('DELETE FROM "Fruit" WHERE fruit_id = 1').run();
    assert.equal(db.prepare('SELECT count(*) FROM "Seeds"').pluck().get(), 1);
    db.exec('ALTER TABLE "Users" RENAME COLUMN pseudo TO name');
    assertRichKept(db);
  });
  assertRefused(await migrate(RICH, RICH_DATA, "await qi.renameColumn('Users', 'nope', 'x');"), /Table Users doesn't have the column nope/);
});

test('renameTable keeps the table\'s triggers, indexes, children and counter; a change of case only works', async () => {
  const file = ok(await migrate(RICH, RICH_DATA, `
  await qi.renameTable('Users', 'people');
  await qi.renameTable('people', 'People');
  await qi.renameTable('log', 'Log');`));
  read(file, (db) => {
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('People', 'Log') ORDER BY name").pluck().all(), ['Log', 'People']);
    assert.match(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'users_log'").pluck().get() as string, /ON "People"/);
    db.exec('ALTER TABLE "People" RENAME TO "Users"');
    assertRichKept(db);
  });
});

test('addConstraint and removeConstraint (Sequelize: unique, check, foreign key with cascade, unknown) rebuild preserving the table', async () => {
  const file = ok(await migrate(RICH, RICH_DATA, `
  await qi.addConstraint('Users', { type: 'unique', fields: ['email'] });
  await qi.addConstraint('Users', { type: 'check', fields: ['team'], where: { team: [1, 2, 3] }, name: 'check_team' });
  await qi.addColumn('Tasks', 'owner', DataTypes.STRING);
  await qi.addConstraint('Tasks', { type: 'foreign key', fields: ['owner'], references: { table: 'Users', field: 'name' }, onDelete: 'cascade', onUpdate: 'cascade' });
  const names = (await qi.showConstraint('Users')).map((c) => c.constraintName);
  if (!names.includes('Users_email_uk') || !names.includes('check_team')) throw new Error(names.join());
  await qi.removeConstraint('Users', 'Users_email_uk');
  let unknown;
  try { await qi.removeConstraint('Users', 'unknown__constraint__name'); } catch (error) { unknown = error; }
  if (!(unknown instanceof Sequelize.UnknownConstraintError) || unknown.table !== 'Users' || unknown.constraint !== 'unknown__constraint__name') throw new Error('not UnknownConstraintError: ' + unknown);`));
  read(file, (db) => {
    assert.throws(() => db.prepare("INSERT INTO \"Users\" (name, team, seat) VALUES ('t9', 9, 1)").run(), /CHECK constraint failed: check_team/);
    db.prepare("INSERT INTO \"Users\" (name, email, team, seat) VALUES ('dup', 'a@x', 3, 3)").run();
    db.prepare("DELETE FROM \"Users\" WHERE name = 'dup'").run();
    assert.deepEqual(db.prepare("SELECT \"from\", \"to\", on_delete FROM pragma_foreign_key_list('Tasks') ORDER BY \"from\"").raw().all(), [['UserId', 'id', 'CASCADE'], ['owner', 'name', 'CASCADE']]);
    assert.deepEqual(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'Users'").pluck().get(), 4, 'the counter was kept at 3 through the rebuilds (dup took 4)');
    db.exec("UPDATE sqlite_sequence SET seq = 3 WHERE name = 'Users'; DELETE FROM log");
    assertRichKept(db);
  });
});

test('removeConstraint drops a named column constraint or table-level PRIMARY KEY and keeps the rest', async () => {
  const schema = 'CREATE TABLE t ("k" TEXT NOT NULL CONSTRAINT k_len CHECK (length(k) < 5), v INTEGER DEFAULT 0, CONSTRAINT t_k_pk PRIMARY KEY (k)); CREATE INDEX t_v ON t (v);';
  const data = "INSERT INTO t VALUES ('a', 1), ('bb', 2);";
  const file = ok(await migrate(schema, data, "await qi.removeConstraint('t', 'K_LEN'); await qi.removeConstraint('t', 't_k_pk');"));
  read(file, (db) => {
    assert.deepEqual(db.prepare('SELECT rowid, k, v FROM t ORDER BY rowid').raw().all(), [[1, 'a', 1], [2, 'bb', 2]]);
    db.prepare("INSERT INTO t (k) VALUES ('longer than five')").run();
    assert.deepEqual(db.prepare("SELECT name, \"notnull\", dflt_value, pk FROM pragma_table_info('t')").raw().all(), [['k', 1, null, 0], ['v', 0, '0', 0]]);
    assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 't_v'").get());
  });
});

test('changeColumn refuses what it cannot translate faithfully, naming ctx.ops, and changes nothing', async () => {
  for (const [step, message] of [
    ["await qi.changeColumn('Users', 'email', { type: DataTypes.INTEGER, primaryKey: true });", /PRIMARY KEY.*ctx\.ops/],
    ["await qi.changeColumn('Users', 'id', { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: false });", /AUTOINCREMENT.*ctx\.ops/],
    ["await qi.changeColumn('Users', 'name', { type: DataTypes.STRING, unique: false });", /UNIQUE.*ctx\.ops/],
    ["await qi.changeColumn('Users', 'id', DataTypes.BIGINT);", /stop being the table's INTEGER PRIMARY KEY.*ctx\.ops/],
    ["await qi.changeColumn('Tasks', 'ID', { type: DataTypes.STRING, primaryKey: true, autoIncrement: true });", /INTEGER PRIMARY KEY/],
    ["await qi.changeColumn('Users', 'email', { type: DataTypes.STRING, onDelete: 'CASCADE' });", /references nothing.*ctx\.ops/],
    ["await qi.addConstraint('Users', { type: 'default', fields: ['email'], defaultValue: 'x' });", /DEFAULT constraints.*ctx\.ops/],
    ["await qi.removeConstraint('Users', 'users_email');", /users_email is an index: use removeIndex/],
    ["await qi.changeColumn('Users', 'currency', { type: DataTypes.INTEGER, allowNull: false, defaultValue: -1 });", /CHECK constraint failed|NOT NULL/],
  ] as const) {
    assertRefused(await migrate(RICH, RICH_DATA + ' UPDATE "Users" SET currency = NULL WHERE id = 2;', step), message);
  }
});

test('sequelize.sync({ alter: true }) on a model goes through the same preserving changeColumn', async () => {
  const file = ok(await migrate(RICH, RICH_DATA, `
  const User = qi.sequelize.define('User', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: DataTypes.STRING, allowNull: false, unique: true },
    email: DataTypes.TEXT, currency: { type: DataTypes.INTEGER, defaultValue: 0 }, active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    team: DataTypes.INTEGER, seat: DataTypes.INTEGER,
  }, { tableName: 'Users', timestamps: false });
  await User.sync({ alter: true });`));
  read(file, (db) => {
    assert.equal(db.prepare("SELECT type FROM pragma_table_info('Users') WHERE name = 'email'").pluck().get(), 'TEXT');
    assertRichKept(db);
  });
});

test('changeColumn edge cases: a NUL in a default, NOW, table-level UNIQUE and FOREIGN KEY, STRICT', async () => {
  const schema = `CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE t (a INTEGER, b TEXT DEFAULT 'old', c INTEGER, d INTEGER, UNIQUE (c), FOREIGN KEY (d) REFERENCES p (id) ON DELETE CASCADE);
CREATE TABLE s (k INTEGER PRIMARY KEY, v TEXT) STRICT;`;
  const data = "INSERT INTO p VALUES (1); INSERT INTO t (a, c, d) VALUES (1, 1, 1); INSERT INTO s VALUES (1, 'x');";
  const file = ok(await migrate(schema, data, `
  await qi.changeColumn('t', 'a', { type: DataTypes.STRING, defaultValue: 'nul\\u0000inside' });
  await qi.changeColumn('t', 'b', { type: DataTypes.DATE, defaultValue: DataTypes.NOW });
  await qi.changeColumn('t', 'c', { type: DataTypes.BIGINT, unique: true });
  await qi.changeColumn('t', 'd', { type: DataTypes.BIGINT });`));
  read(file, (db) => {
    db.prepare('INSERT INTO t (c, d) VALUES (2, 1)').run();
    assert.deepEqual(db.prepare('SELECT hex(a), b FROM t WHERE c = 2').raw().get(), [Buffer.from('nul\0inside').toString('hex').toUpperCase(), null],
      'the NUL default is stored whole; NOW (filled by Sequelize, not SQLite) leaves no schema default, as in Sequelize');
    assert.equal(db.prepare("SELECT count(*) FROM pragma_index_list('t') WHERE \"unique\"").pluck().get(), 1, 'unique: true on a column already UNIQUE adds no second constraint');
    assert.deepEqual(db.prepare("SELECT \"from\", on_delete FROM pragma_foreign_key_list('t')").raw().all(), [['d', 'CASCADE']], 'the table-level FOREIGN KEY is kept, once');
    assert.throws(() => db.prepare('INSERT INTO t (c) VALUES (1)').run(), /UNIQUE constraint failed: t\.c/);
  });
  assertRefused(await migrate(schema, data, "await qi.changeColumn('t', 'd', { type: DataTypes.INTEGER, references: { model: 'p', key: 'id' }, onDelete: 'SET NULL' });"), /table-level FOREIGN KEY.*ctx\.ops/);
  assertRefused(await migrate(schema, data, "await qi.changeColumn('t', 'c', { type: DataTypes.INTEGER, unique: false });"), /UNIQUE.*ctx\.ops/);
  assertRefused(await migrate(schema, data, "await qi.changeColumn('s', 'v', DataTypes.STRING);"), /unknown datatype/);
});

test('outside migrations, an open document\'s queryInterface refuses every schema-changing method (with foreign keys on they would empty cascade children)', async () => {
  const { openDocument } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
  const { documentAt } = require('./helpers/fixtures') as typeof import('./helpers/fixtures');
  const file = documentAt(6);
  const before = fileState(file);
  const handle = await openDocument(file, { engine: fieldbookEngine(), upgrade: false });
  try {
    const qi = handle.sequelize().getQueryInterface();
    const { DataTypes } = await import('sequelize');
    const calls: [string, () => Promise<unknown>][] = [
      ['changeColumn', () => qi.changeColumn('sites', 'name', { type: DataTypes.TEXT })],
      ['removeColumn', () => qi.removeColumn('sites', 'name')],
      ['renameColumn', () => qi.renameColumn('sites', 'name', 'label')],
      ['renameTable', () => qi.renameTable('sites', 'places')],
      ['addConstraint', () => qi.addConstraint('sites', { type: 'unique', fields: ['name'] })],
      ['removeConstraint', () => qi.removeConstraint('sites', 'x')],
    ];
    for (const [method, call] of calls) {
      await assert.rejects(call(), new RegExp(`queryInterface\\.${method} is refused on an open document: change the schema in a migration`));
    }
    assert.equal((await handle.sequelize().query('SELECT count(*) AS n FROM sites', { type: 'SELECT' }) as { n: number }[]).length, 1, 'queries still work');
  } finally {
    handle.close();
  }
  assert.deepEqual(fileState(file), before);
});
