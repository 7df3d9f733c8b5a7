/**
 * Item 12 of issue 8: SIGINT or SIGTERM during `upgrade`, `subset` or `export` stops the CLI
 * cleanly: one line on stderr, exit 130 (SIGINT) or 143 (SIGTERM), the document at its old or
 * new version and intact, and no temporary or partial file left in its folder, the backup folder
 * or the OS temp folder (`fieldbook-temp/`). Signals are sent at several moments of each command.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CLI, documentAt, sha256File, tempDir } from './helpers/fixtures';
import { writeLargeVersion1Document } from './helpers/large-document';

const HEAD = 6;
const EXIT_FOR = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_FOR;

let made: Promise<{ v1: string; head: string }> | undefined;

/** A 20 000-sample 1.0 document and its upgraded copy, made once and copied for each trial. */
function originals(): Promise<{ v1: string; head: string }> {
  made ??= (async () => {
    const dir = tempDir('fieldbook-signals-');
    const v1 = path.join(dir, 'big.fieldbook');
    writeLargeVersion1Document(v1, { samples: 20000, measurementsPerSample: 10 });
    const head = path.join(dir, 'big-head.fieldbook');
    fs.copyFileSync(v1, head);
    const up = await spawnCli(['upgrade', head, '--no-backup'], { cwd: dir, env: { ...process.env, FIELDBOOK_DATA_DIR: path.join(dir, 'data') } }).done;
    assert.equal(up.code, 0, up.stderr);
    return { v1, head };
  })();
  return made;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function spawnCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): { child: ReturnType<typeof spawn>; done: Promise<Run> } {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })));
  return { child, done };
}

interface Trial {
  dir: string;
  file: string;
  out: string;
  backups: string;
  tmp: string;
  env: NodeJS.ProcessEnv;
}

function freshTrial(source: string): Trial {
  const dir = tempDir('fieldbook-signal-trial-');
  const file = path.join(dir, 'field "notes".fieldbook');
  fs.copyFileSync(source, file);
  const tmp = path.join(dir, 'os-temp');
  fs.mkdirSync(tmp);
  const backups = path.join(dir, 'backups');
  return { dir, file, out: path.join(dir, 'out put.fieldbook'), backups, tmp, env: { ...process.env, TMPDIR: tmp, FIELDBOOK_DATA_DIR: path.join(dir, 'data') } };
}

const COMMANDS = {
  upgrade: { source: 'v1' as const, args: (t: Trial) => ['upgrade', t.file, '--backup-dir', t.backups] },
  subset: { source: 'head' as const, args: (t: Trial) => ['subset', t.file, '--out', t.out, '--all'] },
  export: { source: 'head' as const, args: (t: Trial) => ['export', t.file, '--out', t.out, '--as-version', '1'] },
};

