/**
 * `ctx.queryInterface.changeColumn` inside migrations, through the real migration runner on real
 * files: cases of Sequelize v6's own query-interface suite re-expressed as migrations of a small
 * app (helpers/query-interface-app), each asserting that what Sequelize's sqlite rebuild loses is
 * kept: non-unique and composite unique indexes, triggers, CHECKs, FK actions, defaults (0 stays
 * the integer 0), AUTOINCREMENT counters and cascade children. Changes with no faithful
 * translation are refused, naming ctx.ops, with the file left as it was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RICH, RICH_DATA, assertRefused, assertRichKept, migrate, ok, read } from './helpers/query-interface-app';

test('changeColumn (Sequelize "should change columns": type FLOAT, allowNull) keeps indexes, triggers, CHECKs, FK actions, defaults, AUTOINCREMENT and children', async () => {
  const file = ok(await migrate(RICH, RICH_DATA, "await qi.changeColumn('Users', 'currency', { type: DataTypes.FLOAT, allowNull: true });"));
  read(file, (db) => {
    const col = db.prepare("SELECT type, \"notnull\", dflt_value FROM pragma_table_info('Users') WHERE name = 'currency'").get();
    assert.deepEqual(col, { type: 'FLOAT', notnull: 0, dflt_value: '0' }, 'the type changed; the DEFAULT 0 the step did not state is kept as 0');
    assert.deepEqual(db.prepare('SELECT id, currency, typeof(currency) AS t FROM "Users" ORDER BY id').all(), [
      { id: 1, currency: 5, t: 'real' },
      { id: 2, currency: 0, t: 'real' },
    ]);
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
  const file = ok(
    await migrate(
      schema,
      data,
      `
  await qi.changeColumn('Foos', 'email', { type: DataTypes.STRING, allowNull: true });
  await qi.changeColumn('Foos', 'name', { type: DataTypes.STRING, unique: true });
  await qi.changeColumn('Foos', 'phone', { type: DataTypes.STRING, allowNull: true, defaultValue: 0 });
  const table = await qi.describeTable('Foos');
  if (!table.email.unique || !table.name.unique || table.name.allowNull !== false || table.email.allowNull !== true) throw new Error('describeTable: ' + JSON.stringify(table));`,
    ),
  );
  read(file, (db) => {
    const info = db.prepare('SELECT name, "notnull", dflt_value FROM pragma_table_info(\'Foos\')').all();
    assert.deepEqual(info, [
      { name: 'id', notnull: 1, dflt_value: null },
      { name: 'name', notnull: 1, dflt_value: null },
      { name: 'email', notnull: 0, dflt_value: null },
      { name: 'phone', notnull: 0, dflt_value: '0' },
    ]);
    assert.throws(() => db.prepare("INSERT INTO Foos (name, email) VALUES ('a', 'z')").run(), /UNIQUE constraint failed: Foos.name/);
    assert.throws(() => db.prepare("INSERT INTO Foos (name, email) VALUES ('c', 'a@x')").run(), /UNIQUE constraint failed: Foos.email/);
    db.prepare("INSERT INTO Foos (name) VALUES ('c')").run();
    assert.deepEqual(
      db.prepare("SELECT phone, typeof(phone) AS t FROM Foos WHERE name = 'c'").get(),
      { phone: '0', t: 'text' },
      'DEFAULT 0 written as the integer 0 (TEXT affinity stores it as text, as SQLite does)',
    );
  });
});

test('changeColumn and renameColumn keep the table\'s foreign keys and their actions (Sequelize: "should not remove foreign keys when adding or modifying columns")', async () => {
  const file = ok(
    await migrate(
      RICH,
      RICH_DATA,
      `
  await qi.addColumn('Tasks', 'bar', DataTypes.INTEGER);
  await qi.changeColumn('Tasks', 'bar', DataTypes.STRING);
  await qi.renameColumn('Tasks', 'bar', 'foo');
  const refs = await qi.getForeignKeyReferencesForTable('Tasks');
  if (refs.length !== 1 || refs[0].columnName !== 'UserId') throw new Error(JSON.stringify(refs));`,
    ),
  );
  read(file, (db) => {
    assert.deepEqual(db.prepare("SELECT name, type FROM pragma_table_info('Tasks')").raw().all(), [
      ['id', 'INTEGER'],
      ['title', 'VARCHAR(255)'],
      ['UserId', 'INTEGER'],
      ['foo', 'VARCHAR(255)'],
    ]);
    assertRichKept(db);
  });
});

test('changeColumn on the child: references with onDelete replaces the actions; a bare type keeps them; onDelete alone keeps the target', async () => {
  const file = ok(
    await migrate(
      RICH,
      RICH_DATA,
      `
  await qi.changeColumn('Tasks', 'UserId', { type: DataTypes.BIGINT });
  const a = await qi.sequelize.query("SELECT on_delete || '/' || on_update AS x FROM pragma_foreign_key_list('Tasks')", { type: 'SELECT' });
  if (a[0].x !== 'CASCADE/CASCADE') throw new Error('bare type lost the actions: ' + a[0].x);
  await qi.changeColumn('Tasks', 'UserId', { type: DataTypes.INTEGER, onDelete: 'SET NULL' });
  const b = await qi.sequelize.query("SELECT on_delete || '/' || on_update AS x FROM pragma_foreign_key_list('Tasks')", { type: 'SELECT' });
  if (b[0].x !== 'SET NULL/CASCADE') throw new Error('onDelete alone: ' + b[0].x);
  await qi.changeColumn('Tasks', 'UserId', { type: DataTypes.INTEGER, references: { model: 'Users', key: 'id' }, onDelete: 'RESTRICT', onUpdate: 'NO ACTION' });`,
    ),
  );
  read(file, (db) => {
    assert.deepEqual(db.prepare('SELECT "table", "from", "to", on_delete, on_update FROM pragma_foreign_key_list(\'Tasks\')').all(), [
      { table: 'Users', from: 'UserId', to: 'id', on_delete: 'RESTRICT', on_update: 'NO ACTION' },
    ]);
    assert.deepEqual(db.prepare('SELECT id, title, "UserId" FROM "Tasks" ORDER BY id').raw().all(), [
      [1, 't1', 1],
      [2, 't2', 1],
      [3, 't3', 2],
    ]);
    assert.throws(() => db.prepare('DELETE FROM "Users" WHERE id = 1').run(), /FOREIGN KEY constraint failed/);
  });
});

test('changeColumn works with "schemas" (a prefixed table name on SQLite), enums, quoted and keyword names', async () => {
  const schema =
    'CREATE TABLE `archive.users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `currency` INTEGER, `firstName` VARCHAR(255));' +
    ' CREATE INDEX au ON `archive.users` (currency);' +
    ` CREATE TABLE "it's ""odd""" ("select" INTEGER DEFAULT 0, "Order" TEXT); CREATE INDEX odd_order ON "it's ""odd""" ("Order");`;
  const data = 'INSERT INTO `archive.users` (currency, firstName) VALUES (3, \'value1\'); INSERT INTO "it\'s ""odd""" VALUES (1, \'x\'), (2, NULL);';
  const file = ok(
    await migrate(
      schema,
      data,
      `
  await qi.changeColumn({ tableName: 'users', schema: 'archive' }, 'currency', { type: DataTypes.FLOAT });
  await qi.changeColumn({ tableName: 'users', schema: 'archive' }, 'firstName', { type: DataTypes.ENUM(['value1', 'value2']) });
  await qi.changeColumn('it\\'s "odd"', 'SELECT', { type: DataTypes.BIGINT, allowNull: false });
  await qi.renameColumn('IT\\'S "ODD"', 'order', 'by');`,
    ),
  );
  read(file, (db) => {
    assert.deepEqual(db.prepare("SELECT name, type FROM pragma_table_info('archive.users')").raw().all(), [
      ['id', 'INTEGER'],
      ['currency', 'FLOAT'],
      ['firstName', 'TEXT'],
    ]);
    assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'au'").get());
    assert.deepEqual(db.prepare(`SELECT name, type, "notnull", dflt_value FROM pragma_table_info('it''s "odd"')`).raw().all(), [
      ['select', 'BIGINT', 1, '0'],
      ['by', 'TEXT', 0, null],
    ]);
    assert.match(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'odd_order'").pluck().get() as string, /"by"/);
    assert.equal(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'it%'").pluck().get(), `it's "odd"`, 'stored spelling kept');
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

test('changeColumn edge cases: a NUL in a default, NOW, table-level UNIQUE and FOREIGN KEY, STRICT', async () => {
  const schema = `CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE t (a INTEGER, b TEXT DEFAULT 'old', c INTEGER, d INTEGER, UNIQUE (c), FOREIGN KEY (d) REFERENCES p (id) ON DELETE CASCADE);
CREATE TABLE s (k INTEGER PRIMARY KEY, v TEXT) STRICT;`;
  const data = "INSERT INTO p VALUES (1); INSERT INTO t (a, c, d) VALUES (1, 1, 1); INSERT INTO s VALUES (1, 'x');";
  const file = ok(
    await migrate(
      schema,
      data,
      `
  await qi.changeColumn('t', 'a', { type: DataTypes.STRING, defaultValue: 'nul\\u0000inside' });
  await qi.changeColumn('t', 'b', { type: DataTypes.DATE, defaultValue: DataTypes.NOW });
  await qi.changeColumn('t', 'c', { type: DataTypes.BIGINT, unique: true });
  await qi.changeColumn('t', 'd', { type: DataTypes.BIGINT });`,
    ),
  );
  read(file, (db) => {
    db.prepare('INSERT INTO t (c, d) VALUES (2, 1)').run();
    assert.deepEqual(
      db.prepare('SELECT hex(a), b FROM t WHERE c = 2').raw().get(),
      [Buffer.from('nul\0inside').toString('hex').toUpperCase(), null],
      'the NUL default is stored whole; NOW (filled by Sequelize, not SQLite) leaves no schema default, as in Sequelize',
    );
    assert.equal(db.prepare('SELECT count(*) FROM pragma_index_list(\'t\') WHERE "unique"').pluck().get(), 1, 'unique: true on a column already UNIQUE adds no second constraint');
    assert.deepEqual(db.prepare('SELECT "from", on_delete FROM pragma_foreign_key_list(\'t\')').raw().all(), [['d', 'CASCADE']], 'the table-level FOREIGN KEY is kept, once');
    assert.throws(() => db.prepare('INSERT INTO t (c) VALUES (1)').run(), /UNIQUE constraint failed: t\.c/);
  });
  assertRefused(
    await migrate(schema, data, "await qi.changeColumn('t', 'd', { type: DataTypes.INTEGER, references: { model: 'p', key: 'id' }, onDelete: 'SET NULL' });"),
    /table-level FOREIGN KEY.*ctx\.ops/,
  );
  assertRefused(await migrate(schema, data, "await qi.changeColumn('t', 'c', { type: DataTypes.INTEGER, unique: false });"), /UNIQUE.*ctx\.ops/);
  assertRefused(await migrate(schema, data, "await qi.changeColumn('s', 'v', DataTypes.STRING);"), /unknown datatype/);
});
