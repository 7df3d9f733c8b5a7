/**
 * `revision --autogenerate` (main/devtools): for each kind of difference, a scratch migrations
 * folder in a temp dir and models defined in the test; the diff must report the change, the
 * generated migration must read as expected, and running it (loaded through tsx, replayed after
 * the others in memory) must make the models match (an empty diff), with down() giving the
 * previous schema back and rows kept where the change keeps them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { DataTypes, literal, type ModelAttributes, type ModelOptions, type Sequelize } from 'sequelize';
import { type Connection, schemaFingerprint } from '@fieldbook/engine/tooling';
import { diffModels, diffModelsWith } from '../main/devtools/diff-models';
import type { DevtoolsConfig } from '../main/devtools/devtools-config';
import { fieldbookDevtoolsConfig } from '../main/devtools/fieldbook-config';
import { listMigrationFiles, loadMigrationModule } from '../main/devtools/migration-files';
import { migrationSource } from '../main/devtools/migration-template';
import { replayStep, scratchDatabase } from '../main/devtools/replay-database';
import { revision } from '../main/devtools/revision';
import type { SchemaChangeKind } from '../main/devtools/schema-change';
import type { SqliteTableOptions } from '../main/devtools/sqlite-table-options';
import { jsString } from '../main/devtools/sql-text';
import { tempDir } from './helpers/fixtures';

const VERSION_TABLE = 'app_versions';

type ModelSpec = [table: string, attributes: ModelAttributes, options?: ModelOptions];

/**
 * A scratch project: a migrations folder whose migration 0001 runs `up` (and `down`), and a
 * config whose models are `models`.
 */
function project(up: string[], down: string[], models: ModelSpec[], extra: Partial<DevtoolsConfig> = {}): DevtoolsConfig {
  const dir = tempDir('fieldbook-autogen-');
  const config: DevtoolsConfig = {
    migrationsDir: dir,
    versionTable: VERSION_TABLE,
    models: (sequelize: Sequelize) => {
      for (const [table, attributes, options] of models) sequelize.define(table, attributes, { tableName: table, timestamps: false, ...options });
    },
    ...extra,
  };
  fs.writeFileSync(
    path.join(dir, '0001-base.ts'),
    migrationSource({
      message: 'base',
      contextImport: '@fieldbook/engine',
      up: up.map((sql) => `exec(${jsString(sql)});`),
      down: down.map((sql) => `exec(${jsString(sql)});`),
    }),
  );
  return config;
}

const kinds = (changes: { kind: SchemaChangeKind }[]) => changes.map((c) => c.kind).sort();

async function replayAll(dir: string, upTo = Infinity): Promise<Connection> {
  const db = scratchDatabase();
  for (const [i, f] of listMigrationFiles(dir).entries()) {
    if (i + 1 > upTo) break;
    await replayStep(db, { name: f.name, module: loadMigrationModule(f.path) }, i + 1, 'up');
  }
  return db;
}

/**
 * Generates the migration and proves it: up makes the diff empty, down gives the previous
 * fingerprint back, up again is empty again. Returns the generated source and the database at
 * head (rows seeded by the base migration can be checked there; closed by the caller's GC).
 */
async function generateAndRun(config: DevtoolsConfig, message = 'change'): Promise<{ source: string; db: Connection }> {
  const result = await revision(config, { message, autogenerate: true });
  assert.ok(result.path, 'a migration was written');
  const source = fs.readFileSync(result.path, 'utf8');
  const head = result.version;
  const db = await replayAll(config.migrationsDir, head - 1);
  const before = schemaFingerprint(db, config.versionTable);
  const step = { name: result.name!, module: loadMigrationModule(result.path) };
  await replayStep(db, step, head, 'up');
  assert.deepEqual(
    diffModelsWith(db, config, head).changes.map((c) => c.description),
    [],
    `after the generated up():\n${source}`,
  );
  await replayStep(db, step, head, 'down');
  assert.equal(schemaFingerprint(db, config.versionTable), before, `down() gives the previous schema back:\n${source}`);
  await replayStep(db, step, head, 'up');
  assert.deepEqual((await diffModels(config)).changes, [], 'a fresh replay of every migration matches the models');
  return { source, db };
}

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };

