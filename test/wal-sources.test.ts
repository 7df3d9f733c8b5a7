/**
 * Issue 8, items 9 and 10: reading a WAL-mode document never changes it. `info`/classification,
 * exportDocument and exportSubset work on WAL documents with and without a `-wal` file, held
 * open by another program or left by one that was killed, in writable and read-only folders;
 * afterwards the document's bytes (and its `-wal`'s) and the folder's listing are as found (no
 * `-wal`/`-shm` created, nothing checkpointed). An upgrade in a read-only folder is refused with
 * READ_ONLY naming the folder. Tests run as root, which ignores permission bits, so "read-only"
 * is the folder's mode bits, which the engine checks itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { classifyDocument, isFieldbookError, exportDocument, planDowngrade, upgradeDocument, openDocument, exportSubset } from '@fieldbook/engine';
import { documentAt, runCli, sampleCodes, sha256File, tempDir, testEngine, withDb } from './helpers/fixtures';

const BETTER_SQLITE3 = require.resolve('better-sqlite3');

/** A document in WAL mode at `version`, with one site and sample, cleanly closed (no -wal, no -shm). */
function walDocument(version: number, name = 'wal "doc" 1.fieldbook'): string {
  const file = documentAt(version, tempDir('fieldbook-wal-'), name);
  withDb(file, (db) => {
    db.exec("INSERT INTO sites (id, name) VALUES (1, 'Ridge')");
    db.exec(`INSERT INTO samples (id, site_id, code${version >= 4 ? ', description' : ', notes'}) VALUES (1, 1, 'R-1', 'committed before')`);
    db.pragma('journal_mode = WAL');
  });
  assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)]);
  return file;
}

/** What must not change: the bytes of the document and of its -wal, and the names in its folder. */
function observe(file: string): { main: string; wal: string | null; listing: string[] } {
  return {
    main: sha256File(file),
    wal: fs.existsSync(`${file}-wal`) ? sha256File(`${file}-wal`) : null,
    listing: fs.readdirSync(path.dirname(file)).sort(),
  };
}

/**
 * Another program with the document open: it commits a second sample into the WAL (no
 * checkpoint) and keeps its connection until killed.
 */
