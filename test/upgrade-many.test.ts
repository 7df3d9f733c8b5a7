import assert from 'node:assert/strict';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { test } from 'node:test';
import { main } from '../main/cli/main';
import { classifyDocument, openDocument, upgradeMany, type FileOutcome, type UpgradeManyProgress, type UpgradeManySummary } from '@fieldbook/engine';
import { REPO_ROOT, beta09Document, documentAt, runCli, sha256File, tempDir, withDb } from './helpers/fixtures';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

const HEAD = 6;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/**
 * A folder with everything a batch meets: outdated documents at several versions, a current one,
 * a 0.9 beta, a PNG named .fieldbook, a text file (ignored: not named .fieldbook), a document
 * from a newer app, an outdated one that is read-only (it fails inside its worker, between
 * others in name order), and a subfolder holding one more outdated document.
 */
function mixedFolder(): { dir: string; sub: string } {
  const dir = tempDir();
  for (const v of [0, 2, 4, 5]) documentAt(v, dir, `a-v${v}.fieldbook`);
  documentAt(HEAD, dir, 'current.fieldbook');
  beta09Document(dir, 'beta.fieldbook');
  fs.writeFileSync(path.join(dir, 'picture.fieldbook'), PNG);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a document');
  withDb(documentAt(HEAD, dir, 'from-the-future.fieldbook'), (db) => db.pragma('user_version = 9'));
  fs.chmodSync(documentAt(3, dir, 'b-read-only.fieldbook'), 0o444);
  documentAt(1, dir, 'c-v1.fieldbook');
  const sub = path.join(dir, 'sub');
  fs.mkdirSync(sub);
  documentAt(2, sub, 'deep.FIELDBOOK');
  return { dir, sub };
}

function byName(summary: UpgradeManySummary): Record<string, FileOutcome> {
  return Object.fromEntries(summary.files.map((f) => [path.relative(path.dirname(summary.files[0]!.path), f.path), f]));
}

function versionOf(file: string): number | null {
  return classifyDocument(file, { engine: fieldbookEngine() }).version;
}

test('a folder: outdated documents upgraded, current left, non-documents skipped, failures isolated', async () => {
  const { dir } = mixedFolder();
  const backups = tempDir();
  const progress: UpgradeManyProgress[] = [];
  const summary = await upgradeMany([dir], { engine: fieldbookEngine(), backup: backups, onProgress: (p) => progress.push(p) });
  const files = byName(summary);
  assert.deepEqual(
    Object.keys(files),
    [
      'a-v0.fieldbook',
      'a-v2.fieldbook',
      'a-v4.fieldbook',
      'a-v5.fieldbook',
      'b-read-only.fieldbook',
      'beta.fieldbook',
      'c-v1.fieldbook',
      'current.fieldbook',
      'from-the-future.fieldbook',
      'picture.fieldbook',
    ],
    'sorted by name; notes.txt and the subfolder are not considered without --recursive',
  );
  for (const [name, from] of [
    ['a-v0', 0],
    ['a-v2', 2],
    ['a-v4', 4],
    ['a-v5', 5],
    ['c-v1', 1],
    ['beta', 0],
  ] as const) {
    const f = files[`${name}.fieldbook`]!;
    assert.equal(f.outcome, 'upgraded', `${name}: ${JSON.stringify(f.error)}`);
    // A 0.9 file reports version 0 but is adopted as 1, so it runs one step fewer than a base document.
    assert.deepEqual([f.from, f.to, f.applied!.length], [from, HEAD, name === 'beta' ? HEAD - 1 : HEAD - from]);
    assert.equal(f.adopted, name === 'beta');
    assert.ok(f.backup!.startsWith(backups) && fs.existsSync(f.backup!), `${name} was backed up`);
    assert.equal(versionOf(f.path), HEAD, `${name} ended at head`);
    assert.equal(classifyDocument(f.path, { engine: fieldbookEngine() }).status, 'current');
  }
  assert.deepEqual(files['current.fieldbook'], { path: path.join(dir, 'current.fieldbook'), outcome: 'current', from: HEAD, to: HEAD });
  assert.equal(files['picture.fieldbook']!.outcome, 'skipped');
  assert.match(files['picture.fieldbook']!.reason!, /not an SQLite database/);
  assert.equal(files['from-the-future.fieldbook']!.outcome, 'failed');
  assert.equal(files['from-the-future.fieldbook']!.error!.code, 'TOO_NEW');
  const readOnly = files['b-read-only.fieldbook']!;
  assert.deepEqual([readOnly.outcome, readOnly.error!.code], ['failed', 'READ_ONLY'], 'fails inside its worker, between documents that succeed');
  assert.ok(readOnly.worker, 'the read-only document was tried in a worker');
  assert.equal(versionOf(readOnly.path), 3, 'and left as it was');
  assert.deepEqual(summary.totals, { upgraded: 6, current: 1, skipped: 1, failed: 2 });
  assert.equal(summary.ok, false);
  const last = progress.at(-1)!;
  assert.deepEqual([last.phase, last.done, last.total, last.running], ['upgrading', 7, 7, 0]);
  assert.ok(progress.some((p) => p.phase === 'checking' && p.done === p.total && p.total === 10));
});

