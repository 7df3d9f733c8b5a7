/**
 * Crash safety, proven on real files: `fieldbook upgrade` is SIGKILLed at random moments (before
 * it starts, while it writes the backup, while it checks under the lock, inside the migration
 * transaction, around the commit), and after every kill the document must be intact and either
 * untouched or fully upgraded, any finished backup must be a whole copy, and upgrading again must
 * work. The kill schedule comes from a seeded PRNG: the seed is printed, and
 * `FIELDBOOK_CRASH_SEED=<seed>` replays the same schedule.
 */
import { spawnSync } from 'node:child_process';
import { before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { APPLICATION_ID, CLI, tempDir } from './helpers/fixtures';
import { snapshotDocument, CORE_TABLES, type DocumentSnapshot } from './helpers/document-snapshot';
import { isHotJournal, listBackupFiles, runKillableUpgrade, type KillAnchor, type UpgradeRun, type UpgradeTimeline } from './helpers/killable-upgrade';
import { writeLargeVersion1Document } from './helpers/large-document';
import { seededRandom, seedFromEnv } from './helpers/seeded-random';

const HEAD = 6;
const TRIALS_PER_DOCUMENT = 14;
const SEED = seedFromEnv('FIELDBOOK_CRASH_SEED');
const random = seededRandom(SEED);
const seedNote = `(crash seed ${SEED}; FIELDBOOK_CRASH_SEED=${SEED} replays this schedule)`;
console.log(`crash test seed: ${SEED} — set FIELDBOOK_CRASH_SEED=${SEED} to replay the same kill schedule`);

/** Where a trial's child was when it died, read from the files it left behind. */
type Phase = 'before anything' | 'backup' | 'after backup, before writing' | 'transaction' | 'commit (hot journal)' | 'after commit' | 'finished before the kill';
const PHASES: Phase[] = ['before anything', 'backup', 'after backup, before writing', 'transaction', 'commit (hot journal)', 'after commit', 'finished before the kill'];

interface Variant {
  name: string;
  beta: boolean;
  original: string;
  before: DocumentSnapshot;
  calibration: Required<UpgradeTimeline> | null;
  phases: Map<Phase, number>;
}

const work = tempDir('fieldbook-crash-');
const variants: Variant[] = [
  { name: '1.0', beta: false, original: path.join(work, 'large-1.0.fieldbook'), before: null!, calibration: null, phases: new Map() },
  { name: '0.9 beta', beta: true, original: path.join(work, 'large-0.9.fieldbook'), before: null!, calibration: null, phases: new Map() },
];
let trialCounter = 0;

before(() => {
  for (const v of variants) {
    writeLargeVersion1Document(v.original, { samples: 20000, measurementsPerSample: 10, beta: v.beta });
    v.before = snapshotDocument(v.original, { readonly: true });
    assert.equal(v.before.integrity, 'ok', `the freshly built ${v.name} document fails integrity_check`);
    assert.equal(v.before.userVersion, v.beta ? 0 : 1, `the ${v.name} document was built at the wrong version`);
    assert.equal(v.before.counts.measurements, 200000, `the ${v.name} document should hold 200000 measurements`);
  }
});

/** A fresh copy of the variant's document in its own folder, with empty backup and data folders. */
function freshTrialFiles(v: Variant): { file: string; backupDir: string; dataDir: string } {
  const dir = path.join(work, `trial-${++trialCounter}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, `crash ${v.beta ? 'beta' : 'v1'}.fieldbook`);
  fs.copyFileSync(v.original, file);
  return { file, backupDir: path.join(dir, 'backups'), dataDir: path.join(dir, 'data') };
}

function headerUserVersion(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    fs.readSync(fd, buf, 0, 4, 60);
    return buf.readInt32BE(0);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads the phase from the files only (no connection is opened, so a hot journal stays hot). */
function observePhase(file: string, backupDir: string, run: UpgradeRun): Phase {
  if (run.killedAtMs === null) return 'finished before the kill';
  const backups = listBackupFiles(backupDir);
  // A journal whose header is still zero means SQLite had not started overwriting the file's
  // pages; a hot one (magic number synced) means it had, so reopening must roll pages back.
  if (fs.existsSync(`${file}-journal`)) return isHotJournal(`${file}-journal`) ? 'commit (hot journal)' : 'transaction';
  if (backups.some((b) => b.endsWith('.fieldbook'))) return headerUserVersion(file) === HEAD ? 'after commit' : 'after backup, before writing';
  if (backups.some((b) => b.includes('.fieldbook.partial'))) return 'backup';
  return 'before anything';
}

function assertEveryRow(v: Variant, after: DocumentSnapshot, when: string): void {
  for (const table of CORE_TABLES) {
    assert.equal(after.counts[table], v.before.counts[table], `${when}: ${table} has ${after.counts[table]} rows, the original had ${v.before.counts[table]} ${seedNote}`);
    assert.equal(after.ids[table], v.before.ids[table], `${when}: the ids of ${table} differ from the original's ${seedNote}`);
  }
}

function uniform(low: number, high: number): number {
  return Math.round(low + random() * Math.max(0, high - low));
}

/** The kill moment for a plan, spread over the phase the calibration run measured for it. */
function killDelay(anchor: KillAnchor | 'anywhere', c: Required<UpgradeTimeline>): { anchor: KillAnchor; delayMs: number } {
  switch (anchor) {
    case 'spawn':
      return { anchor, delayMs: uniform(0, 0.9 * c.partial) };
    case 'partial':
      return { anchor, delayMs: uniform(0, 0.9 * (c.backupDone - c.partial)) };
    case 'backupDone':
      return { anchor, delayMs: uniform(0, 0.9 * (c.journal - c.backupDone)) };
    case 'journal':
      return { anchor, delayMs: uniform(0, 0.8 * (c.hotJournal - c.journal)) };
    case 'hotJournal':
      return { anchor, delayMs: uniform(0, 0.9 * (c.journalGone - c.hotJournal)) };
    case 'journalGone':
      return { anchor, delayMs: uniform(0, 0.9 * (c.exit - c.journalGone)) };
    case 'anywhere':
      return { anchor: 'spawn', delayMs: uniform(0, 1.1 * c.exit) };
  }
}

/** Which moment each trial aims at, in turn: the transaction and the backup get the most trials. */
const PLAN_CYCLE: (KillAnchor | 'anywhere')[] = [
  'spawn',
  'partial',
  'journal',
  'backupDone',
  'hotJournal',
  'anywhere',
  'journal',
  'partial',
  'spawn',
  'journal',
  'hotJournal',
  'backupDone',
  'journalGone',
  'partial',
];

test('an uninterrupted upgrade of each large document succeeds (calibrates the kill moments)', async (t) => {
  for (const v of variants) {
    const { file, backupDir, dataDir } = freshTrialFiles(v);
    const run = await runKillableUpgrade(file, backupDir, dataDir, null);
    assert.equal(run.exitCode, 0, `uninterrupted upgrade of the ${v.name} document failed: ${run.stderr}${run.stdout}`);
    const t0 = run.timeline;
    for (const event of ['backupDone', 'journal', 'hotJournal', 'journalGone', 'exit'] as const) {
      assert.ok(t0[event] !== undefined, `the calibration run of the ${v.name} document never showed "${event}" (timeline ${JSON.stringify(t0)})`);
    }
    // The .partial backup can exist for less time than one look at the folder takes under load.
    t0.partial ??= Math.max(0, t0.backupDone! - 30);
    assert.ok(
      t0.partial <= t0.backupDone! && t0.backupDone! <= t0.journal! && t0.journal! <= t0.hotJournal! && t0.hotJournal! < t0.journalGone!,
      `the ${v.name} upgrade did not finish its backup before writing to the document: ${JSON.stringify(t0)}`,
    );
    const after = snapshotDocument(file, { content: false });
    assert.equal(after.integrity, 'ok', `the upgraded ${v.name} document fails integrity_check: ${after.integrity}`);
    assert.equal(after.userVersion, HEAD, `the upgraded ${v.name} document is at version ${after.userVersion}`);
    assertEveryRow(v, after, `after an uninterrupted upgrade of the ${v.name} document`);
    v.calibration = t0 as Required<UpgradeTimeline>;
    t.diagnostic(`${v.name} calibration (ms after spawn): ${JSON.stringify(t0)}`);
  }
});

async function crashTrial(v: Variant, plan: { anchor: KillAnchor; delayMs: number }): Promise<{ phase: Phase; versionAfterKill: number }> {
  const { file, backupDir, dataDir } = freshTrialFiles(v);
  const where = `${v.name} document, kill ${plan.delayMs} ms after ${plan.anchor} ${seedNote}`;
  const run = await runKillableUpgrade(file, backupDir, dataDir, plan);
  if (run.killedAtMs === null) {
    assert.equal(run.exitCode, 0, `${where}: the upgrade ended on its own with exit ${run.exitCode}: ${run.stderr}${run.stdout}`);
  } else {
    assert.equal(run.signal, 'SIGKILL', `${where}: the child was not ended by SIGKILL (exit ${run.exitCode}, signal ${run.signal}): ${run.stderr}`);
  }
  const phase = observePhase(file, backupDir, run);

  if (phase === 'transaction' || phase === 'commit (hot journal)' || phase === 'after commit') {
    assert.ok(
      listBackupFiles(backupDir).some((b) => b.endsWith('.fieldbook')),
      `${where}: the document was being changed (${phase}) but no finished backup exists: ${listBackupFiles(backupDir).join(', ') || 'none'}`,
    );
  }

  const after = snapshotDocument(file, { content: (userVersion) => userVersion !== HEAD });
  assert.equal(after.integrity, 'ok', `${where} (${phase}): integrity_check after the kill says ${after.integrity}`);
  // Old-or-head is the promise; which one follows from the phase: while a journal exists
  // (hot or not) the transaction has not committed, so reopening must give the old version.
  const committed = phase === 'after commit' || phase === 'finished before the kill';
  assert.equal(
    after.userVersion,
    committed ? HEAD : v.before.userVersion,
    `${where} (${phase}): reopened at version ${after.userVersion}, expected ${committed ? `head ${HEAD}` : `the old version ${v.before.userVersion}`}`,
  );
  if (after.userVersion === HEAD) {
    assert.equal(after.applicationId, APPLICATION_ID, `${where} (${phase}): at head but application_id is ${after.applicationId}`);
    assertEveryRow(v, after, `${where} (${phase}), at head after the kill`);
  } else {
    assert.equal(
      after.userVersion,
      v.before.userVersion,
      `${where} (${phase}): the document is at version ${after.userVersion}, neither its old version ${v.before.userVersion} nor head ${HEAD}`,
    );
    assert.equal(after.content, v.before.content, `${where} (${phase}): still at version ${after.userVersion} but its content differs from the original`);
  }

  for (const entry of listBackupFiles(backupDir)) {
    if (entry.includes('.fieldbook.partial')) continue;
    assert.ok(entry.endsWith('.fieldbook'), `${where} (${phase}): unexpected file in the backup folder: ${entry}`);
    let backup: DocumentSnapshot;
    try {
      backup = snapshotDocument(path.join(backupDir, entry), { readonly: true });
    } catch (error) {
      assert.fail(`${where} (${phase}): finished backup ${entry} cannot be read as a whole database: ${(error as Error).message}`);
    }
    assert.equal(backup.integrity, 'ok', `${where} (${phase}): finished backup ${entry} fails integrity_check: ${backup.integrity}`);
    assert.equal(backup.content, v.before.content, `${where} (${phase}): finished backup ${entry} is not a copy of the original document`);
  }

  const again = spawnSync(process.execPath, [CLI, 'upgrade', file, '--json'], { cwd: path.dirname(file), env: { ...process.env, FIELDBOOK_DATA_DIR: dataDir }, encoding: 'utf8' });
  assert.equal(again.status, 0, `${where} (${phase}): upgrading again failed with exit ${again.status}: ${again.stderr}${again.stdout}`);
  assert.equal((JSON.parse(again.stdout) as { to?: unknown }).to, HEAD, `${where} (${phase}): upgrading again did not report version ${HEAD}: ${again.stdout}`);
  const final = snapshotDocument(file, { content: false });
  assert.equal(final.integrity, 'ok', `${where} (${phase}): integrity_check after upgrading again says ${final.integrity}`);
  assert.equal(final.userVersion, HEAD, `${where} (${phase}): after upgrading again the document is at version ${final.userVersion}`);
  assertEveryRow(v, final, `${where} (${phase}), after upgrading again`);
  // Passed: free the ~30 MB of copies now (a failed trial's folder stays until the process exits).
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { phase, versionAfterKill: after.userVersion };
}

for (const v of variants) {
  test(`${v.name} document: ${TRIALS_PER_DOCUMENT} upgrades SIGKILLed at random moments leave it intact, old or at head, and upgradable`, async (t: TestContext) => {
    const c = v.calibration;
    assert.ok(c, `no calibration for the ${v.name} document (the calibration test failed)`);
    for (let i = 0; i < TRIALS_PER_DOCUMENT; i++) {
      const plan = killDelay(PLAN_CYCLE[i % PLAN_CYCLE.length]!, c);
      await t.test(`trial ${i + 1}: kill ${plan.delayMs} ms after ${plan.anchor}`, async (st) => {
        const { phase, versionAfterKill } = await crashTrial(v, plan);
        v.phases.set(phase, (v.phases.get(phase) ?? 0) + 1);
        st.diagnostic(`died: ${phase}; reopened at version ${versionAfterKill}`);
      });
    }
  });
}

test('the kills landed before the upgrade started, during the backup and inside the transaction', (t) => {
  const total = new Map<Phase, number>();
  for (const v of variants) {
    for (const [phase, n] of v.phases) total.set(phase, (total.get(phase) ?? 0) + n);
    t.diagnostic(`${v.name}: ${PHASES.map((p) => `${p}: ${v.phases.get(p) ?? 0}`).join(', ')}`);
  }
  const summary = PHASES.map((p) => `${p}: ${total.get(p) ?? 0}`).join(', ');
  t.diagnostic(`all trials: ${summary}`);
  console.log(`crash trials by phase: ${summary} ${seedNote}`);
  const trials = [...total.values()].reduce((a, b) => a + b, 0);
  assert.equal(trials, TRIALS_PER_DOCUMENT * variants.length, `only ${trials} trials completed their checks (${summary}) ${seedNote}`);
  const count = (...phases: Phase[]) => phases.reduce((n, p) => n + (total.get(p) ?? 0), 0);
  assert.ok(count('before anything') > 0, `no trial died before the upgrade had done anything: ${summary} ${seedNote}`);
  assert.ok(count('backup') > 0, `no trial died while the backup was being written: ${summary} ${seedNote}`);
  assert.ok(count('transaction', 'commit (hot journal)') > 0, `no trial died inside the migration transaction: ${summary} ${seedNote}`);
});
