/**
 * A small app for the query-interface tests: version 1 runs a schema, version 2 is one step
 * written against Sequelize's queryInterface; a document at 1 seeded with data is upgraded to 2
 * through upgradeDocument, on real files. RICH is Sequelize's users/Tasks schema with everything
 * its sqlite rebuild loses.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import Database from 'better-sqlite3';
import { createDocument, createEngine, isFieldbookError, upgradeDocument } from '../../src/index';
import { writeManifests } from '../../src/tooling';
import { fileState, tempDir } from './fixtures';

/** The path of the sequelize package, for migrations written into temp folders. */
export const SEQUELIZE = JSON.stringify(require.resolve('sequelize'));

/** The Sequelize users/Tasks schema most cases start from, with everything a rebuild can lose. */
export const RICH = `
CREATE TABLE "Users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" VARCHAR(255) NOT NULL UNIQUE, "email" VARCHAR(255),
  "currency" INTEGER DEFAULT 0 CHECK ("currency" >= 0), "active" TINYINT(1) NOT NULL DEFAULT 0, "team" INTEGER, "seat" INTEGER,
  UNIQUE ("team", "seat"));
CREATE INDEX "users_email" ON "Users" ("email");
CREATE TABLE "Tasks" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "title" VARCHAR(255),
  "UserId" INTEGER REFERENCES "Users" ("id") ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE "log" ("what" TEXT);
CREATE TRIGGER "users_log" AFTER INSERT ON "Users" BEGIN INSERT INTO "log" VALUES ('user ' || NEW."name"); END;
`;
export const RICH_DATA = `
INSERT INTO "Users" (id, name, email, currency, team, seat) VALUES (1, 'ann', 'a@x', 5, 1, 1), (2, 'bob', 'b@x', 0, 1, 2), (3, 'cy', NULL, 7, 2, 1);
DELETE FROM "Users" WHERE id = 3;
INSERT INTO "Tasks" (title, "UserId") VALUES ('t1', 1), ('t2', 1), ('t3', 2);
DELETE FROM "log";
`;

export interface Run {
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
export async function migrate(schema: string, data: string, step: string): Promise<Run> {
  const dir = tempDir('engine-qi-');
  const migrations = path.join(dir, 'migrations');
  fs.mkdirSync(migrations);
  fs.writeFileSync(path.join(migrations, '0001-start.js'), `exports.up = ({ exec }) => exec(${JSON.stringify(schema)});\n`);
  fs.writeFileSync(
    path.join(migrations, '0002-change.js'),
    `const Sequelize = require(${SEQUELIZE});
const { DataTypes } = Sequelize;
exports.up = async ({ queryInterface: qi }) => {
${step}
};
`,
  );
  const engine = createEngine({
    applicationId: 0x51494e54,
    versionTable: 'qi_versions',
    appName: 'QiApp',
    appVersion: '1.0.0',
    migrations: { dir: migrations },
    backupDir: path.join(dir, 'backups'),
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
  read(file, (db) => db.exec(data));
}

/** Runs `fn` on a connection to the document with foreign keys on, then closes it. */
export function read<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  let result: T;
  try {
    db.pragma('foreign_keys = ON');
    result = fn(db);
  } finally {
    db.close();
  }
  return result;
}

/** The upgraded document's path; rethrows the step's error if it was refused. */
export const ok = (run: Run): string => {
  if (run.error !== undefined) throw run.error;
  return run.file;
};

/** Everything of RICH a Sequelize rebuild loses, asserted after a step changed "Users" (or "Tasks"). */
export function assertRichKept(db: Database.Database, users = 'Users'): void {
  const index = (name: string) => db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck().get(name);
  assert.ok(index('users_email'), 'the non-unique index is kept');
  const uniques = db
    .prepare(`SELECT il.name, group_concat(ii.name, ',') AS cols FROM pragma_index_list(?) il, pragma_index_info(il.name) ii WHERE il."unique" GROUP BY il.name ORDER BY cols`)
    .all(users) as { cols: string }[];
  assert.ok(
    uniques.some((u) => u.cols === 'team,seat'),
    `the composite UNIQUE stays one constraint: ${JSON.stringify(uniques)}`,
  );
  assert.ok(!uniques.some((u) => u.cols === 'team' || u.cols === 'seat'), 'and is not split per column');
  const defaults = Object.fromEntries(
    (db.prepare('SELECT name, dflt_value FROM pragma_table_info(?)').all(users) as { name: string; dflt_value: string | null }[]).map((c) => [c.name, c.dflt_value]),
  );
  assert.equal(defaults.active, '0', "DEFAULT 0 stays the integer 0, not '0'");
  assert.throws(() => db.prepare(`INSERT INTO "${users}" (name, currency, team, seat) VALUES ('neg', -1, 9, 9)`).run(), /CHECK constraint failed/, 'the CHECK is kept');
  db.prepare(`INSERT INTO "${users}" (name, team, seat) VALUES ('dee', 3, 1)`).run();
  const dee = db.prepare(`SELECT id, typeof(active) AS t, active FROM "${users}" WHERE name = 'dee'`).get() as { id: number; t: string; active: number };
  assert.deepEqual(dee, { id: 4, t: 'integer', active: 0 }, 'AUTOINCREMENT does not reuse the deleted id 3, and the default is an integer');
  assert.deepEqual(db.prepare('SELECT what FROM log').pluck().all(), ['user dee'], 'the trigger is kept and fires');
  const fk = db.prepare('SELECT "table", on_delete, on_update FROM pragma_foreign_key_list(\'Tasks\') WHERE "from" = \'UserId\'').all();
  assert.deepEqual(fk, [{ table: users, on_delete: 'CASCADE', on_update: 'CASCADE' }], 'the child keeps its FK actions');
  assert.equal(db.prepare('SELECT count(*) FROM "Tasks"').pluck().get(), 3, 'cascade children are kept');
  db.prepare(`DELETE FROM "${users}" WHERE id = 1`).run();
  assert.equal(db.prepare('SELECT count(*) FROM "Tasks"').pluck().get(), 1, 'and ON DELETE CASCADE still works');
  assert.deepEqual(db.pragma('foreign_key_check'), []);
}

/** The step was refused (MIGRATION_FAILED) with `message` and left the document exactly as it was. */
export function assertRefused(run: Run, message: RegExp): void {
  assert.ok(run.error !== undefined, 'the step was refused');
  if (isFieldbookError(run.error)) assert.equal(run.error.code, 'MIGRATION_FAILED');
  assert.match((run.error as Error).message, message);
  assert.deepEqual(fileState(run.file), run.before, 'the document is exactly as it was');
}