test('tables added and removed: CREATE TABLE with its indexes, DROP TABLE; down recreates the dropped one', async () => {
  const config = project(
    ['CREATE TABLE sites (id INTEGER PRIMARY KEY, name TEXT NOT NULL)', 'CREATE TABLE old_cache (k TEXT PRIMARY KEY, v BLOB)', 'CREATE INDEX old_cache_v ON old_cache(v)'],
    ['DROP TABLE old_cache', 'DROP TABLE sites'],
    [
      ['sites', { id, name: { type: DataTypes.TEXT, allowNull: false } }],
      [
        'visits',
        { id, siteId: { type: DataTypes.INTEGER, field: 'site_id', allowNull: false, references: { model: 'sites', key: 'id' }, onDelete: 'CASCADE' }, day: DataTypes.TEXT },
        { indexes: [{ name: 'visits_day_idx', fields: ['day'] }] },
      ],
    ],
  );
  const diff = await diffModels(config);
  assert.deepEqual(kinds(diff.changes), ['add_table', 'remove_table']);
  assert.deepEqual(diff.changes.map((c) => c.table).sort(), ['old_cache', 'visits']);
  const { source } = await generateAndRun(config, 'visits replace the cache');
  assert.match(source, /exec\(`CREATE TABLE visits \(\n {2}id INTEGER PRIMARY KEY,\n {2}site_id INTEGER NOT NULL REFERENCES sites\(id\) ON DELETE CASCADE,\n {2}day TEXT\n\)`\);/);
  assert.match(source, /exec\('CREATE INDEX visits_day_idx ON visits\(day\)'\);/);
  assert.match(source, /exec\('DROP TABLE old_cache'\);/);
  assert.match(source, /export function down[\s\S]*CREATE TABLE old_cache[\s\S]*CREATE INDEX old_cache_v[\s\S]*DROP TABLE visits/);
  assert.match(source, /^export const message = 'visits replace the cache';$/m);
});