function userVersion(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', `${file} passes integrity_check`);
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Every file under a folder, relative to it. */
function allFiles(dir: string): string[] {
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((e) => fs.statSync(path.join(dir, e)).isFile()) : [];
}

async function trial(name: keyof typeof COMMANDS, source: string, signal: StopSignal, delayMs: number): Promise<'interrupted' | 'finished' | 'killed before starting'> {
  const t = freshTrial(source);
  const before = sha256File(t.file);
  const where = `${name}, ${signal} after ${delayMs} ms`;
  const { child, done } = spawnCli(COMMANDS[name].args(t), { cwd: t.dir, env: t.env });
  const timer = setTimeout(() => child.kill(signal), delayMs);
  const run = await done;
  clearTimeout(timer);
  const lines = run.stderr.trim().split('\n').filter(Boolean);
  let outcome: 'interrupted' | 'finished' | 'killed before starting';
  if (run.code === 0) {
    outcome = 'finished';
  } else if (run.signal === signal) {
    // Node's default action: the signal came before the CLI had started any work.
    assert.deepEqual(
      allFiles(t.dir).filter((f) => !f.startsWith('field')),
      [],
      `${where}: killed by default before any work, yet files exist`,
    );
    outcome = 'killed before starting';
  } else {
    assert.equal(run.code, EXIT_FOR[signal], `${where}: exit ${run.code} (signal ${run.signal}): ${run.stderr}`);
    assert.equal(lines.length, 1, `${where}: one line on stderr: ${run.stderr}`);
    assert.match(lines[0]!, /^error: ABORTED: interrupted by SIG(INT|TERM)|^interrupted by SIG(INT|TERM), but the command had already finished$/, where);
    outcome = /already finished/.test(lines[0]!) ? 'finished' : 'interrupted';
  }
  const version = userVersion(t.file);
  if (name === 'upgrade') {
    assert.ok(version === 1 || version === HEAD, `${where}: the document is at version ${version}`);
    if (version === 1) assert.equal(sha256File(t.file), before, `${where}: at its old version but its bytes changed`);
    if (outcome === 'finished') assert.equal(version, HEAD, where);
  } else {
    assert.equal(sha256File(t.file), before, `${where}: the source changed`);
    if (outcome === 'finished') assert.equal(userVersion(t.out), name === 'export' ? 1 : HEAD, `${where}: finished, so the destination is whole`);
    else assert.equal(fs.existsSync(t.out), false, `${where}: ${outcome}, yet the destination exists`);
  }
  const expected = new Set([path.basename(t.file), path.basename(t.out)]);
  const left = fs.readdirSync(t.dir).filter((e) => !expected.has(e) && !['os-temp', 'backups', 'data'].includes(e));
  assert.deepEqual(left, [], `${where}: files left beside the document`);
  assert.deepEqual(allFiles(t.tmp), [], `${where}: files left in the OS temp folder`);
  assert.deepEqual(
    allFiles(t.backups).filter((f) => !f.endsWith('.fieldbook')),
    [],
    `${where}: partial backups left`,
  );
  fs.rmSync(t.dir, { recursive: true, force: true });
  return outcome;
}

for (const name of Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]) {
  test(`SIGINT and SIGTERM during ${name} stop it cleanly at every moment tried`, { timeout: 300_000 }, async (context) => {
    const docs = await originals();
    const source = docs[COMMANDS[name].source];
    // Calibrate: how long the whole command takes here, now (the faster of two runs: on a shared,
    // loaded machine one slow run would put every trial after the end).
    let full: Run | undefined;
    for (let run = 0; run < 2; run++) {
      const t = freshTrial(source);
      const timed = await spawnCli(COMMANDS[name].args(t), { cwd: t.dir, env: t.env }).done;
      assert.equal(timed.code, 0, timed.stderr);
      fs.rmSync(t.dir, { recursive: true, force: true });
      if (!full || timed.ms < full.ms) full = timed;
    }
    const outcomes: string[] = [];
    for (const [i, fraction] of [0.15, 0.25, 0.35, 0.5, 0.65, 0.8].entries()) {
      const signal: StopSignal = i % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      outcomes.push(await trial(name, source, signal, Math.round(full!.ms * fraction)));
    }
    context.diagnostic(`calibrated at ${full!.ms} ms: ${outcomes.join(', ')}`);
    assert.ok(
      outcomes.filter((o) => o === 'interrupted').length >= 2,
      `fewer than two trials interrupted ${name} while it worked (calibrated at ${full!.ms} ms): ${outcomes.join(', ')}`,
    );
  });
}

// A signal in a finished command's last milliseconds: the CLI once let its event loop run dry, and
// Node, tearing the process down after the 'exit' event, put SIGINT and SIGTERM back to their
// default action, so a signal then killed a command whose destination was already in place (seen
// as a flaky trial above). Here signals are sent without pause from the moment the destination
// appears until the process has gone: every run must end with an exit code, never by the signal.
for (const name of ['subset', 'export'] as const) {
  test(`a signal after ${name} has written its destination never kills it by default`, { timeout: 120_000 }, async () => {
    const source = documentAt(HEAD);
    for (let run = 0; run < 8; run++) {
      const t = freshTrial(source);
      const { child, done } = spawnCli([...COMMANDS[name].args(t), '--json'], { cwd: t.dir, env: t.env });
      let closed = false;
      let sent = 0;
      void done.then(() => (closed = true));
      const signal: StopSignal = run % 2 === 0 ? 'SIGTERM' : 'SIGINT';
      const send = () => {
        if (closed) return;
        if (fs.existsSync(t.out) && child.kill(signal)) sent++;
        setImmediate(send);
      };
      send();
      const result = await done;
      const where = `${name}, run ${run}, ${signal} sent ${sent} times once the destination existed`;
      assert.equal(result.signal, null, `${where}: killed by the signal after its work was done`);
      assert.ok(result.code === 0 || result.code === EXIT_FOR[signal], `${where}: exit ${result.code}: ${result.stderr}`);
      assert.equal(userVersion(t.out), name === 'export' ? 1 : HEAD, `${where}: the destination is whole`);
      if (result.code === 0) assert.ok(JSON.parse(result.stdout), `${where}: its JSON was written whole`);
      fs.rmSync(t.dir, { recursive: true, force: true });
    }
  });
}
