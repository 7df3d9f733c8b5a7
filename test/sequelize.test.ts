/**
 * Sequelize on a real head document: the models in main/models over the engine's one
 * better-sqlite3 connection (main/engine/sequelize/better-sqlite3-dialect.ts). Each test creates a
 * fresh document on disk with `createDocument` and opens it with `openDocument`.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path = require('node:path');
import {
  DatabaseError,
  ForeignKeyConstraintError,
  Op,
  Sequelize,
  TimeoutError,
  UniqueConstraintError,
  ValidationError,
  type Model,
  type ModelStatic,
  type Options,
} from 'sequelize';
import { createDocument, openDocument, type DocumentHandle, betterSqlite3Dialect } from '@fieldbook/engine';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { defineModels, type DocumentModels } from '../main/models';
import { tempDir } from './helpers/fixtures';

interface OpenHead {
  handle: DocumentHandle;
  sequelize: Sequelize;
  models: DocumentModels;
}

const folder = tempDir('fieldbook-sequelize-');
let documents = 0;

/** A new head document (a fresh file), opened; closed when the test ends. */
async function openHead(t: TestContext, name = 'head'): Promise<OpenHead> {
  const file = path.join(folder, `${name}-${++documents}.fieldbook`);
  createDocument(file, { engine: fieldbookEngine() });
  const handle = await openDocument(file, { engine: fieldbookEngine() });
  t.after(() => handle.close());
  const sequelize = handle.sequelize();
  return { handle, sequelize, models: defineModels(sequelize) };
}

/** Row ids whose code or description matches an FTS5 query, read through the raw connection. */
function ftsIds(handle: DocumentHandle, query: string): number[] {
  return (handle.db.prepare('SELECT rowid FROM samples_fts WHERE samples_fts MATCH ? ORDER BY rowid').all(query) as { rowid: number }[]).map((r) => r.rowid);
}

