/**
 * The rest of `ctx.queryInterface` inside migrations (removeColumn, renameColumn, renameTable,
 * addConstraint/removeConstraint, sync({ alter })), as Sequelize v6's own suite states them,
 * through the real migration runner: each keeps what Sequelize's sqlite rebuild loses. Outside
 * migrations, an open document's queryInterface refuses every schema-changing method.
 */
import assert from 'node:assert/strict';
import path = require('node:path');
import { test } from 'node:test';
import { DataTypes } from 'sequelize';
import { createDocument, openDocument } from '../src/index';
import { RICH, RICH_DATA, assertRefused, assertRichKept, migrate, ok, read } from './helpers/query-interface-app';
import { fileState } from './helpers/fixtures';
import { tinyApp } from './helpers/tiny-app';

test('removeColumn (Sequelize: with a default value, without, with a foreign key, with a unique constraint) keeps everything else', async () => {
  const schema = `${RICH}
CREATE TABLE "users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "firstName" VARCHAR(255) DEFAULT 'Someone', "lastName" VARCHAR(255),
  "manager" INTEGER REFERENCES "users" ("id"), "email" VARCHAR(255) UNIQUE, "age" INTEGER DEFAULT 0 CHECK (age >= 0));
CREATE INDEX users_age ON "users" (age);
CREATE TRIGGER users_age_log AFTER UPDATE OF age ON "users" BEGIN INSERT INTO log VALUES ('age ' || NEW.age); END;`;
  const data = `${RICH_DATA} INSERT INTO "users" (id, "firstName", "lastName", manager, email, age) VALUES (1, 'a', 'b', NULL, 'e1', 30), (2, 'c', 'd', 1, 'e2', 40); DELETE FROM "users" WHERE id = 2;`;
  const file = ok(
    await migrate(
      schema.replace('CREATE TABLE "Users"', 'CREATE TABLE "Members"').replace(/"Users"/g, '"Members"'),
      data.replace(/"Users"/g, '"Members"'),
      `
  await qi.removeColumn('users', 'firstName');
  await qi.removeColumn('users', 'lastName');
  await qi.removeColumn('users', 'manager');
  await qi.removeColumn('users', 'email');
  await qi.removeColumn('Members', 'email');
  const table = await qi.describeTable('users');
  if (Object.keys(table).join() !== 'id,age') throw new Error(Object.keys(table).join());`,
    ),
  );
  read(file, (db) => {
    assert.deepEqual(db.prepare('SELECT id, age FROM users').raw().all(), [[1, 30]]);
    assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'users_age'").get(), 'index on a kept column is kept');
    db.prepare('UPDATE users SET age = 31').run();
    assert.deepEqual(db.prepare('SELECT what FROM log').pluck().all(), ['age 31'], 'trigger kept');
    assert.throws(() => db.prepare('UPDATE users SET age = -1').run(), /CHECK constraint failed/);
    db.prepare('INSERT INTO users DEFAULT VALUES').run();
    assert.deepEqual(
      db.prepare('SELECT id, age, typeof(age) FROM users ORDER BY id DESC LIMIT 1').raw().get(),
      [3, 0, 'integer'],
      'AUTOINCREMENT counter and integer DEFAULT 0 kept',
    );
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
  const file = ok(
    await migrate(
      schema,
      data,
      `
  await qi.renameColumn('Fruit', 'fruitId', 'fruit_id');
  await qi.renameColumn('fruit', 'ACTIVE', 'enabled');
  await qi.renameColumn('Users', 'name', 'pseudo');
  await qi.renameColumn('Users', 'currency', 'Currency');`,
    ),
  );
  read(file, (db) => {
    assert.deepEqual(db.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(\'Fruit\')').raw().all(), [
      ['fruit_id', 'INTEGER', 1, null, 1],
      ['enabled', 'TINYINT(1)', 1, '0', 0],
    ]);
    db.prepare('INSERT INTO "Fruit" DEFAULT VALUES').run();
    assert.deepEqual(
      db.prepare('SELECT fruit_id, enabled FROM "Fruit" ORDER BY fruit_id').raw().all(),
      [
        [1, 1],
        [2, 0],
        [10, 0],
      ],
      'AUTOINCREMENT counter kept',
    );
    assert.deepEqual(
      db.prepare('SELECT * FROM fruit_seeds ORDER BY id').raw().all(),
      [
        [1, 1],
        [2, 2],
      ],
      'the view follows the rename',
    );
    assert.deepEqual(db.prepare('SELECT "to", on_delete FROM pragma_foreign_key_list(\'Seeds\')').raw().all(), [['fruit_id', 'CASCADE']]);
    db.prepare('DELETE FROM "Fruit" WHERE fruit_id = 1').run();
    assert.equal(db.prepare('SELECT count(*) FROM "Seeds"').pluck().get(), 1);
    db.exec('ALTER TABLE "Users" RENAME COLUMN pseudo TO name');
    assertRichKept(db);
  });
  assertRefused(await migrate(RICH, RICH_DATA, "await qi.renameColumn('Users', 'nope', 'x');"), /Table Users doesn't have the column nope/);
});

test("renameTable keeps the table's triggers, indexes, children and counter; a change of case only works", async () => {
  const file = ok(
    await migrate(
      RICH,
      RICH_DATA,
      `
  await qi.renameTable('Users', 'people');
  await qi.renameTable('people', 'People');
  await qi.renameTable('log', 'Log');`,
    ),
  );
  read(file, (db) => {
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('People', 'Log') ORDER BY name").pluck().all(), ['Log', 'People']);
    assert.match(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'users_log'").pluck().get() as string, /ON "People"/);
    db.exec('ALTER TABLE "People" RENAME TO "Users"');
    assertRichKept(db);
  });
});

test('addConstraint and removeConstraint (Sequelize: unique, check, foreign key with cascade, unknown) rebuild preserving the table', async () => {
  const file = ok(
    await migrate(
      RICH,
      RICH_DATA,
      `
  await qi.addConstraint('Users', { type: 'unique', fields: ['email'] });
  await qi.addConstraint('Users', { type: 'check', fields: ['team'], where: { team: [1, 2, 3] }, name: 'check_team' });
  await qi.addColumn('Tasks', 'owner', DataTypes.STRING);
  await qi.addConstraint('Tasks', { type: 'foreign key', fields: ['owner'], references: { table: 'Users', field: 'name' }, onDelete: 'cascade', onUpdate: 'cascade' });
  const names = (await qi.showConstraint('Users')).map((c) => c.constraintName);
  if (!names.includes('Users_email_uk') || !names.includes('check_team')) throw new Error(names.join());
  await qi.removeConstraint('Users', 'Users_email_uk');
  let unknown;
  try { await qi.removeConstraint('Users', 'unknown__constraint__name'); } catch (error) { unknown = error; }
  if (!(unknown instanceof Sequelize.UnknownConstraintError) || unknown.table !== 'Users' || unknown.constraint !== 'unknown__constraint__name') throw new Error('not UnknownConstraintError: ' + unknown);`,
    ),
  );
  read(file, (db) => {
    assert.throws(() => db.prepare('INSERT INTO "Users" (name, team, seat) VALUES (\'t9\', 9, 1)').run(), /CHECK constraint failed: check_team/);
    db.prepare("INSERT INTO \"Users\" (name, email, team, seat) VALUES ('dup', 'a@x', 3, 3)").run();
    db.prepare('DELETE FROM "Users" WHERE name = \'dup\'').run();
    assert.deepEqual(db.prepare('SELECT "from", "to", on_delete FROM pragma_foreign_key_list(\'Tasks\') ORDER BY "from"').raw().all(), [
      ['UserId', 'id', 'CASCADE'],
      ['owner', 'name', 'CASCADE'],
    ]);
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
    assert.deepEqual(db.prepare('SELECT rowid, k, v FROM t ORDER BY rowid').raw().all(), [
      [1, 'a', 1],
      [2, 'bb', 2],
    ]);
    db.prepare("INSERT INTO t (k) VALUES ('longer than five')").run();
    assert.deepEqual(db.prepare('SELECT name, "notnull", dflt_value, pk FROM pragma_table_info(\'t\')').raw().all(), [
      ['k', 1, null, 0],
      ['v', 0, '0', 0],
    ]);
    assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 't_v'").get());
  });
});

test('sequelize.sync({ alter: true }) on a model goes through the same preserving changeColumn', async () => {
  const file = ok(
    await migrate(
      RICH,
      RICH_DATA,
      `
  const User = qi.sequelize.define('User', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: DataTypes.STRING, allowNull: false, unique: true },
    email: DataTypes.TEXT, currency: { type: DataTypes.INTEGER, defaultValue: 0 }, active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    team: DataTypes.INTEGER, seat: DataTypes.INTEGER,
  }, { tableName: 'Users', timestamps: false });
  await User.sync({ alter: true });`,
    ),
  );
  read(file, (db) => {
    assert.equal(db.prepare("SELECT type FROM pragma_table_info('Users') WHERE name = 'email'").pluck().get(), 'TEXT');
    assertRichKept(db);
  });
});

test("outside migrations, an open document's queryInterface refuses every schema-changing method (with foreign keys on they would empty cascade children)", async () => {
  const { dir, engine } = await tinyApp({ '0001-sites.js': "exports.up = ({ exec }) => exec('CREATE TABLE sites (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');\n" });
  const file = path.join(dir, 'open.tiny');
  createDocument(file, { engine });
  const before = fileState(file);
  const handle = await openDocument(file, { engine, upgrade: false });
  try {
    const qi = handle.sequelize().getQueryInterface();
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
    assert.equal(((await handle.sequelize().query('SELECT count(*) AS n FROM sites', { type: 'SELECT' })) as { n: number }[]).length, 1, 'queries still work');
  } finally {
    handle.close();
  }
  assert.deepEqual(fileState(file), before);
});