async function holdOpenWithWalFrames(t: TestContext, file: string): Promise<ChildProcess> {
  const code = `
    const Database = require(${JSON.stringify(BETTER_SQLITE3)});
    const db = new Database(process.argv[1]);
    db.pragma('wal_autocheckpoint = 0');
    db.exec("INSERT INTO samples (id, site_id, code) VALUES (2, 1, 'only-in-wal')");
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', code, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => resolve());
    child.on('exit', () => reject(new Error('the holder exited early')));
  });
  assert.ok(fs.statSync(`${file}-wal`).size > 0 && fs.existsSync(`${file}-shm`));
  return child;
}

function readOnlyFolder(t: TestContext, file: string): void {
  const dir = path.dirname(file);
  fs.chmodSync(dir, 0o555);
  t.after(() => fs.chmodSync(dir, 0o755));
}

/** Classifies (API and CLI), exports and cuts a subset; asserts the results and that nothing changed. */
async function readEverything(file: string, expected: { status: string; codes: string[] }): Promise<void> {
  const engine = testEngine();
  const before = observe(file);
  for (const check of ['none', 'quick', 'full'] as const) {
    const c = classifyDocument(file, { engine, check });
    assert.equal(c.problem, null, `${check}: ${JSON.stringify(c.problem)}`);
    assert.equal(c.status, expected.status);
  }
  const info = runCli(['info', file, '--json']);
  assert.equal(info.status, 0, info.stdout + info.stderr);
  assert.equal((info.json as { status: string }).status, expected.status);
  const checked = runCli(['info', file, '--check']);
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  assert.deepEqual(observe(file), before, 'classification changed nothing');

  const exported = path.join(tempDir(), 'export.fieldbook');
  await exportDocument(file, exported, { engine });
  assert.deepEqual(sampleCodes(exported), expected.codes);
  assert.deepEqual(observe(file), before, 'exportDocument changed nothing');

  const subset = path.join(tempDir(), 'subset.fieldbook');
  const result = await exportSubset(file, subset, { siteIds: [1] }, { engine });
  assert.equal(result.counts.samples, expected.codes.length);
  assert.deepEqual(sampleCodes(subset), expected.codes);
  assert.deepEqual(observe(file), before, 'exportSubset changed nothing');
}

for (const version of [6, 4]) {
  const status = version === 6 ? 'current' : 'outdated';
  test(`a cleanly closed WAL document at version ${version} is read without creating -wal/-shm (writable folder)`, async () => {
    await readEverything(walDocument(version), { status, codes: ['R-1'] });
  });

  test(`a cleanly closed WAL document at version ${version} in a read-only folder can be inspected and exported`, async (t) => {
    const file = walDocument(version);
    readOnlyFolder(t, file);
    await readEverything(file, { status, codes: ['R-1'] });
  });
}

test('a WAL document another program has open (frames in its -wal) is read as committed, its files untouched', async (t) => {
  for (const readOnly of [false, true]) {
    const file = walDocument(6);
    const holder = await holdOpenWithWalFrames(t, file);
    if (readOnly) readOnlyFolder(t, file);
    await readEverything(file, { status: 'current', codes: ['R-1', 'only-in-wal'] });
    holder.kill('SIGKILL');
  }
});

test('a WAL document whose writer was killed (-wal and -shm left behind) is read as committed, nothing checkpointed', async (t) => {
  for (const readOnly of [false, true]) {
    const file = walDocument(5);
    const holder = await holdOpenWithWalFrames(t, file);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('close', resolve));
    if (readOnly) readOnlyFolder(t, file);
    await readEverything(file, { status: 'outdated', codes: ['R-1', 'only-in-wal'] });
  }
});

test('a WAL document with a -wal but no -shm is read from a private copy including the -wal frames', async (t) => {
  for (const readOnly of [false, true]) {
    const source = walDocument(6);
    const holder = await holdOpenWithWalFrames(t, source);
    const file = path.join(tempDir(), 'copied with wal.fieldbook');
    fs.copyFileSync(source, file);
    fs.copyFileSync(`${source}-wal`, `${file}-wal`);
    holder.kill('SIGKILL');
    if (readOnly) readOnlyFolder(t, file);
    await readEverything(file, { status: 'current', codes: ['R-1', 'only-in-wal'] });
    assert.ok(!fs.existsSync(`${file}-shm`));
  }
});

test('upgrading a WAL document in a read-only folder is refused with READ_ONLY naming the folder, before anything is written', async (t) => {
  const file = walDocument(3);
  const dir = path.dirname(file);
  readOnlyFolder(t, file);
  const before = observe(file);
  await assert.rejects(upgradeDocument(file, { engine: testEngine() }), (e: unknown) => isFieldbookError(e, 'READ_ONLY') && (e as Error).message.includes(dir));
  const run = runCli(['upgrade', file, '--json']);
  assert.notEqual(run.status, 0);
  const error = (run.json as { error?: { code: string; message: string } } | null)?.error ?? (run.json as { code: string; message: string });
  assert.equal(error.code, 'READ_ONLY', run.stdout + run.stderr);
  assert.ok(error.message.includes(dir), error.message);
  assert.deepEqual(observe(file), before);
});

test('a WAL document in a writable folder still upgrades, and is left without -wal/-shm', async () => {
  const file = walDocument(3);
  const result = await upgradeDocument(file, { engine: testEngine(), backup: false });
  assert.equal(result.to, 6);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)]);
  assert.deepEqual(
    withDb(file, (db) => db.prepare('SELECT code FROM samples').pluck().all()),
    ['R-1'],
  );
});

/**
 * The other reads: planDowngrade (what a downgrade would lose) and a read-only openDocument (a
 * newer or outdated document, or asked for) leave a WAL document's files as found, in every
 * state: cleanly closed, another program's -wal and -shm, a killed writer's -wal without -shm,
 * in writable and read-only folders.
 */
async function otherReads(file: string, codes: string[]): Promise<void> {
  const engine = testEngine();
  const before = observe(file);
  const plan = await planDowngrade(file, { engine, to: 4 });
  assert.equal(plan.from, 6);
  assert.deepEqual(plan.lost.find((l) => l.table === 'samples' && l.column === 'created_at')?.rows, codes.length);
  assert.deepEqual(observe(file), before, 'planDowngrade changed nothing');
  const handle = await openDocument(file, { engine, readOnly: true });
  try {
    assert.equal(handle.readOnly, true);
    assert.deepEqual(handle.db.prepare('SELECT code FROM samples ORDER BY id').pluck().all(), codes);
  } finally {
    handle.close();
  }
  assert.deepEqual(observe(file), before, 'a read-only open changed nothing and left nothing');
}

test('planDowngrade and a read-only open leave a cleanly closed WAL document as found (writable and read-only folder, read-only file)', async (t) => {
  await otherReads(walDocument(6), ['R-1']);
  const inReadOnly = walDocument(6);
  readOnlyFolder(t, inReadOnly);
  await otherReads(inReadOnly, ['R-1']);
  const readOnlyFile = walDocument(6);
  fs.chmodSync(readOnlyFile, 0o444);
  await otherReads(readOnlyFile, ['R-1']);
});

test("planDowngrade and a read-only open read a killed writer's -wal (with or without -shm) without checkpointing or adding files", async (t) => {
  for (const keepShm of [true, false]) {
    for (const readOnly of [false, true]) {
      const file = walDocument(6);
      const holder = await holdOpenWithWalFrames(t, file);
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.on('close', resolve));
      if (!keepShm) fs.rmSync(`${file}-shm`);
      if (readOnly) readOnlyFolder(t, file);
      await otherReads(file, ['R-1', 'only-in-wal']);
    }
  }
});

test('planDowngrade and a read-only open of a WAL document another program has open see its committed frames and leave them', async (t) => {
  const file = walDocument(6);
  const holder = await holdOpenWithWalFrames(t, file);
  await otherReads(file, ['R-1', 'only-in-wal']);
  holder.kill('SIGKILL');
});