test('--recursive descends into subfolders, ends on symlink loops, and does not upgrade its own backups', async () => {
  const { dir, sub } = mixedFolder();
  fs.symlinkSync('..', path.join(sub, 'loop'));
  fs.symlinkSync(dir, path.join(sub, 'back-to-top'));
  const backups = path.join(dir, 'backups');
  const first = await upgradeMany([dir], { engine: fieldbookEngine(), recursive: true, backup: backups });
  const deep = first.files.find((f) => f.path === path.join(sub, 'deep.FIELDBOOK'));
  assert.deepEqual([deep?.outcome, deep?.from, deep?.to], ['upgraded', 2, HEAD], 'subfolder documents are found (names matched case-insensitively)');
  assert.equal(first.files.length, 11, 'each file once, though the loops lead back to them');
  assert.ok(fs.readdirSync(backups).length >= 7, 'backups were written inside the folder being walked');
  const second = await upgradeMany([dir], { engine: fieldbookEngine(), recursive: true, backup: backups });
  assert.ok(!second.files.some((f) => f.path.startsWith(backups)), 'the backup folder is not walked');
  assert.deepEqual(second.totals, { upgraded: 0, current: 8, skipped: 1, failed: 2 });
});

test('two paths naming one file (.., a symlink, a hard link) upgrade it once', async () => {
  const dir = tempDir();
  const file = documentAt(2, dir, 'one.fieldbook');
  fs.symlinkSync(file, path.join(dir, 'alias.fieldbook'));
  fs.linkSync(file, path.join(dir, 'hard.fieldbook'));
  const dotted = path.join(dir, '..', path.basename(dir), 'one.fieldbook');
  const summary = await upgradeMany([file, dotted, dir, path.join(dir, 'alias.fieldbook')], { engine: fieldbookEngine(), backup: false });
  assert.equal(summary.files.length, 1, JSON.stringify(summary.files, null, 2));
  const [only] = summary.files;
  assert.deepEqual([only!.path, only!.outcome, only!.from, only!.to], [file, 'upgraded', 2, HEAD]);
  assert.deepEqual(only!.alsoNamedAs, [path.join(dir, 'alias.fieldbook'), path.join(dir, 'hard.fieldbook')]);
  assert.equal(only!.applied!.length, HEAD - 2, 'migrated once');
});

test('missing paths fail with NOT_FOUND; the others still run; a relative --to is per document', async () => {
  const dir = tempDir();
  const missing = path.join(dir, 'gone.fieldbook');
  const a = documentAt(1, dir, 'a.fieldbook');
  const b = documentAt(4, dir, 'b.fieldbook');
  const summary = await upgradeMany([missing, a, b], { engine: fieldbookEngine(), to: '+1', backup: false });
  assert.deepEqual(
    summary.files.map((f) => [f.outcome, f.from, f.to, f.error?.code]),
    [
      ['failed', undefined, undefined, 'NOT_FOUND'],
      ['upgraded', 1, 2, undefined],
      ['upgraded', 4, 5, undefined],
    ],
  );
  const down = await upgradeMany([a, b], { engine: fieldbookEngine(), to: '3', backup: false });
  assert.deepEqual(
    down.files.map((f) => [f.outcome, f.error?.code]),
    [
      ['upgraded', undefined],
      ['failed', 'BAD_TARGET'],
    ],
  );
  assert.equal(versionOf(b), 5, 'a batch never downgrades');
  await assert.rejects(upgradeMany([a], { engine: fieldbookEngine(), to: 'nonsense' }), { code: 'BAD_TARGET' });
});

