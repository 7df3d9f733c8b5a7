/**
 * Issue 8, item 7: a program killed while its COMMIT extends the file leaves a hot journal and a
 * page 1 whose page count is ahead of the file's size. The file is healthy: SQLite rolls the
 * journal back on the next open. Classification, `info`, upgrade and export must see its last
 * committed state, never "truncated"; in a folder that may not be written, the engine reads a
 * private rolled-back copy and leaves file, journal and folder exactly as found.
 */
import { spawn } from 'node:child_process';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { classifyDocument, isFieldbookError, exportDocument, upgradeDocument, exportSubset } from '@fieldbook/engine';
import { snapshotDocument, type DocumentSnapshot } from './helpers/document-snapshot';
import { documentAt, fileState, runCli, sha256File, tempDir, testEngine, withDb } from './helpers/fixtures';
import { isHotJournal } from './helpers/killable-upgrade';

const BETTER_SQLITE3 = require.resolve('better-sqlite3');

/**
 * A child that adds ~24 MB of attachments in one transaction (cache big enough that nothing
 * spills before COMMIT, so COMMIT writes page 1 with the new page count first and then extends
 * the file) and says `commit` just before committing.
 */
const CHILD = `
const Database = require(${JSON.stringify(BETTER_SQLITE3)});
const db = new Database(process.argv[1]);
db.pragma('cache_size = -400000');
db.exec('BEGIN');
const add = db.prepare("INSERT INTO attachments (sample_id, filename, mime, data, sha256) VALUES (1, ?, 'application/octet-stream', ?, 'x')");
for (let i = 0; i < 96; i++) add.run('blob ' + i + '.bin', Buffer.alloc(256 * 1024, i));
db.exec("UPDATE samples SET description = 'changed by the dead transaction'");
process.stdout.write('commit\\n');
db.exec('COMMIT');
`;

interface HeaderFacts {
  size: number;
  headerBytes: number;
}

function headerFacts(file: string): HeaderFacts {
  const buf = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  const pageSize = buf.readUInt16BE(16) === 1 ? 65536 : buf.readUInt16BE(16);
  return { size: fs.statSync(file).size, headerBytes: buf.readUInt32BE(28) * pageSize };
}

/** Runs the child and SIGKILLs it once its COMMIT has started extending the file; true when it died there. */
function killDuringCommit(file: string): Promise<boolean> {
  const startSize = fs.statSync(file).size;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let committing = false;
    let killed = false;
    let stderr = '';
    child.stdout.on('data', () => (committing = true));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = () => {
      if (child.exitCode !== null || killed) return;
      if (committing && isHotJournal(`${file}-journal`) && fs.statSync(file).size > startSize) {
        killed = true;
        child.kill('SIGKILL');
        return;
      }
      setImmediate(poll);
    };
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (!killed && code !== 0) reject(new Error(`child failed: ${stderr}`));
      else resolve(signal === 'SIGKILL');
    });
    poll();
  });
}

function seed(file: string): void {
  withDb(file, (db) =>
    db.exec(`
    INSERT INTO sites (id, name) VALUES (1, 'Ridge "North"');
    INSERT INTO samples (id, site_id, code, description) VALUES (1, 1, 'R-1', 'first'), (2, 1, 'R-2', 'second');
    INSERT INTO measurements (id, sample_id, kind, value) VALUES (1, 1, 'pH', 7.1), (2, 2, 'depth', 3);`),
  );
}

interface CrashState {
  version: number;
  /** A folder holding the document and the hot journal its killed writer left. */
  dir: string;
  file: string;
  /** The document as it was before the killed transaction. */
  before: DocumentSnapshot;
}

const states: CrashState[] = [];

/** A fresh copy of a crash state (document + hot journal) in a folder of its own. */
function copyOf(state: CrashState, name = 'notes "field" 2024.fieldbook'): string {
  const dir = tempDir('fieldbook-commit-crash-');
  const file = path.join(dir, name);
  fs.copyFileSync(state.file, file);
  fs.copyFileSync(`${state.file}-journal`, `${file}-journal`);
  return file;
}