test('columns added and removed: native ADD COLUMN and DROP COLUMN, rows kept', async () => {
  const config = project(
    ['CREATE TABLE sites (id INTEGER PRIMARY KEY, name TEXT NOT NULL, legacy_code INTEGER)', "INSERT INTO sites (name, legacy_code) VALUES ('a', 1), ('b', 2)"],
    ['DROP TABLE sites'],
    [['sites', { id, name: { type: DataTypes.TEXT, allowNull: false }, notes: DataTypes.TEXT, visits: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 } }]],
  );
  const diff = await diffModels(config);
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    ['remove column sites.legacy_code', 'add column sites.notes TEXT', 'add column sites.visits INTEGER'],
  );
  assert.deepEqual(diff.renames, [], 'INTEGER → TEXT is no rename candidate');
  const { source, db } = await generateAndRun(config);
  assert.match(
    source,
    /ops\.dropColumn\('sites', 'legacy_code'\);\n {2}ops\.addColumn\('sites', 'notes TEXT'\);\n {2}ops\.addColumn\('sites', 'visits INTEGER NOT NULL DEFAULT 0'\);/,
  );
  assert.doesNotMatch(source, /rebuildTable\('sites', \{ create: `CREATE TABLE sites[\s\S]*export function down/, 'up() uses no rebuild');
  assert.deepEqual(db.prepare('SELECT id, name, notes, visits FROM sites ORDER BY id').all(), [
    { id: 1, name: 'a', notes: null, visits: 0 },
    { id: 2, name: 'b', notes: null, visits: 0 },
  ]);
  db.close();
});

test('nullability: a column becoming NOT NULL is altered by a preserving rebuild; NULLs filled from the new default', async () => {
  const config = project(
    ['CREATE TABLE samples (id INTEGER PRIMARY KEY, code TEXT, status TEXT)', "INSERT INTO samples (code, status) VALUES ('x', NULL), ('y', 'done')"],
    ['DROP TABLE samples'],
    [['samples', { id, code: DataTypes.TEXT, status: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'new' } }]],
  );
  const diff = await diffModels(config);
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    ['samples.status: nullable → NOT NULL', "samples.status: default none → 'new'"],
  );
  const { source, db } = await generateAndRun(config);
  assert.match(source, /ops\.alterColumn\('samples', 'status', 'TEXT NOT NULL DEFAULT \\'new\\'', 'coalesce\(status, \\'new\\'\)', \{ constraints: 'replace' \}\);/);
  assert.match(source, /export function down[\s\S]*ops\.alterColumn\('samples', 'status', 'TEXT', undefined, \{ constraints: 'replace' \}\);/);
  assert.deepEqual(db.prepare('SELECT code, status FROM samples ORDER BY id').all(), [
    { code: 'x', status: 'new' },
    { code: 'y', status: 'done' },
  ]);

  const relaxed = project(['CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL)'], ['DROP TABLE t'], [['t', { id, a: DataTypes.TEXT }]]);
  assert.deepEqual(
    (await diffModels(relaxed)).changes.map((c) => c.description),
    ['t.a: NOT NULL → nullable'],
  );
  assert.match((await generateAndRun(relaxed)).source, /ops\.alterColumn\('t', 'a', 'TEXT', undefined, \{ constraints: 'replace' \}\);/);
});

test('type: compared by default (STRING means TEXT); values converted by the rebuild; affinity-only and off', async () => {
  const base = ['CREATE TABLE m (id INTEGER PRIMARY KEY, value TEXT, label VARCHAR(20), n INT)', "INSERT INTO m (value, label, n) VALUES ('1.5', 'a', 1)"];
  const models: ModelSpec[] = [['m', { id, value: DataTypes.REAL, label: DataTypes.STRING, n: DataTypes.INTEGER }]];
  const config = project(base, ['DROP TABLE m'], models);
  const diff = await diffModels(config);
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    ['m.value: type TEXT → REAL', 'm.label: type VARCHAR(20) → TEXT', 'm.n: type INT → INTEGER'],
  );
  const { source, db } = await generateAndRun(config);
  assert.match(source, /ops\.rebuildTable\('m', \{ create: `CREATE TABLE m \(\n {2}id INTEGER PRIMARY KEY,\n {2}value REAL,\n {2}label TEXT,\n {2}n INTEGER\n\)` \}\);/);
  assert.match(source, /values are converted by the new type's affinity/);
  assert.deepEqual(db.prepare('SELECT value, typeof(value) AS t FROM m').get(), { value: 1.5, t: 'real' });

  const affinity = project(base, ['DROP TABLE m'], models, { compareTypes: 'affinity' });
  assert.deepEqual(
    (await diffModels(affinity)).changes.map((c) => c.description),
    ['m.value: type TEXT → REAL'],
    'VARCHAR(20)/TEXT and INT/INTEGER share an affinity',
  );
  const off = project(base, ['DROP TABLE m'], models, { compareTypes: false });
  assert.deepEqual((await diffModels(off)).changes, []);
});

test('server default: literals and expressions, added, changed and removed', async () => {
  const config = project(
    ["CREATE TABLE notes (id INTEGER PRIMARY KEY, status TEXT DEFAULT 'open', created TEXT, weight REAL DEFAULT (1.0), flag INTEGER NOT NULL DEFAULT 0)"],
    ['DROP TABLE notes'],
    [
      [
        'notes',
        {
          id,
          status: { type: DataTypes.TEXT, defaultValue: 'draft' },
          created: { type: DataTypes.TEXT, defaultValue: literal("(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))") },
          weight: DataTypes.REAL,
          flag: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        },
      ],
    ],
  );
  const diff = await diffModels(config);
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    [
      "notes.status: default 'open' → 'draft'",
      "notes.created: default none → (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
      'notes.weight: default 1.0 → none', // PRAGMA table_xinfo reports a constant without its parentheses
    ],
    'BOOLEAN false is DEFAULT 0, and BOOLEAN is declared INTEGER',
  );
  const { source } = await generateAndRun(config);
  assert.match(source, / {2}created TEXT DEFAULT \(strftime\('%Y-%m-%dT%H:%M:%fZ', 'now'\)\),\n {2}weight REAL,/);
  assert.match(source, /status TEXT DEFAULT 'draft'/);
});

test('indexes: named, unnamed (Sequelize names it), composite unique, expression, partial, removed and changed', async () => {
  const config = project(
    [
      'CREATE TABLE s (id INTEGER PRIMARY KEY, site INTEGER, code TEXT, day TEXT)',
      'CREATE INDEX by_day ON s(day)',
      'CREATE INDEX by_code ON s(code)',
      'CREATE INDEX s_old ON s(site)',
      'CREATE INDEX s_lower ON s(lower(code))',
    ],
    ['DROP TABLE s'],
    [
      [
        's',
        { id, site: DataTypes.INTEGER, code: DataTypes.TEXT, day: DataTypes.TEXT },
        {
          indexes: [
            { fields: ['day'] }, // unnamed (Sequelize calls it s_day): matches by_day by its shape
            { name: 'by_code', fields: [{ name: 'code', collate: 'NOCASE', order: 'DESC' }] }, // same name, other shape
            { name: 's_site_code_uq', unique: true, fields: ['site', 'code'] },
            { fields: ['site', 'day'] }, // unnamed and new: Sequelize's name s_site_day
            { name: 's_lower', fields: [literal('lower(code)')] }, // an expression, unchanged
            { name: 's_live', fields: ['day'], where: { site: 1 } }, // partial
          ],
        },
      ],
    ],
  );
  const diff = await diffModels(config);
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    [
      'remove index s_old on s (site)',
      'change index by_code on s (code) → index by_code on s (code COLLATE NOCASE DESC)',
      'add unique index s_site_code_uq on s (site, code)',
      'add index s_live on s (day) WHERE site = 1',
      'add index s_site_day on s (site, day)',
    ],
  );
  const { source } = await generateAndRun(config);
  assert.match(
    source,
    /exec\('DROP INDEX s_old'\);\n {2}exec\('DROP INDEX by_code'\);\n {2}exec\('CREATE INDEX by_code ON s\(code COLLATE NOCASE DESC\)'\);\n {2}exec\('CREATE UNIQUE INDEX s_site_code_uq ON s\(site, code\)'\);\n {2}exec\('CREATE INDEX s_live ON s\(day\) WHERE site = 1'\);\n {2}exec\('CREATE INDEX s_site_day ON s\(site, day\)'\);/,
  );
  assert.doesNotMatch(source, /rebuildTable/, 'indexes alone need no rebuild');
});

test('unique constraints: single and composite (named or not), added and removed by a rebuild', async () => {
  const config = project(
    ['CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL, scope TEXT, slug TEXT UNIQUE)'],
    ['DROP TABLE tags'],
    [
      [
        'tags',
        {
          id,
          name: { type: DataTypes.TEXT, allowNull: false, unique: true },
          scope: { type: DataTypes.TEXT, unique: 'tags_scope_slug' },
          slug: { type: DataTypes.TEXT, unique: 'tags_scope_slug' },
        },
      ],
    ],
  );
  const diff = await diffModels(config);
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    ['remove unique constraint tags (slug)', 'add unique constraint tags (name)', 'add unique constraint tags (scope, slug)'],
  );
  const { source } = await generateAndRun(config);
  assert.match(source, / {2}name TEXT NOT NULL UNIQUE,\n {2}scope TEXT,\n {2}slug TEXT,\n {2}UNIQUE \(scope, slug\)\n\)`/);
});