test('a document this process has open is refused (LOCKED), not upgraded behind its connection', async () => {
  const dir = tempDir();
  const open = await openDocument(documentAt(2, dir, 'open.fieldbook'), { engine: fieldbookEngine(), upgrade: false });
  try {
    const other = documentAt(2, dir, 'other.fieldbook');
    const summary = await upgradeMany([dir], { engine: fieldbookEngine(), backup: false });
    assert.deepEqual(
      summary.files.map((f) => [f.path, f.outcome, f.error?.code]),
      [
        [open.path, 'failed', 'LOCKED'],
        [other, 'upgraded', undefined],
      ],
    );
  } finally {
    open.close();
  }
  assert.equal(versionOf(path.join(dir, 'open.fieldbook')), 2);
});

test('with two or more documents, more than one worker thread upgrades at the same time', { skip: os.availableParallelism() < 2 && 'one CPU' }, async () => {
  const dir = tempDir();
  for (let i = 0; i < 8; i++) documentAt(0, dir, `d${i}.fieldbook`);
  const summary = await upgradeMany([dir], { engine: fieldbookEngine(), backup: false });
  assert.equal(summary.workers, Math.min(os.availableParallelism(), 8));
  const spans = summary.files.map((f) => f.worker!);
  assert.ok(new Set(spans.map((s) => s.threadId)).size >= 2, `threads: ${spans.map((s) => s.threadId)}`);
  // Times are taken inside the workers, on the shared epoch clock: two jobs of different threads overlapped.
  const overlapping = spans.some((s, i) => spans.some((t, j) => j > i && s.threadId !== t.threadId && s.startMs < t.endMs && t.startMs < s.endMs));
  assert.ok(overlapping, `no overlapping upgrades: ${JSON.stringify(spans)}`);
  assert.ok(summary.files.every((f) => f.outcome === 'upgraded' && versionOf(f.path) === HEAD));
});

test('a worker that crashes fails only its document; a fresh worker takes the rest', async () => {
  const dir = tempDir();
  const files = ['a', 'b-crash', 'c', 'd-exit', 'e'].map((n) => documentAt(2, dir, `${n}.fieldbook`));
  const before = files.map(sha256File);
  const worker = path.join(tempDir(), 'crashing-worker.js');
  const realWorker = path.join(REPO_ROOT, 'main', 'engine', 'dist', 'batch', 'upgrade-worker.js');
  fs.writeFileSync(
    worker,
    `
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (job) => {
      if (job.path.endsWith('b-crash.fieldbook')) throw new Error('simulated crash');
      if (job.path.endsWith('d-exit.fieldbook')) process.exit(7);
    });
    require(${JSON.stringify(realWorker)});`,
  );
  const summary = await upgradeMany([dir], { engine: fieldbookEngine(), backup: false, concurrency: 1, workerFile: worker });
  assert.deepEqual(
    summary.files.map((f) => [path.basename(f.path), f.outcome, f.error?.code]),
    [
      ['a.fieldbook', 'upgraded', undefined],
      ['b-crash.fieldbook', 'failed', 'INTERNAL'],
      ['c.fieldbook', 'upgraded', undefined],
      ['d-exit.fieldbook', 'failed', 'INTERNAL'],
      ['e.fieldbook', 'upgraded', undefined],
    ],
  );
  assert.match(summary.files[1]!.error!.message, /simulated crash/);
  assert.match(summary.files[3]!.error!.message, /exited with code 7/);
  assert.equal(sha256File(files[1]!), before[1]);
  assert.equal(sha256File(files[3]!), before[3]);
  assert.equal(new Set(summary.files.map((f) => f.worker!.threadId)).size, 3, 'one worker at a time, replaced after each crash');

  const nowhere = await upgradeMany([documentAt(2, dir, 'f.fieldbook')], { engine: fieldbookEngine(), backup: false, workerFile: path.join(dir, 'no-such-worker.js') });
  assert.deepEqual([nowhere.files[0]!.outcome, nowhere.files[0]!.error!.code], ['failed', 'INTERNAL'], 'a worker that cannot load does not hang the batch');
});