before(async () => {
  for (const version of [5, 6]) {
    let made: CrashState | null = null;
    for (let trial = 0; trial < 12 && !made; trial++) {
      const dir = tempDir('fieldbook-commit-kill-');
      const file = documentAt(version, dir, 'doc.fieldbook');
      seed(file);
      const beforeState = snapshotDocument(file);
      if (!(await killDuringCommit(file))) continue;
      const facts = headerFacts(file);
      if (!isHotJournal(`${file}-journal`) || facts.headerBytes <= facts.size) continue;
      made = { version, dir, file, before: beforeState };
    }
    assert.ok(made, `a child killed during COMMIT left a hot journal and a header ahead of the file (version ${version})`);
    states.push(made);
  }
});

test('the killed COMMIT really left a header ahead of the file and a hot journal', () => {
  for (const s of states) {
    const facts = headerFacts(s.file);
    assert.ok(facts.headerBytes > facts.size, `header says ${facts.headerBytes} bytes, the file has ${facts.size}`);
    assert.ok(isHotJournal(`${s.file}-journal`));
  }
});

test('classification rolls the journal back and reports the last committed state, never DAMAGED', () => {
  for (const s of states) {
    const file = copyOf(s);
    const c = classifyDocument(file, { engine: testEngine() });
    assert.equal(c.problem, null, JSON.stringify(c.problem));
    assert.equal(c.status, s.version === 6 ? 'current' : 'outdated');
    assert.equal(c.version, s.version);
    assert.ok(!fs.existsSync(`${file}-journal`), 'SQLite rolled the journal back');
    const after = snapshotDocument(file);
    assert.deepEqual(after, s.before, 'the content is the content before the killed transaction');
  }
});