test('foreign keys: added, removed, ON DELETE/ON UPDATE changed; a new REFERENCES column is added natively', async () => {
  const config = project(
    [
      'CREATE TABLE sites (id INTEGER PRIMARY KEY)',
      'CREATE TABLE people (id INTEGER PRIMARY KEY)',
      'CREATE TABLE samples (id INTEGER PRIMARY KEY, site_id INTEGER REFERENCES sites(id), owner INTEGER, checker INTEGER REFERENCES people(id))',
      'CREATE TABLE notes (id INTEGER PRIMARY KEY, sample_id INTEGER REFERENCES samples(id))',
      'INSERT INTO sites (id) VALUES (1)',
      'INSERT INTO samples (id, site_id) VALUES (10, 1)',
      'INSERT INTO notes (sample_id) VALUES (10)',
    ],
    ['DROP TABLE notes', 'DROP TABLE samples', 'DROP TABLE people', 'DROP TABLE sites'],
    [
      ['sites', { id }],
      ['people', { id }],
      [
        'samples',
        {
          id,
          siteId: { type: DataTypes.INTEGER, field: 'site_id', references: { model: 'sites', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
          owner: { type: DataTypes.INTEGER, references: { model: 'people', key: 'id' }, onDelete: 'SET NULL' },
          checker: DataTypes.INTEGER,
        },
      ],
      [
        'notes',
        {
          id,
          sampleId: { type: DataTypes.INTEGER, field: 'sample_id', references: { model: 'samples', key: 'id' } },
          authorId: { type: DataTypes.INTEGER, field: 'author_id', references: { model: 'people', key: 'id' }, onDelete: 'SET NULL' },
        },
      ],
    ],
  );
  const diff = await diffModels(config);
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    [
      'foreign key samples (site_id) → sites: ON DELETE NO ACTION ON UPDATE NO ACTION → ON DELETE CASCADE ON UPDATE CASCADE',
      'remove foreign key samples (checker) → people (id)',
      'add foreign key samples (owner) → people (id) ON DELETE SET NULL',
      'add column notes.author_id INTEGER',
    ],
  );
  const { source, db } = await generateAndRun(config);
  assert.match(
    source,
    /site_id INTEGER REFERENCES sites\(id\) ON DELETE CASCADE ON UPDATE CASCADE,\n {2}owner INTEGER REFERENCES people\(id\) ON DELETE SET NULL,\n {2}checker INTEGER\n\)`/,
  );
  assert.match(source, /ops\.addColumn\('notes', 'author_id INTEGER REFERENCES people\(id\) ON DELETE SET NULL'\);/);
  assert.deepEqual(db.prepare('SELECT count(*) AS n FROM notes').get(), { n: 1 }, 'rebuilding samples left its child rows alone');
  db.close();
});

test('CHECK constraints: on a column (altered in place) and on the table (rebuild), added and removed', async () => {
  const options: Record<string, SqliteTableOptions> = { sites: { columnChecks: { lat: 'lat BETWEEN -90 AND 90' }, checks: ['lat IS NULL OR lon IS NOT NULL'] } };
  const config = project(
    ['CREATE TABLE sites (id INTEGER PRIMARY KEY, lat REAL, lon REAL CHECK (lon BETWEEN -180 AND 180))', 'INSERT INTO sites (lat, lon) VALUES (45, 7)'],
    ['DROP TABLE sites'],
    [['sites', { id, lat: DataTypes.REAL, lon: DataTypes.REAL }]],
    { tableOptions: options },
  );
  const diff = await diffModels(config);
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    ['remove check on sites.lon: lon BETWEEN -180 AND 180', 'add check on sites.lat: lat BETWEEN -90 AND 90', 'add check on sites: lat IS NULL OR lon IS NOT NULL'],
  );
  const { source, db } = await generateAndRun(config);
  assert.match(source, / {2}lat REAL CHECK \(lat BETWEEN -90 AND 90\),\n {2}lon REAL,\n {2}CHECK \(lat IS NULL OR lon IS NOT NULL\)\n\)`/);
  assert.equal((db.prepare('SELECT count(*) AS n FROM sites').get() as { n: number }).n, 1);
  db.close();

  const one = project(['CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL)'], ['DROP TABLE t'], [['t', { id, code: { type: DataTypes.TEXT, allowNull: false } }]], {
    tableOptions: { t: { columnChecks: { code: 'length(code) > 0' } } },
  });
  assert.match((await generateAndRun(one)).source, /ops\.alterColumn\('t', 'code', 'TEXT NOT NULL CHECK \(length\(code\) > 0\)', undefined, \{ constraints: 'replace' \}\);/);
});

