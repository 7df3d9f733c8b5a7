/**
 * The way back a newer document carries is untrusted input (issue 13): forged down scripts are
 * refused before they run, or run only on a private copy whose result must be this app's head
 * exactly, with every loss reported. The original is never written.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { test } from 'node:test';
import { exportDocument, isFieldbookError, upgradeDocument, type Engine } from '@fieldbook/engine';
import { embeddedStatements, wayBackTableName } from '@fieldbook/engine/tooling';
import { engineAt } from './helpers/app-versions';
import { rows, sha256File, tempDir, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';

const WAY_BACK = wayBackTableName('fieldbook_migrations');

/** A version-7 (breaking) document whose recorded down SQL for version 7 is `forge(real)`. */
async function forged(forge: (real: string) => string, extra?: string): Promise<{ file: string; dir: string; six: Engine }> {
  const dir = tempDir();
  const file = richHeadDocument(dir, 'forged.fieldbook');
  await upgradeDocument(file, { engine: await engineAt(6, 'breaking'), backup: false });
  withDb(file, (db) => {
    db.exec("INSERT INTO site_visits (id, site_id, visited_on) VALUES (1, 1, '2024-02-02')");
    if (extra) db.exec(extra);
    const real = db.prepare(`SELECT down_sql FROM ${WAY_BACK} WHERE version = 7`).pluck().get() as string;
    db.prepare(`UPDATE ${WAY_BACK} SET down_sql = ? WHERE version = 7`).run(forge(real));
  });
  return { file, dir, six: await engineAt(6) };
}