test('CLI: JSON summary and exit codes (3 with failures, 0 when every document ends current), from an unrelated folder', () => {
  const { dir } = mixedFolder();
  const run = runCli(['upgrade', dir, '--json'], { cwd: '/' });
  assert.equal(run.status, 3, run.stderr);
  assert.equal(run.stderr, '', 'no progress line without a terminal');
  const json = run.json as UpgradeManySummary;
  assert.deepEqual(Object.keys(json), ['ok', 'totals', 'workers', 'durationMs', 'files']);
  assert.deepEqual([json.ok, json.totals], [false, { upgraded: 6, current: 1, skipped: 1, failed: 2, dataIssues: 0 }]);
  const upgraded = json.files.find((f) => f.outcome === 'upgraded')!;
  for (const key of ['path', 'outcome', 'from', 'to', 'backup', 'applied', 'dataIssues']) assert.ok(key in upgraded, `upgraded entries have ${key}`);
  assert.ok(upgraded.backup, 'backed up to the default folder');
  const failed = json.files.find((f) => f.outcome === 'failed')!;
  assert.deepEqual(Object.keys(failed.error!), ['code', 'message']);

  fs.rmSync(path.join(dir, 'from-the-future.fieldbook'));
  fs.chmodSync(path.join(dir, 'b-read-only.fieldbook'), 0o644);
  const again = runCli(['upgrade', path.basename(dir), '--recursive', '--no-backup', '--json'], { cwd: path.dirname(dir) });
  assert.equal(again.status, 0, again.stdout + again.stderr);
  assert.deepEqual((again.json as UpgradeManySummary).totals, { upgraded: 2, current: 7, skipped: 1, failed: 0, dataIssues: 0 }, 'the picture is skipped and does not count');

  const plain = runCli(['upgrade', dir, path.join(dir, 'missing.fieldbook'), '--no-backup']);
  assert.equal(plain.status, 3);
  assert.match(plain.stdout, /^upgraded 0, already current 8, skipped 1, failed 1/);
  assert.match(plain.stdout, /failed:\n {2}.*missing\.fieldbook: NOT_FOUND: /);
  assert.match(plain.stdout, /skipped \(not Fieldbook documents\):\n {2}.*picture\.fieldbook: .*not an SQLite database/);
  assert.equal(runCli(['upgrade', dir, dir, '--to', 'nonsense']).status, 2, 'a bad target is a usage error for the whole batch');
});

test('CLI: one plain file keeps the single-document command, its JSON and its errors', () => {
  const file = documentAt(3);
  const one = runCli(['upgrade', file, '--no-backup', '--json']);
  assert.equal(one.status, 0, one.stderr);
  assert.deepEqual(Object.keys(one.json as object), ['path', 'from', 'to', 'backup', 'adopted', 'applied', 'dataIssues']);
  const missing = runCli(['upgrade', path.join(tempDir(), 'nope.fieldbook')]);
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /^error: NOT_FOUND: /);
  const forced = runCli(['upgrade', documentAt(3), '--recursive', '--no-backup', '--json']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.deepEqual((forced.json as UpgradeManySummary).totals, { upgraded: 1, current: 0, skipped: 0, failed: 0, dataIssues: 0 }, '--recursive always means a batch');
});

test('CLI at a terminal: one updating progress line on stderr, ending with a newline, then the summary', async () => {
  const dir = tempDir();
  for (let i = 0; i < 3; i++) documentAt(1, dir, `t${i}.fieldbook`);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['upgrade', dir, '--no-backup'], { out: (t) => out.push(t), err: (t) => err.push(t), isTerminal: true });
  assert.equal(code, 0);
  // eslint-disable-next-line no-control-regex -- the terminal's escape sequences are what is tested
  assert.match(err.at(-1)!, /^\x1b\[1A\r\x1b\[2Kupgrading 3\/3 \(0 running\) t\d\.fieldbook$/, 'the last repaint shows the finished count (Io adds the newline)');
  assert.ok(
    err.slice(1).every((line) => line.startsWith('\x1b[1A')),
    'every later line repaints the first',
  );
  assert.match(out.join('\n'), /^upgraded 3, already current 0, skipped 0, failed 0/);
});