function count(handle: DocumentHandle, table: string, where = '1'): number {
  return (handle.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

test('every model has exactly the columns of its table in a head document', async (t) => {
  const { handle, models } = await openHead(t);
  const tables = new Set<string>();
  for (const [name, model] of Object.entries(models) as [string, ModelStatic<Model>][]) {
    const table = model.getTableName() as string;
    tables.add(table);
    const modelFields = Object.values(model.getAttributes())
      .map((a) => a.field)
      .sort();
    const columns = (handle.db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name).sort();
    assert.ok(columns.length > 0, `${table} exists`);
    assert.deepEqual(modelFields, columns, `${name} (${table})`);
    const primaryKey = (handle.db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(table) as { name: string }[]).map((c) => c.name);
    assert.deepEqual(
      Object.values(model.getAttributes())
        .filter((a) => a.primaryKey)
        .map((a) => a.field),
      primaryKey,
      `${name} primary key`,
    );
  }
  const userTables = (
    handle.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'samples_fts%' AND name NOT IN (?, ?)")
      .all(fieldbookEngine().versionTable, `${fieldbookEngine().versionTable}_way_back`) as { name: string }[]
  )
    .map((r) => r.name)
    .sort();
  assert.deepEqual([...tables].sort(), userTables, 'one model per user table (the version table, its way-back table and FTS tables aside)');
});

test('sync() and drop() are refused and change nothing', async (t) => {
  const { handle, sequelize, models } = await openHead(t);
  const schema = (): unknown => handle.db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
  const before = schema();
  await models.Sample.create({ code: 'survivor' });
  for (const attempt of [
    () => sequelize.sync(),
    () => sequelize.sync({ alter: true }),
    () => sequelize.sync({ force: true }),
    () => sequelize.drop(),
    () => models.Sample.sync(),
    () => models.Tag.drop(),
  ]) {
    await assert.rejects(attempt(), /schema belongs to its migrations/);
  }
  assert.deepEqual(schema(), before);
  assert.equal(count(handle, 'samples'), 1);
  assert.equal(handle.db.pragma('foreign_keys', { simple: true }), 1);
});

test('create, read, update and delete through the models', async (t) => {
  const { handle, models } = await openHead(t);
  const { Site, Sample, Measurement, Instrument } = models;
  const site = await Site.create({ name: 'Ridge', lat: 46.5, lon: 7.25 });
  assert.equal(typeof site.id, 'number');
  const sample = await Sample.create({ siteId: site.id, code: 'R-1', collectedOn: '2024-02-29', description: 'granite chips' });
  assert.ok(sample instanceof Sample, 'instances of a document model are instances of the exported class');
  const meter = await Instrument.create({ name: 'pH meter', serial: 'PH-77' });
  const pH = await Measurement.create({ sampleId: sample.id, kind: 'pH', value: 6.8, instrumentId: meter.id });

  const read = await Sample.findByPk(sample.id);
  assert.ok(read);
  assert.equal(read.code, 'R-1');
  assert.equal(read.collectedOn, '2024-02-29');
  assert.equal(read.siteId, site.id);
  assert.deepEqual(handle.db.prepare('SELECT kind, value, unit, instrument_id FROM measurements WHERE id = ?').get(pH.id), {
    kind: 'pH',
    value: 6.8,
    unit: null,
    instrument_id: meter.id,
  });

  await read.update({ description: 'granite and quartz', collectedOn: null });
  assert.deepEqual(handle.db.prepare('SELECT description, collected_on FROM samples WHERE id = ?').get(sample.id), { description: 'granite and quartz', collected_on: null });
  const [changed] = await Measurement.update({ value: 7.1, unit: 'pH' }, { where: { sampleId: sample.id } });
  assert.equal(changed, 1);
  assert.equal((await Measurement.findByPk(pH.id))?.value, 7.1);

  await meter.destroy();
  assert.equal((await Measurement.findByPk(pH.id))?.instrumentId, null, 'ON DELETE SET NULL done by SQLite');

  const destroyed = await Measurement.destroy({ where: { kind: 'pH' } });
  assert.equal(destroyed, 1);
  await read.destroy();
  await site.destroy();
  assert.equal(count(handle, 'samples'), 0);
  assert.equal(count(handle, 'sites'), 0);
});

test('bulkCreate reports the ids SQLite assigned', async (t) => {
  const { handle, models } = await openHead(t);
  await models.Sample.create({ code: 'first' });
  const made = await models.Sample.bulkCreate([{ code: 'A' }, { code: 'B' }, { code: 'C' }]);
  const stored = handle.db.prepare("SELECT id, code FROM samples WHERE code IN ('A', 'B', 'C') ORDER BY id").all();
  assert.deepEqual(
    made.map((s) => ({ id: s.id, code: s.code })),
    stored,
  );
});

test('collected_on accepts only ISO dates that exist', async (t) => {
  const { handle, models } = await openHead(t);
  for (const bad of ['2023-02-29', '2023-13-01', '31/01/2023', '2023-1-5']) {
    await assert.rejects(models.Sample.create({ code: `bad-${bad}`, collectedOn: bad }), ValidationError, bad);
  }
  assert.equal(count(handle, 'samples'), 0);
});

test('the full-text index follows inserts, updates and deletes made through Sequelize', async (t) => {
  const { handle, models } = await openHead(t);
  const { Sample } = models;
  const granite = await Sample.create({ code: 'G-1', description: 'coarse granite from the quarry' });
  const basalt = await Sample.create({ code: 'B-1', description: 'basalt, fine grained' });
  const other = await Sample.create({ code: 'X-9', description: null });
  assert.deepEqual(ftsIds(handle, 'granite'), [granite.id]);
  assert.deepEqual(ftsIds(handle, 'basalt'), [basalt.id]);
  assert.deepEqual(ftsIds(handle, 'code:X'), [other.id]);

  await granite.update({ description: 'weathered basalt' });
  assert.deepEqual(ftsIds(handle, 'granite'), []);
  assert.deepEqual(ftsIds(handle, 'basalt'), [granite.id, basalt.id]);
  await Sample.update({ description: 'granite again' }, { where: { id: basalt.id } });
  assert.deepEqual(ftsIds(handle, 'granite'), [basalt.id]);

  await basalt.destroy();
  assert.deepEqual(ftsIds(handle, 'granite'), []);
  await Sample.destroy({ where: { id: granite.id } });
  assert.deepEqual(ftsIds(handle, 'basalt'), []);
  assert.deepEqual(ftsIds(handle, 'code:X'), [other.id]);
  const integrity = handle.db.prepare("INSERT INTO samples_fts(samples_fts, rank) VALUES ('integrity-check', 1)");
  assert.doesNotThrow(() => integrity.run(), 'FTS index consistent with samples');
});

test('created_at is filled by SQLite and bound as ISO text', async (t) => {
  const { handle, models } = await openHead(t);
  const before = Date.now();
  const sample = await models.Sample.create({ code: 'T-1' });
  const after = Date.now();
  const inserted = handle.db.prepare('SELECT created_at FROM samples WHERE id = ?').get(sample.id) as { created_at: string };
  assert.match(inserted.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  const stamp = Date.parse(inserted.created_at);
  assert.ok(stamp >= before - 5 && stamp <= after + 5, `${inserted.created_at} is the insert time`);

  await sample.reload();
  assert.ok(sample.createdAt instanceof Date);
  assert.equal(sample.createdAt.toISOString(), inserted.created_at);
  const found = await models.Sample.findOne({ where: { createdAt: { [Op.lte]: new Date(after + 1000), [Op.gte]: new Date(before - 1000) } } });
  assert.equal(found?.id, sample.id, 'a Date in WHERE compares as ISO text');
  assert.equal(await models.Sample.count({ where: { createdAt: { [Op.gt]: new Date(after + 1000) } } }), 0);

  const moment = new Date('2021-06-01T12:34:56.789Z');
  await sample.update({ createdAt: moment });
  assert.deepEqual(handle.db.prepare('SELECT created_at FROM samples WHERE id = ?').get(sample.id), { created_at: '2021-06-01T12:34:56.789Z' });
  assert.equal((await models.Sample.findByPk(sample.id))?.createdAt.getTime(), moment.getTime());
});

test('a transaction commits, one that throws rolls back, and later writes are not locked out', async (t) => {
  const { handle, sequelize, models } = await openHead(t);
  const { Site, Sample } = models;
  const committed = await sequelize.transaction(async (transaction) => {
    const site = await Site.create({ name: 'Committed' }, { transaction });
    await Sample.create({ siteId: site.id, code: 'C-1' }, { transaction });
    return site.id;
  });
  assert.equal(handle.db.inTransaction, false);
  assert.equal(count(handle, 'samples', `site_id = ${committed}`), 1);

  await assert.rejects(
    sequelize.transaction(async (transaction) => {
      const site = await Site.create({ name: 'Doomed' }, { transaction });
      await Sample.create({ siteId: site.id, code: 'D-1' }, { transaction });
      throw new Error('change of mind');
    }),
    /change of mind/,
  );
  assert.equal(handle.db.inTransaction, false);
  assert.equal(count(handle, 'sites', "name = 'Doomed'"), 0);
  assert.equal(count(handle, 'samples', "code = 'D-1'"), 0);
  assert.deepEqual(ftsIds(handle, 'D'), [], 'the FTS rows written by triggers rolled back too');

  // A constraint failure inside a transaction rolls back everything before it as well.
  await assert.rejects(
    sequelize.transaction(async (transaction) => {
      await Sample.create({ code: 'ok-before-failure' }, { transaction });
      await Sample.create({ code: '' }, { transaction });
    }),
    DatabaseError,
  );
  assert.equal(count(handle, 'samples', "code = 'ok-before-failure'"), 0);

  const unmanaged = await sequelize.transaction();
  await Site.create({ name: 'Manual' }, { transaction: unmanaged });
  await unmanaged.rollback();
  assert.equal(count(handle, 'sites', "name = 'Manual'"), 0);

  const outside = await Site.create({ name: 'Outside' });
  await Sample.create({ siteId: outside.id, code: 'O-1' });
  handle.db.prepare("INSERT INTO tags (name) VALUES ('raw write')").run();
  assert.equal(count(handle, 'sites'), 2);
});

/** A Sequelize instance on `handle.db` like `handle.sequelize()`, with adapter options and a storage key of choice. */
function sequelizeOn(handle: DocumentHandle, storage: string, busyTimeoutMs: number): Sequelize {
  return new Sequelize({
    dialect: 'sqlite',
    storage,
    dialectModule: betterSqlite3Dialect(handle.db, { busyTimeoutMs }),
    logging: false,
    foreignKeys: false,
  } as Options);
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('concurrent transactions take turns instead of rolling each other back', async (t) => {
  const { handle, sequelize, models } = await openHead(t);
  const { Site } = models;
  const order: string[] = [];
  const slow = sequelize.transaction(async (transaction) => {
    order.push('slow begins');
    await Site.create({ name: 'slow-1' }, { transaction });
    await pause(30);
    await Site.create({ name: 'slow-2' }, { transaction });
    order.push('slow ends');
  });
  const failing = sequelize.transaction(async (transaction) => {
    order.push('failing begins');
    await Site.create({ name: 'failing' }, { transaction });
    await pause(10);
    order.push('failing ends');
    throw new Error('failing gives up');
  });
  const quick = sequelize.transaction(async (transaction) => {
    order.push('quick begins');
    await Site.create({ name: 'quick' }, { transaction });
    order.push('quick ends');
  });
  const results = await Promise.allSettled([slow, failing, quick]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  // Which BEGIN runs first is up to Sequelize; what matters is that each runs alone.
  assert.equal(order.length, 6);
  for (let i = 0; i < order.length; i += 2) assert.equal(order[i + 1], order[i]!.replace('begins', 'ends'), order.join(', '));
  assert.deepEqual(
    (handle.db.prepare('SELECT name FROM sites ORDER BY name').all() as { name: string }[]).map((r) => r.name),
    ['quick', 'slow-1', 'slow-2'],
  );
  assert.equal(handle.db.inTransaction, false);
});

test('a transaction started inside another without { transaction } times out and leaves the outer one intact', async (t) => {
  const { handle } = await openHead(t);
  const sequelize = sequelizeOn(handle, ':memory:', 100);
  const { Site } = defineModels(sequelize);
  await sequelize.transaction(async (outer) => {
    await Site.create({ name: 'before' }, { transaction: outer });
    await assert.rejects(
      sequelize.transaction(async (inner) => {
        await Site.create({ name: 'never' }, { transaction: inner });
      }),
      TimeoutError,
    );
    assert.equal(handle.db.inTransaction, true, 'the outer transaction is still open');
    await Site.create({ name: 'after' }, { transaction: outer });
    await sequelize.transaction({ transaction: outer }, async (savepoint) => {
      await Site.create({ name: 'nested properly' }, { transaction: savepoint });
    });
  });
  assert.deepEqual(
    (handle.db.prepare('SELECT name FROM sites ORDER BY id').all() as { name: string }[]).map((r) => r.name),
    ['before', 'after', 'nested properly'],
  );
});

test('a Sequelize transaction is refused while the engine holds one of its own', async (t) => {
  const { handle, sequelize, models } = await openHead(t);
  handle.db.exec('BEGIN');
  handle.db.prepare("INSERT INTO tags (name) VALUES ('engine')").run();
  await assert.rejects(
    sequelize.transaction(async (transaction) => {
      await models.Tag.create({ name: 'sequelize' }, { transaction });
    }),
    /Sequelize did not begin/,
  );
  assert.equal(handle.db.inTransaction, true, "the engine's transaction was not rolled back");
  handle.db.exec('COMMIT');
  assert.deepEqual(handle.db.prepare('SELECT name FROM tags').all(), [{ name: 'engine' }]);
});

test('with one Database object per transaction, writes outside a transaction wait for it', async (t) => {
  const { handle } = await openHead(t);
  const sequelize = sequelizeOn(handle, handle.path, 200);
  const { Site } = defineModels(sequelize);
  let outsideDone = false;
  let outside: Promise<unknown> | undefined;
  await assert.rejects(
    sequelize.transaction(async (transaction) => {
      await Site.create({ name: 'inside' }, { transaction });
      outside = Site.create({ name: 'outside' }).then(() => {
        outsideDone = true;
      });
      await pause(20);
      assert.equal(outsideDone, false, 'the write outside the transaction waits');
      throw new Error('roll back');
    }),
    /roll back/,
  );
  await outside;
  assert.deepEqual(handle.db.prepare('SELECT name FROM sites').all(), [{ name: 'outside' }], 'the outside write is not part of the rolled-back transaction');

  await assert.rejects(
    sequelize.transaction(async () => {
      await Site.create({ name: 'forgot the transaction option' });
    }),
    TimeoutError,
  );
  assert.equal(handle.db.inTransaction, false);
  assert.equal(count(handle, 'sites'), 1);
});

test('includes load sites, tags and measurements', async (t) => {
  const { models } = await openHead(t);
  const { Site, Sample, Tag, Measurement, Instrument } = models;
  const site = await Site.create({ name: 'River bank', lat: -12.5, lon: 130.75 });
  const sample = await Sample.create({ siteId: site.id, code: 'RB-1' });
  const lonely = await Sample.create({ code: 'no-site' });
  const [wet, soil] = await Tag.bulkCreate([{ name: 'wet' }, { name: 'soil' }]);
  await Tag.create({ name: 'unused' });
  await sample.addTags([wet!, soil!]);
  const probe = await Instrument.create({ name: 'thermometer' });
  await Measurement.bulkCreate([
    { sampleId: sample.id, kind: 'temperature', value: 21.5, unit: 'C', instrumentId: probe.id },
    { sampleId: sample.id, kind: 'depth', value: 0.3, unit: 'm' },
  ]);

  const loaded = await Sample.findByPk(sample.id, {
    include: [
      { association: Sample.associations.site },
      { association: Sample.associations.tags },
      { association: Sample.associations.measurements, include: [{ association: Measurement.associations.instrument }] },
    ],
    order: [[Sample.associations.measurements, 'id', 'ASC']],
  });
  assert.ok(loaded);
  assert.equal(loaded.site?.name, 'River bank');
  assert.equal(loaded.site?.lat, -12.5);
  assert.deepEqual(loaded.tags?.map((tag) => tag.name).sort(), ['soil', 'wet']);
  assert.deepEqual(
    loaded.measurements?.map((m) => [m.kind, m.value, m.instrument?.name ?? null]),
    [
      ['temperature', 21.5, 'thermometer'],
      ['depth', 0.3, null],
    ],
  );
  assert.ok(loaded.createdAt instanceof Date, 'getters apply to rows loaded with includes');

  const withoutSite = await Sample.findByPk(lonely.id, { include: ['site', 'tags'] });
  assert.equal(withoutSite?.site, null);
  assert.deepEqual(withoutSite?.tags, []);

  const bySite = await Site.findAll({ include: [{ association: Site.associations.samples, include: ['tags'] }] });
  assert.equal(bySite.length, 1);
  assert.deepEqual(
    bySite[0]!.samples?.map((s) => s.code),
    ['RB-1'],
  );
  const wetSamples = await Tag.findOne({ where: { name: 'WET' }, include: ['samples'] });
  assert.deepEqual(
    wetSamples?.samples?.map((s) => s.id),
    [sample.id],
    'tag names compare case-insensitively (COLLATE NOCASE)',
  );
  await sample.removeTag(wet!);
  assert.deepEqual(
    (await sample.getTags()).map((tag) => tag.name),
    ['soil'],
  );
});

test('a duplicate code at a site raises UniqueConstraintError', async (t) => {
  const { handle, models } = await openHead(t);
  const site = await models.Site.create({ name: 'Quarry' });
  await models.Sample.create({ siteId: site.id, code: 'Q-1' });
  await assert.rejects(models.Sample.create({ siteId: site.id, code: 'Q-1' }), (error: unknown) => {
    assert.ok(error instanceof UniqueConstraintError, String(error));
    assert.deepEqual(error.fields, ['site_id', 'code']);
    assert.equal((error.parent as { code?: string }).code, 'SQLITE_CONSTRAINT_UNIQUE');
    return true;
  });
  const other = await models.Site.create({ name: 'Elsewhere' });
  await models.Sample.create({ siteId: other.id, code: 'Q-1' });
  await assert.rejects(models.Tag.bulkCreate([{ name: 'Moss' }, { name: 'moss' }]), UniqueConstraintError);
  assert.equal(count(handle, 'tags'), 0, 'a failed multi-row INSERT writes nothing');
});

test('CHECK, NOT NULL and foreign key violations raise errors and write nothing', async (t) => {
  const { handle, models } = await openHead(t);
  await assert.rejects(models.Sample.create({ code: '' }), (error: unknown) => {
    assert.ok(error instanceof DatabaseError, String(error));
    assert.ok(!(error instanceof UniqueConstraintError), 'not mistaken for a unique violation');
    assert.equal((error.parent as { code?: string }).code, 'SQLITE_CONSTRAINT_CHECK');
    return true;
  });
  await assert.rejects(models.Site.create({ name: 'North of north', lat: 91 }), /CHECK constraint failed/);
  const site = await models.Site.create({ name: 'Valid', lon: 180 });
  await assert.rejects(site.update({ lon: -180.5 }), /CHECK constraint failed/);
  await assert.rejects(models.Sample.create({ code: 'orphan', siteId: 999 }), ForeignKeyConstraintError);
  await assert.rejects(models.Measurement.create({ sampleId: 999, kind: 'pH' }), ForeignKeyConstraintError);
  await assert.rejects(models.Sample.create({ code: null as unknown as string }, { validate: false }), /NOT NULL constraint failed: samples\.code/);
  assert.equal(count(handle, 'samples'), 0);
  assert.deepEqual(handle.db.prepare('SELECT lon FROM sites WHERE id = ?').get(site.id), { lon: 180 });
});

test('destroying a sample cascades to measurements, tags links and attachments', async (t) => {
  const { handle, models } = await openHead(t);
  const { Sample, Tag, Measurement, Attachment } = models;
  const doomed = await Sample.create({ code: 'gone' });
  const kept = await Sample.create({ code: 'kept' });
  const tag = await Tag.create({ name: 'shared' });
  for (const sample of [doomed, kept]) {
    await sample.addTag(tag);
    await Measurement.create({ sampleId: sample.id, kind: 'mass', value: 1 });
    const data = Buffer.from(`photo of ${sample.code}`);
    await Attachment.create({ sampleId: sample.id, filename: 'a.txt', data, sha256: sha256(data) });
  }
  await doomed.destroy();
  for (const table of ['measurements', 'sample_tags', 'attachments']) {
    assert.equal(count(handle, table, `sample_id = ${doomed.id}`), 0, table);
    assert.equal(count(handle, table, `sample_id = ${kept.id}`), 1, table);
  }
  assert.equal(count(handle, 'tags'), 1, 'the tag itself stays');
  await tag.destroy();
  assert.equal(count(handle, 'sample_tags'), 0, 'deleting a tag cascades to its links');
  assert.deepEqual(handle.db.pragma('foreign_key_check'), []);
});

test('Buffers, booleans and untyped values bind and read back unchanged', async (t) => {
  const { handle, models } = await openHead(t);
  const sample = await models.Sample.create({ code: 'blob' });
  const data = Buffer.from([0, 1, 2, 0xfe, 0xff, 0, 0x80]);
  const attachment = await models.Attachment.create({ sampleId: sample.id, filename: 'raw.bin', mime: 'application/octet-stream', data, sha256: sha256(data) });
  const stored = handle.db.prepare('SELECT typeof(data) AS type, data FROM attachments WHERE id = ?').get(attachment.id) as { type: string; data: Buffer };
  assert.equal(stored.type, 'blob');
  assert.ok(stored.data.equals(data));
  const read = await models.Attachment.findByPk(attachment.id);
  assert.ok(Buffer.isBuffer(read?.data) && read.data.equals(data));
  assert.equal(read.sha256, sha256(read.data));
  const listed = await models.Attachment.findAll({ attributes: { exclude: ['data'] } });
  assert.equal(listed[0]?.data, undefined);
  assert.equal((await models.Attachment.findOne({ where: { data } }))?.id, attachment.id, 'a Buffer in WHERE is a blob literal');

  const { DataIssue } = models;
  const issue = await DataIssue.create({ tableName: 'measurements', rowId: 7, columnName: 'value', originalValue: 'n/a', message: 'not a number', schemaVersion: 3 });
  assert.deepEqual(
    handle.db.prepare('SELECT resolved, typeof(resolved) AS type FROM data_issues WHERE id = ?').get(issue.id),
    { resolved: 0, type: 'integer' },
    'default from SQLite',
  );
  const fresh = await DataIssue.findByPk(issue.id);
  assert.equal(fresh?.resolved, false);
  await fresh.update({ resolved: true });
  assert.deepEqual(handle.db.prepare('SELECT resolved, typeof(resolved) AS type FROM data_issues WHERE id = ?').get(issue.id), { resolved: 1, type: 'integer' });
  assert.equal((await DataIssue.findByPk(issue.id))?.resolved, true);
  assert.equal(await DataIssue.count({ where: { resolved: true } }), 1);
  assert.equal(await DataIssue.count({ where: { resolved: false } }), 0);

  const numbered = await models.Sample.create({ code: 7 as unknown as string, description: 12 as unknown as string });
  assert.deepEqual(
    handle.db.prepare('SELECT code, description FROM samples WHERE id = ?').get(numbered.id),
    { code: '7', description: '12' },
    "a whole number in a TEXT column is '7', not '7.0'",
  );

  const originals: [unknown, string][] = [
    ['12,5x', 'text'],
    [3.25, 'real'],
    [42, 'integer'],
    [Buffer.from([9, 8]), 'blob'],
    [null, 'null'],
  ];
  for (const [value, type] of originals) {
    const row = await DataIssue.create({ tableName: 't', rowId: 1, columnName: 'c', originalValue: value as string, message: 'm', schemaVersion: 6, resolved: false });
    assert.deepEqual(handle.db.prepare('SELECT typeof(original_value) AS type FROM data_issues WHERE id = ?').get(row.id), { type }, `${String(value)} keeps its storage class`);
    assert.deepEqual((await DataIssue.findByPk(row.id))?.originalValue, value);
  }
});

test('raw queries with bind parameters, named and positional', async (t) => {
  const { handle, sequelize } = await openHead(t);
  handle.db.prepare("INSERT INTO sites (id, name, lat) VALUES (1, 'One', 1.5), (2, 'Two', 2.5)").run();
  const [positional] = await sequelize.query('SELECT name FROM sites WHERE lat > $1 ORDER BY id', { bind: [2] });
  assert.deepEqual(positional, [{ name: 'Two' }]);
  const [named] = await sequelize.query('SELECT name FROM sites WHERE id = $id', { bind: { id: 1 } });
  assert.deepEqual(named, [{ name: 'One' }]);
  // Names that are also Object.prototype's members (JSON.parse makes `__proto__` an own key).
  const inherited = await sequelize.query('SELECT $__proto__ AS proto, $constructor AS made, $toString AS text', {
    bind: JSON.parse('{"__proto__": 7, "constructor": "c", "toString": "t"}') as Record<string, unknown>,
    plain: true,
  });
  assert.deepEqual(inherited, { proto: 7, made: 'c', text: 't' });
  const replaced = await sequelize.query('SELECT name FROM sites WHERE name = :name', { replacements: { name: 'Two' }, plain: true });
  assert.deepEqual(replaced, { name: 'Two' });
  const dated = await sequelize.query('SELECT $1 AS at, $2 AS flag', { bind: [new Date('2020-01-02T03:04:05.006Z'), true], plain: true });
  assert.deepEqual(dated, { at: '2020-01-02T03:04:05.006Z', flag: 1 });
  const numbers = await sequelize.query('SELECT typeof($1) AS whole, typeof($2) AS fraction, typeof($3) AS huge, CAST($1 AS TEXT) AS text', {
    bind: [42, 4.5, 2 ** 60],
    plain: true,
  });
  assert.deepEqual(numbers, { whole: 'integer', fraction: 'real', huge: 'real', text: '42' });
});

test('two documents open at once each get their own models', async (t) => {
  const first = await openHead(t, 'first');
  const second = await openHead(t, 'second');
  assert.notEqual(first.models.Sample, second.models.Sample);
  assert.equal(defineModels(first.sequelize), first.models, 'defining again returns the same classes');
  await first.models.Sample.create({ code: 'in-first' });
  await second.models.Sample.create({ code: 'in-second' });
  await first.models.Sample.create({ code: 'also-first' });
  assert.deepEqual(
    (await first.models.Sample.findAll({ order: [['id', 'ASC']] })).map((s) => s.code),
    ['in-first', 'also-first'],
  );
  assert.deepEqual(second.handle.db.prepare('SELECT code FROM samples').all(), [{ code: 'in-second' }]);
});

test('the sqlite3 package is not installed and only one SQLite is loaded', async (t) => {
  const { models } = await openHead(t);
  await models.Sample.create({ code: 'loads-everything' });
  assert.throws(() => require.resolve('sqlite3'), { code: 'MODULE_NOT_FOUND' });
  const modules = Object.keys(require.cache);
  assert.ok(
    modules.some((file) => file.includes(`${path.sep}sequelize${path.sep}`)),
    'Sequelize is loaded',
  );
  assert.deepEqual(
    modules.filter((file) => file.includes(`node_modules${path.sep}sqlite3`)),
    [],
  );
  const sharedObjects = (process.report.getReport() as unknown as { sharedObjects: string[] }).sharedObjects;
  const sqliteBinaries = sharedObjects.filter((file) => /sqlite/i.test(path.basename(file)));
  assert.equal(sqliteBinaries.length, 1, sqliteBinaries.join(', '));
  assert.match(sqliteBinaries[0]!, /better_sqlite3\.node$/);
});