/** Exports a copy for head 6 and expects `code`; the original keeps its bytes and nothing is left at the destination. */
async function refused(doc: { file: string; dir: string; six: Engine }, code: string, pattern?: RegExp): Promise<void> {
  const before = sha256File(doc.file);
  const destination = path.join(doc.dir, 'copy.fieldbook');
  await assert.rejects(exportDocument(doc.file, destination, { engine: doc.six }), (e: unknown) => {
    assert.ok(isFieldbookError(e), String(e));
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
  assert.equal(sha256File(doc.file), before, 'the original is never written');
  assert.deepEqual(
    fs.readdirSync(doc.dir).filter((f) => f !== 'forged.fieldbook'),
    [],
    'nothing is left beside it',
  );
}

test("a down script that ATTACHes a file in the user's home is refused before anything runs", async () => {
  const target = path.join(os.homedir(), `fieldbook-forged-${process.pid}.db`);
  const doc = await forged((real) => `ATTACH DATABASE '${target}' AS loot; CREATE TABLE loot.samples AS SELECT * FROM main.samples; ${real}`);
  await refused(doc, 'UNSAFE_SQL', /ATTACH is not allowed/);
  assert.equal(fs.existsSync(target), false);
  // Hidden in a string or a comment, it never runs either: a comment is dropped, a lone SELECT is refused.
  const hidden = await forged((real) => `/* ; ATTACH DATABASE '${target}' AS loot; */ -- ; ATTACH DATABASE '${target}' AS loot2;\n${real}`);
  const copy = await exportDocument(hidden.file, path.join(hidden.dir, 'copy.fieldbook'), { engine: hidden.six });
  assert.equal(copy.version, 6);
  assert.equal(fs.existsSync(target), false);
  await refused(await forged((real) => `${real} SELECT 'ATTACH DATABASE ''${target}'' AS loot';`), 'UNSAFE_SQL', /SELECT statements are not allowed/);
  await refused(await forged((real) => `${real} INSERT INTO tags (name) VALUES ('x'); VACUUM INTO '${target}';`), 'UNSAFE_SQL', /VACUUM/);
  assert.equal(fs.existsSync(target), false);
});

test('a down script that deletes rows: the copy reports every row it lost, or is refused when the rows are referenced', async () => {
  const leaf = await forged((real) => `DELETE FROM sample_tags; ${real}`);
  const result = await exportDocument(leaf.file, path.join(leaf.dir, 'copy.fieldbook'), { engine: leaf.six });
  assert.deepEqual(result.lost, [
    { table: 'sample_tags', column: null, rows: 5 },
    { table: 'site_visits', column: null, rows: 1 },
  ]);
  await refused(await forged((real) => `DELETE FROM samples; ${real}`), 'UNSAFE_SQL', /foreign key violations/);
});

test('a down script with a syntax error fails on the copy and leaves nothing', async () => {
  await refused(await forged(() => 'DROP TABLE site_visits; ALTER TABLE measurements RENAME COLUMN unit_symbol;'), 'MIGRATION_FAILED', /incomplete input|syntax error/);
  await refused(await forged((real) => `${real} INSERT INTO tags (name) VALUES ('unterminated);`), 'MIGRATION_FAILED');
});

test('a trigger the document carries that fires during the down steps: its damage is reported, and one that stays is refused', async () => {
  const firing = await forged(
    (real) => `UPDATE site_visits SET visited_on = visited_on; ${real}`,
    'CREATE TRIGGER site_visits_wipe AFTER UPDATE ON site_visits BEGIN DELETE FROM attachments; END',
  );
  const result = await exportDocument(firing.file, path.join(firing.dir, 'copy.fieldbook'), { engine: firing.six });
  assert.ok(
    result.lost.some((l) => l.table === 'attachments' && l.column === null && l.rows === 2),
    JSON.stringify(result.lost),
  );
  await refused(await forged((real) => real, 'CREATE TRIGGER samples_spy AFTER UPDATE ON samples BEGIN DELETE FROM tags; END'), 'UNSAFE_SQL', /samples_spy/);
  await refused(
    await forged((real) => real, 'CREATE TRIGGER bookkeeping_spy AFTER DELETE ON fieldbook_migrations BEGIN DELETE FROM samples; END'),
    'UNSAFE_SQL',
    /bookkeeping_spy/,
  );
  const planted = await forged((real) => `${real} CREATE TRIGGER planted AFTER INSERT ON tags BEGIN DELETE FROM samples; END;`);
  await refused(planted, 'UNSAFE_SQL', /planted/);
});

test('writing CTEs, PRAGMAs, the bookkeeping tables, extensions, NUL bytes and huge scripts are refused', async () => {
  await refused(await forged((real) => `WITH doomed AS (SELECT id FROM samples) DELETE FROM measurements WHERE sample_id IN doomed; ${real}`), 'UNSAFE_SQL', /WITH statements/);
  await refused(await forged((real) => `PRAGMA writable_schema = ON; ${real}`), 'UNSAFE_SQL', /writable_schema/);
  await refused(await forged((real) => `PRAGMA main.user_version = 3; ${real}`), 'UNSAFE_SQL', /PRAGMA main/);
  await refused(await forged((real) => `${real} DELETE FROM fieldbook_migrations WHERE version = 2;`), 'UNSAFE_SQL', /only this app writes fieldbook_migrations/);
  await refused(await forged((real) => `${real} UPDATE "${WAY_BACK}" SET down_sql = NULL;`), 'UNSAFE_SQL', /only this app writes/);
  await refused(await forged((real) => `INSERT INTO tags (name) SELECT load_extension('/tmp/evil.so'); ${real}`), 'UNSAFE_SQL', /LOAD_EXTENSION/);
  await refused(
    await forged((real) => `INSERT INTO tags (name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n; ${real}`),
    'UNSAFE_SQL',
    /RECURSIVE/,
  );
  await refused(await forged((real) => `${real}\0 ATTACH DATABASE '/tmp/x' AS y;`), 'UNSAFE_SQL', /NUL/);
  await refused(await forged((real) => `${real} ${'INSERT INTO tags (name) VALUES (NULL);\n'.repeat(150_000)}`), 'UNSAFE_SQL', /larger than/);
  await refused(await forged((real) => `UPDATE sqlite_master SET sql = 'x'; ${real}`), 'UNSAFE_SQL', /SQLite's own/);
  await refused(await forged((real) => `INSERT INTO tags (name) VALUES (?); ${real}`), 'UNSAFE_SQL', /parameters/);
  await refused(await forged((real) => `BEGIN; ${real} COMMIT;`), 'UNSAFE_SQL', /BEGIN/);
});

test("a result that is not this app's head is refused, whatever the script did", async () => {
  await refused(await forged((real) => `${real} CREATE TABLE leftovers (x);`), 'UNSAFE_SQL', /leftovers/);
  await refused(await forged(() => 'DROP TABLE site_visits;'), 'UNSAFE_SQL', /does not match version 6|unit/);
});

test('the allow-list splits trigger bodies whole and rebuilds statements from their tokens', () => {
  const statements = embeddedStatements(
    `CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN new.x > 0 THEN 1 ELSE 0 END; DELETE FROM b; END; -- note ; here
    DROP TABLE b /* ; DROP TABLE c; */ ; PRAGMA foreign_keys = OFF;`,
    ['v'],
    'step',
  );
  assert.deepEqual(statements, [
    'CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN new . x > 0 THEN 1 ELSE 0 END ; DELETE FROM b ; END',
    'DROP TABLE b',
    'PRAGMA foreign_keys = OFF',
  ]);
  // Every down step Fieldbook ships passes it.
  const six = rows(richHeadDocument(tempDir()), `SELECT name, down_sql FROM ${WAY_BACK} ORDER BY version`);
  for (const r of six) assert.ok(embeddedStatements(String(r.down_sql), ['fieldbook_migrations', WAY_BACK], String(r.name)).length > 0, String(r.name));
});