test('info --check and --json work on the crashed file (CLI)', () => {
  for (const s of states) {
    const file = copyOf(s);
    const run = runCli(['info', file, '--check', '--json']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const info = run.json as { status: string; version: number; problem: unknown };
    assert.deepEqual([info.status, info.version, info.problem], [s.version === 6 ? 'current' : 'outdated', s.version, null]);
    assert.deepEqual(snapshotDocument(file), s.before);
  }
});

test('upgrade works on the crashed file and keeps the pre-transaction rows', async () => {
  const s = states.find((x) => x.version === 5)!;
  const file = copyOf(s);
  const result = await upgradeDocument(file, { engine: testEngine() });
  assert.deepEqual([result.from, result.to], [5, 6]);
  const after = snapshotDocument(file, { content: false });
  assert.deepEqual([after.integrity, after.counts, after.ids], ['ok', s.before.counts, s.before.ids]);
  const attachments = withDb(file, (db) => db.prepare('SELECT count(*) FROM attachments').pluck().get());
  assert.equal(attachments, 0, "none of the dead transaction's attachments");
  const descriptions = withDb(file, (db) => db.prepare('SELECT description FROM samples ORDER BY id').pluck().all());
  assert.deepEqual(descriptions, ['first', 'second']);
});

test('the CLI upgrade on the crashed file exits 0', () => {
  const s = states.find((x) => x.version === 5)!;
  const file = copyOf(s);
  const run = runCli(['upgrade', file, '--json']);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.equal(classifyDocument(file, { engine: testEngine() }).status, 'current');
});

test('in a read-only folder the crashed file is classified and exported from a private copy; nothing beside it changes', async (t) => {
  for (const s of states) {
    const file = copyOf(s);
    const dir = path.dirname(file);
    fs.chmodSync(dir, 0o555);
    t.after(() => fs.chmodSync(dir, 0o755));
    const files = fileState(file);
    const listing = fs.readdirSync(dir).sort();
    const engine = testEngine();
    const c = classifyDocument(file, { engine, check: 'quick' });
    assert.equal(c.problem, null, JSON.stringify(c.problem));
    assert.equal(c.status, s.version === 6 ? 'current' : 'outdated');
    const run = runCli(['info', file, '--json']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal((run.json as { status: string }).status, c.status);
    const out = path.join(tempDir(), 'export.fieldbook');
    await exportDocument(file, out, { engine });
    const exported = snapshotDocument(out, { content: false });
    assert.deepEqual([exported.counts, exported.ids], [s.before.counts, s.before.ids]);
    const subset = path.join(tempDir(), 'subset.fieldbook');
    const result = await exportSubset(file, subset, { siteIds: [1] }, { engine });
    assert.equal(result.counts.samples, 2);
    assert.equal(result.counts.attachments, 0);
    assert.deepEqual(fileState(file), files, 'document and hot journal are byte for byte as found');
    assert.deepEqual(fs.readdirSync(dir).sort(), listing);
  }
});

test('an upgrade of an outdated crashed file in a read-only folder is refused with READ_ONLY naming the folder (CLI too)', async (t) => {
  const s = states.find((x) => x.version === 5)!;
  const file = copyOf(s);
  const dir = path.dirname(file);
  fs.chmodSync(dir, 0o555);
  t.after(() => fs.chmodSync(dir, 0o755));
  const files = fileState(file);
  await assert.rejects(upgradeDocument(file, { engine: testEngine() }), (e: unknown) => isFieldbookError(e, 'READ_ONLY') && (e as Error).message.includes(dir));
  const run = runCli(['upgrade', file, '--json']);
  assert.notEqual(run.status, 0);
  assert.match(run.stdout + run.stderr, /READ_ONLY/);
  assert.ok((run.stdout + run.stderr).includes(dir), run.stdout + run.stderr);
  assert.deepEqual(fileState(file), files);
});

test('a truncated file is still DAMAGED when its journal is absent or not hot', () => {
  const s = states[0]!;
  const file = copyOf(s);
  fs.rmSync(`${file}-journal`);
  const plain = classifyDocument(file, { engine: testEngine() });
  assert.equal(plain.problem?.code, 'DAMAGED');
  assert.match(plain.problem!.message, /truncated/);
  const zeroed = copyOf(s, 'zeroed.fieldbook');
  const journal = fs.readFileSync(`${zeroed}-journal`);
  journal.fill(0, 0, 28);
  fs.writeFileSync(`${zeroed}-journal`, journal);
  const state = sha256File(zeroed);
  const c = classifyDocument(zeroed, { engine: testEngine() });
  assert.equal(c.problem?.code, 'DAMAGED');
  assert.match(c.problem!.message, /truncated/);
  assert.equal(sha256File(zeroed), state);
});

/**
 * A writer that is alive inside its transaction and has not touched the file yet holds only
 * SQLite's RESERVED lock; with `synchronous=OFF` its journal header is complete at once, so the
 * journal looks hot although SQLite (rightly) will not roll it back. Reading must see the last
 * committed state without looping on the journal (a stack overflow before), and writing waits
 * for the writer and then says LOCKED.
 */
test('a live writer whose journal looks hot (synchronous=OFF, nothing written to the file yet): read as committed, upgrade LOCKED', async (t) => {
  for (const readOnlyFolder of [false, true]) {
    const dir = tempDir('fieldbook-live-writer-');
    const file = documentAt(5, dir, 'live "writer".fieldbook');
    seed(file);
    const child = spawn(
      process.execPath,
      [
        '-e',
        `
      const db = new (require(${JSON.stringify(BETTER_SQLITE3)}))(process.argv[1]);
      db.pragma('synchronous = OFF');
      db.exec('BEGIN IMMEDIATE');
      db.exec("UPDATE samples SET description = 'uncommitted'");
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.after(() => child.kill('SIGKILL'));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    assert.ok(isHotJournal(`${file}-journal`), "the live writer's journal looks hot");
    if (readOnlyFolder) fs.chmodSync(dir, 0o555);
    try {
      const main = sha256File(file);
      const c = classifyDocument(file, { engine: testEngine(), check: 'quick' });
      assert.equal(c.problem, null, JSON.stringify(c.problem));
      assert.equal(c.status, 'outdated');
      const info = runCli(['info', file, '--json']);
      assert.equal(info.status, 0, info.stdout + info.stderr);
      const exported = path.join(tempDir(), 'export.fieldbook');
      await exportDocument(file, exported, { engine: testEngine() });
      assert.deepEqual(
        withDb(exported, (db) => db.prepare('SELECT description FROM samples ORDER BY id').pluck().all()),
        ['first', 'second'],
      );
      await assert.rejects(upgradeDocument(file, { engine: testEngine() }), (e: unknown) => isFieldbookError(e, readOnlyFolder ? 'READ_ONLY' : 'LOCKED'));
      assert.equal(sha256File(file), main, 'the file is as the writer left it');
      assert.ok(isHotJournal(`${file}-journal`), "the live writer's journal was left alone");
    } finally {
      fs.chmodSync(dir, 0o755);
      child.kill('SIGKILL');
    }
  }
});