test('collation and primary key changes rebuild the table', async () => {
  const config = project(
    ['CREATE TABLE tags (name TEXT, scope TEXT)', "INSERT INTO tags VALUES ('a', 'x')"],
    ['DROP TABLE tags'],
    [['tags', { name: { type: DataTypes.TEXT, primaryKey: true, allowNull: false }, scope: { type: DataTypes.TEXT, primaryKey: true, allowNull: false } }]],
    { tableOptions: { tags: { collations: { name: 'nocase' }, withoutRowid: true } } },
  );
  assert.deepEqual(
    (await diffModels(config)).changes.map((c) => c.description),
    [
      'tags.name: nullable → NOT NULL',
      'tags.name: collation BINARY → NOCASE',
      'tags.scope: nullable → NOT NULL',
      'tags: primary key () → (name, scope)',
      'tags: becomes WITHOUT ROWID',
    ],
  );
  const { source } = await generateAndRun(config);
  assert.match(source, /name TEXT NOT NULL COLLATE NOCASE,\n {2}scope TEXT NOT NULL,\n {2}PRIMARY KEY \(name, scope\)\n\) WITHOUT ROWID`/);
});

test('renames are never guessed: drop + add with "possible rename" and the rename commented beside it', async () => {
  const config = project(
    ['CREATE TABLE samples (id INTEGER PRIMARY KEY, notes TEXT)', 'CREATE TABLE memo (id INTEGER PRIMARY KEY, body TEXT NOT NULL)'],
    ['DROP TABLE memo', 'DROP TABLE samples'],
    [
      ['samples', { id, description: DataTypes.TEXT }],
      ['journal', { id, body: { type: DataTypes.TEXT, allowNull: false } }],
    ],
  );
  const diff = await diffModels(config);
  assert.deepEqual(kinds(diff.changes), ['add_column', 'add_table', 'remove_column', 'remove_table']);
  assert.deepEqual(diff.renames.map((r) => [r.kind, r.from, r.to]).sort(), [
    ['column', 'notes', 'description'],
    ['table', 'memo', 'journal'],
  ]);
  const { source } = await generateAndRun(config);
  assert.match(
    source,
    /\/\/ possible rename: samples\.notes → samples\.description \(both TEXT, nullable\)\. If it is one,\n {2}\/\/ replace the dropColumn\/addColumn below with the rename, which keeps the values:\n {2}\/\/ ops\.renameColumn\('samples', 'notes', 'description'\);\n {2}ops\.dropColumn\('samples', 'notes'\);\n {2}ops\.addColumn\('samples', 'description TEXT'\);/,
  );
  assert.match(source, /\/\/ possible rename: table memo → journal[\s\S]*\/\/ ops\.renameTable\('memo', 'journal'\);/);
  assert.match(source, /export function down[\s\S]*\/\/ ops\.renameColumn\('samples', 'description', 'notes'\);/);

  // Uncommenting the suggestion (as the comment says) keeps the values.
  const file = listMigrationFiles(config.migrationsDir).at(-1)!.path;
  const edited = fs
    .readFileSync(file, 'utf8')
    .replace(
      "  // ops.renameColumn('samples', 'notes', 'description');\n  ops.dropColumn('samples', 'notes');\n  ops.addColumn('samples', 'description TEXT');",
      "  ops.renameColumn('samples', 'notes', 'description');",
    );
  fs.writeFileSync(file, edited);
  const db = scratchDatabase();
  await replayStep(db, { name: 'base', module: loadMigrationModule(path.join(config.migrationsDir, '0001-base.ts')) }, 1, 'up');
  db.exec("INSERT INTO samples (notes) VALUES ('kept')");
  await replayStep(db, { name: 'change', module: loadMigrationModule(file) }, 2, 'up');
  assert.deepEqual(db.prepare('SELECT description FROM samples').all(), [{ description: 'kept' }]);
  db.close();
});

test('no changes: a model that matches the migrations writes no file', async () => {
  const config = project(
    [
      "CREATE TABLE sites (id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE UNIQUE, kind TEXT DEFAULT ('plain'), lat REAL CHECK ((lat BETWEEN -90 AND 90)))",
      'CREATE TABLE visits (id INTEGER PRIMARY KEY, site_id INTEGER NOT NULL REFERENCES sites ON DELETE CASCADE, day TEXT)',
      'CREATE UNIQUE INDEX "Visits_Site_Day" ON visits (site_id, day)',
    ],
    ['DROP TABLE visits', 'DROP TABLE sites'],
    [
      ['sites', { id, name: { type: DataTypes.STRING, allowNull: false, unique: true }, kind: { type: DataTypes.TEXT, defaultValue: 'plain' }, lat: DataTypes.REAL }],
      [
        'visits',
        { id, siteId: { type: DataTypes.INTEGER, field: 'site_id', allowNull: false, references: { model: 'sites', key: 'id' }, onDelete: 'CASCADE' }, day: DataTypes.TEXT },
        { indexes: [{ name: 'visits_site_day', unique: true, fields: ['siteId', 'day'] }] },
      ],
    ],
    { tableOptions: { sites: { collations: { name: 'NOCASE' }, columnChecks: { lat: 'lat BETWEEN -90 AND 90' } } } },
  );
  const before = fs.readdirSync(config.migrationsDir);
  const result = await revision(config, { message: 'nothing', autogenerate: true });
  assert.deepEqual([result.path, result.changes], [null, []], 'quoting, case, parentheses and REFERENCES without columns compare equal');
  assert.deepEqual(fs.readdirSync(config.migrationsDir), before);
});

test('never reported: FTS tables and their shadow tables, triggers, views, the version table, excluded objects', async () => {
  const config = project(
    [
      'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, scratch TEXT)',
      "CREATE VIRTUAL TABLE notes_fts USING fts5(body, content='notes', content_rowid='id')",
      'CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body); END',
      'CREATE VIEW long_notes AS SELECT * FROM notes WHERE length(body) > 100',
      `CREATE TABLE ${VERSION_TABLE} (version INTEGER PRIMARY KEY)`,
      'CREATE TABLE legacy_cache (k TEXT)',
      'CREATE TABLE tmp_import (k TEXT)',
      'CREATE INDEX notes_scratch ON notes(scratch)',
    ],
    ['DROP TABLE notes'],
    [
      ['notes', { id, body: DataTypes.TEXT }],
      ['notes_fts', { body: DataTypes.TEXT }, {}],
    ],
    {
      exclude: ['LEGACY_CACHE', /^tmp_/],
      includeObject: (o) => !(o.table === 'notes' && (o.name === 'scratch' || o.name === 'notes_scratch')),
    },
  );
  const seen: string[] = [];
  const spy = {
    ...config,
    includeObject: (o: Parameters<NonNullable<DevtoolsConfig['includeObject']>>[0]) => {
      seen.push(`${o.type} ${o.name} ${o.reflected}`);
      return config.includeObject!(o);
    },
  };
  const diff = await diffModels(spy);
  assert.deepEqual(diff.changes, []);
  assert.ok(seen.includes('column scratch true') && seen.includes('index notes_scratch true') && seen.includes('table notes false'), seen.join(', '));
  assert.ok(!seen.some((s) => /fts|legacy|tmp_|app_versions|long_notes|notes_ai/.test(s)), `never offered: ${seen.join(', ')}`);
});

test("Fieldbook's models match its migrations (the CI comparison)", async () => {
  const diff = await diffModels(fieldbookDevtoolsConfig());
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    [],
  );
  assert.deepEqual(diff.modelled.map((t) => t.name).sort(), ['attachments', 'data_issues', 'instruments', 'measurements', 'sample_tags', 'samples', 'sites', 'tags']);
});

test("a change to Fieldbook's models becomes a migration that applies to a copy of its migrations", async () => {
  const dir = tempDir('fieldbook-autogen-copy-');
  const fieldbook = fieldbookDevtoolsConfig();
  for (const f of fs.readdirSync(fieldbook.migrationsDir)) fs.copyFileSync(path.join(fieldbook.migrationsDir, f), path.join(dir, f));
  const config = fieldbookDevtoolsConfig({
    migrationsDir: dir,
    models: (sequelize) => {
      fieldbook.models(sequelize);
      sequelize.models.Measurement!.removeAttribute('unit');
      sequelize.define(
        'SiteVisit',
        {
          id,
          siteId: { type: DataTypes.INTEGER, field: 'site_id', allowNull: false, references: { model: 'sites', key: 'id' }, onDelete: 'CASCADE' },
          day: { type: DataTypes.TEXT, allowNull: false },
        },
        { tableName: 'site_visits', timestamps: false, indexes: [{ name: 'site_visits_site_day_uq', unique: true, fields: ['siteId', 'day'] }] },
      );
    },
  });
  const { source, db } = await generateAndRun(config, 'Site visits; measurements lose their unit');
  assert.match(source, /ops\.dropColumn\('measurements', 'unit'\);/);
  assert.match(
    source,
    /exec\(`CREATE TABLE site_visits \(\n {2}id INTEGER PRIMARY KEY,\n {2}site_id INTEGER NOT NULL REFERENCES sites\(id\) ON DELETE CASCADE,\n {2}day TEXT NOT NULL\n\)`\);\n {2}exec\('CREATE UNIQUE INDEX site_visits_site_day_uq ON site_visits\(site_id, day\)'\);/,
  );
  assert.ok(source.startsWith("import type { MigrationContext } from '@fieldbook/engine';\n"), source.split('\n')[0]);
  assert.equal(listMigrationFiles(dir).at(-1)!.file, '0007-site-visits-measurements-lose-their-unit.ts');
  assert.deepEqual(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name").pluck().all(), [
    'samples_fts_delete',
    'samples_fts_insert',
    'samples_fts_update',
  ]);
  db.close();
});

/** SQLAlchemy writes every constraint at table level; its schemas must autogenerate migrations that replay. */
const TABLE_LEVEL_BASE = [
  'CREATE TABLE account (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id))',
  `CREATE TABLE entry (id INTEGER NOT NULL, account_id INTEGER, code TEXT NOT NULL, amount REAL, memo TEXT,
    PRIMARY KEY (id), FOREIGN KEY(account_id) REFERENCES account (id) ON DELETE CASCADE, UNIQUE (account_id, code),
    CONSTRAINT positive CHECK (amount > 0))`,
  "INSERT INTO account (id, name) VALUES (1, 'a'), (2, 'b')",
  "INSERT INTO entry (id, account_id, code, amount, memo) VALUES (1, 1, 'x', 5, 'm'), (4, 2, 'x', 7, NULL), (6, 2, 'y', 1, 'n')",
];
const account: ModelSpec = ['account', { id: { type: DataTypes.INTEGER, primaryKey: true }, name: DataTypes.TEXT }];
const entryAttributes = (accountType: typeof DataTypes.INTEGER | typeof DataTypes.DECIMAL, withMemo: boolean): ModelAttributes => ({
  id: { type: DataTypes.INTEGER, primaryKey: true },
  accountId: { type: accountType, field: 'account_id', references: { model: 'account', key: 'id' }, onDelete: 'CASCADE', unique: 'entry_account_code' },
  code: { type: DataTypes.TEXT, allowNull: false, unique: 'entry_account_code' },
  amount: DataTypes.REAL,
  ...(withMemo ? { memo: DataTypes.TEXT } : {}),
});

/** Rows, child rows and every table-level constraint are still there and enforced. */
function assertEntriesIntact(db: Connection): void {
  assert.deepEqual(db.prepare('SELECT id, account_id, code FROM entry ORDER BY id').raw().all(), [
    [1, 1, 'x'],
    [4, 2, 'x'],
    [6, 2, 'y'],
  ]);
  assert.deepEqual(db.prepare('PRAGMA foreign_key_check').all(), []);
  assert.deepEqual(db.prepare('SELECT "from", "table", on_delete FROM pragma_foreign_key_list(\'entry\')').all(), [{ from: 'account_id', table: 'account', on_delete: 'CASCADE' }]);
  assert.throws(() => db.exec("INSERT INTO entry (id, account_id, code, amount) VALUES (9, 1, 'x', 1)"), /UNIQUE/);
  assert.throws(() => db.exec("INSERT INTO entry (id, account_id, code, amount) VALUES (9, 1, 'z', -1)"), /CHECK/);
  db.pragma('foreign_keys = ON');
  db.exec('DELETE FROM account WHERE id = 1');
  assert.deepEqual(db.prepare('SELECT id FROM entry ORDER BY id').pluck().all(), [4, 6], 'ON DELETE CASCADE kept');
}

test('table-level constraints (SQLAlchemy style): a type change of a foreign-key column replays and keeps FK, UNIQUE and CHECK', async () => {
  const config = project(TABLE_LEVEL_BASE, ['DROP TABLE entry', 'DROP TABLE account'], [account, ['entry', entryAttributes(DataTypes.DECIMAL, true)]], {
    tableOptions: { entry: { checks: ['amount > 0'] } },
  });
  const diff = await diffModels(config);
  assert.deepEqual(
    diff.changes.map((c) => c.description),
    ['entry.account_id: type INTEGER → NUMERIC'],
  );
  const { source, db } = await generateAndRun(config);
  assert.match(source, /ops\.(alterColumn|rebuildTable)\('entry'/);
  assertEntriesIntact(db);
  db.close();
});

test('table-level constraints (SQLAlchemy style): dropping a column beside them replays natively and keeps them', async () => {
  const config = project(TABLE_LEVEL_BASE, ['DROP TABLE entry', 'DROP TABLE account'], [account, ['entry', entryAttributes(DataTypes.INTEGER, false)]], {
    tableOptions: { entry: { checks: ['amount > 0'] } },
  });
  assert.deepEqual(
    (await diffModels(config)).changes.map((c) => c.description),
    ['remove column entry.memo'],
  );
  const { source, db } = await generateAndRun(config);
  assert.match(source, /ops\.dropColumn\('entry', 'memo'\);/);
  assertEntriesIntact(db);
  db.close();
});

test('a type-only change of a column with inline REFERENCES ... ON DELETE CASCADE replays and keeps the action', async () => {
  const config = project(
    [
      'CREATE TABLE sites (id INTEGER PRIMARY KEY)',
      'CREATE TABLE visits (id INTEGER PRIMARY KEY, site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE, n TEXT)',
      'INSERT INTO sites VALUES (1), (2)',
      "INSERT INTO visits VALUES (1, 1, '3'), (5, 2, '4')",
    ],
    ['DROP TABLE visits', 'DROP TABLE sites'],
    [
      ['sites', { id: { type: DataTypes.INTEGER, primaryKey: true } }],
      [
        'visits',
        {
          id: { type: DataTypes.INTEGER, primaryKey: true },
          siteId: { type: DataTypes.DECIMAL, field: 'site_id', allowNull: false, references: { model: 'sites', key: 'id' }, onDelete: 'CASCADE' },
          n: DataTypes.TEXT,
        },
      ],
    ],
  );
  const { source, db } = await generateAndRun(config);
  assert.match(source, /ops\.alterColumn\('visits', 'site_id', 'NUMERIC NOT NULL REFERENCES sites\(id\) ON DELETE CASCADE'/);
  assert.deepEqual(db.prepare('SELECT id, site_id, n FROM visits ORDER BY id').raw().all(), [
    [1, 1, '3'],
    [5, 2, '4'],
  ]);
  assert.deepEqual(db.prepare("SELECT on_delete FROM pragma_foreign_key_list('visits')").pluck().all(), ['CASCADE']);
  db.pragma('foreign_keys = ON');
  db.exec('DELETE FROM sites WHERE id = 1');
  assert.deepEqual(db.prepare('SELECT id FROM visits').pluck().all(), [5]);
  db.close();
});

test('table-level constraints (SQLAlchemy style): dropping a column a FOREIGN KEY and a composite UNIQUE name rebuilds without them and replays', async () => {
  const entry: ModelAttributes = {
    id: { type: DataTypes.INTEGER, primaryKey: true },
    code: { type: DataTypes.TEXT, allowNull: false },
    amount: DataTypes.REAL,
    memo: DataTypes.TEXT,
  };
  const config = project(TABLE_LEVEL_BASE, ['DROP TABLE entry', 'DROP TABLE account'], [account, ['entry', entry]], { tableOptions: { entry: { checks: ['amount > 0'] } } });
  assert.deepEqual(kinds((await diffModels(config)).changes), ['remove_column', 'remove_unique']);
  const { source, db } = await generateAndRun(config);
  assert.match(source, /ops\.rebuildTable\('entry'/);
  assert.deepEqual(db.prepare('SELECT id, code, memo FROM entry ORDER BY id').raw().all(), [
    [1, 'x', 'm'],
    [4, 'x', null],
    [6, 'y', 'n'],
  ]);
  assert.throws(() => db.exec("INSERT INTO entry (id, code, amount) VALUES (9, 'z', -1)"), /CHECK/, 'the table CHECK is kept');
  db.close();
});

test("type change TEXT → INTEGER: '7' converts, '007' (the conversion would not give it back) makes the generated migration fail naming the row, and nothing changes", async () => {
  const config = project(
    ['CREATE TABLE m (id INTEGER PRIMARY KEY, code TEXT, note TEXT)', "INSERT INTO m (code, note) VALUES ('7', 'a'), ('007', 'b')"],
    ['DROP TABLE m'],
    [['m', { id, code: DataTypes.INTEGER, note: DataTypes.TEXT }]],
  );
  const result = await revision(config, { message: 'code to integer', autogenerate: true });
  const source = fs.readFileSync(result.path!, 'utf8');
  assert.match(source, /TEXT '007' into INTEGER\) makes this fail/);
  const db = await replayAll(config.migrationsDir, result.version - 1);
  const rows = () => db.prepare('SELECT id, code, typeof(code) AS t, note FROM m ORDER BY id').all();
  const before = rows();
  await assert.rejects(
    replayStep(db, { name: result.name!, module: loadMigrationModule(result.path!) }, result.version, 'up'),
    /would change values of column "code": the row with key 2 holds text '007', which would become integer 7/,
  );
  assert.deepEqual(rows(), before);
  db.exec("UPDATE m SET code = '8' WHERE id = 2");
  await replayStep(db, { name: result.name!, module: loadMigrationModule(result.path!) }, result.version, 'up');
  assert.deepEqual(rows(), [
    { id: 1, code: 7, t: 'integer', note: 'a' },
    { id: 2, code: 8, t: 'integer', note: 'b' },
  ]);
});

/**
 * The same SQLAlchemy-style schema written as SQLite also accepts it (SQLite's altertab tests):
 * comments after columns and before commas, and table constraints without separating commas.
 */
const TABLE_LEVEL_ODD_BASE = [
  TABLE_LEVEL_BASE[0]!,
  `CREATE TABLE entry -- entries
    (id INTEGER NOT NULL, -- key
    account_id INTEGER, code TEXT NOT NULL, amount REAL /* money */, memo TEXT -- free text
    , PRIMARY KEY (id) FOREIGN KEY(account_id) REFERENCES account (id) ON DELETE CASCADE UNIQUE (account_id, code)
    CONSTRAINT positive CHECK (amount > 0) -- last
    )`,
  ...TABLE_LEVEL_BASE.slice(2),
];

test('table-level constraints without commas and comments inside CREATE TABLE: a type change and a drop replay and keep FK, UNIQUE and CHECK', async () => {
  for (const [accountType, withMemo, expected] of [
    [DataTypes.DECIMAL, true, /ops\.(alterColumn|rebuildTable)\('entry'/],
    [DataTypes.INTEGER, false, /ops\.dropColumn\('entry', 'memo'\);/],
  ] as const) {
    const config = project(TABLE_LEVEL_ODD_BASE, ['DROP TABLE entry', 'DROP TABLE account'], [account, ['entry', entryAttributes(accountType, withMemo)]], {
      tableOptions: { entry: { checks: ['amount > 0'] } },
    });
    assert.equal((await diffModels(config)).changes.length, 1);
    const { source, db } = await generateAndRun(config);
    assert.match(source, expected);
    assertEntriesIntact(db);
    db.close();
  }
});
