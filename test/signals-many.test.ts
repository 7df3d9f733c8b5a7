/**
 * Item 12 of issue 8 for batches and prompts: a signal (SIGINT, SIGTERM, or SIGHUP when the
 * terminal closes) during `upgrade FOLDER -r` stops the batch at once, not after the grace
 * period: documents not started are left alone, running upgrades roll back at their next safe
 * point, the CLI prints one line (exit 130/143/129), and no partial backup, temporary file or
 * hot journal is left. A signal while `downgrade` is asking for confirmation ends the question
 * and changes nothing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CLI, fileState, sha256File, tempDir } from './helpers/fixtures';
import { writeLargeVersion1Document } from './helpers/large-document';
import { richHeadDocument } from './helpers/rich-document';

const EXIT_FOR = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

let original: string | undefined;
function largeVersion1(): string {
  if (!original) {
    original = path.join(tempDir('fieldbook-many-signals-'), 'big.fieldbook');
    writeLargeVersion1Document(original, { samples: 8000, measurementsPerSample: 8 });
  }
  return original;
}

/** Files under `dir`; one the running CLI removes between the listing and its stat (a -journal) is not counted. */
function allFiles(dir: string): string[] {
  return fs.existsSync(dir)
    ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((e) => fs.statSync(path.join(dir, e), { throwIfNoEntry: false })?.isFile() === true)
    : [];
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  signalWhen: () => boolean,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; stderr: string; stdout: string; afterSignalMs: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let sentAt = 0;
    const poll = setInterval(() => {
      if (!sentAt && signalWhen()) {
        sentAt = Date.now();
        child.kill(signal);
      }
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stderr, stdout, afterSignalMs: sentAt ? Date.now() - sentAt : -1 });
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(
    `${signal} during upgrade FOLDER -r stops the batch at once: one line, exit ${EXIT_FOR[signal]}, every document at its old or new version, nothing left`,
    { timeout: 180_000 },
    async () => {
      const dir = tempDir('fieldbook-many-trial-');
      const folder = path.join(dir, 'notebooks');
      fs.mkdirSync(path.join(folder, 'sub "folder"'), { recursive: true });
      const files = Array.from({ length: 8 }, (_, i) => path.join(folder, i % 2 ? 'sub "folder"' : '', `it's notebook ${i}.fieldbook`));
      for (const file of files) fs.copyFileSync(largeVersion1(), file);
      const before = sha256File(files[0]!);
      const backups = path.join(dir, 'backups');
      const tmp = path.join(dir, 'os-temp');
      fs.mkdirSync(tmp);
      const env = { ...process.env, TMPDIR: tmp, FIELDBOOK_DATA_DIR: path.join(dir, 'data') };
      // Signalled once the first backup is being written: upgrades are running, most are not started.
      const result = await run(['upgrade', folder, '-r', '--backup-dir', backups], env, dir, () => allFiles(backups).length > 0, signal);
      assert.ok(result.afterSignalMs >= 0, `the signal was sent: ${result.stderr}`);
      assert.equal(result.code, EXIT_FOR[signal], result.stderr + result.stdout);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line: ${result.stderr}`);
      assert.match(lines[0]!, new RegExp(`^error: ABORTED: interrupted by ${signal}: stopped: \\d+ upgraded, [1-9]\\d* left at their old version`), lines[0]);
      assert.ok(result.afterSignalMs < 8000, `stopped ${result.afterSignalMs} ms after the signal (not after the 10 s grace)`);
      let old = 0;
      for (const file of files) {
        const db = new Database(file, { readonly: true });
        try {
          assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
          const version = db.pragma('user_version', { simple: true }) as number;
          assert.ok(version === 1 || version === 6, `${file} at version ${version}`);
          if (version === 1) old++;
        } finally {
          db.close();
        }
        if (fs.existsSync(file) && sha256File(file) === before) continue;
        assert.equal(fs.existsSync(`${file}-journal`), false, `${file}: no journal left`);
      }
      assert.ok(old > 0, 'the batch stopped before upgrading everything');
      for (const file of files) assert.equal(fs.existsSync(`${file}-journal`), false, `no journal beside ${file}`);
      assert.deepEqual(
        allFiles(backups).filter((f) => !f.endsWith('.fieldbook')),
        [],
        'no partial backups',
      );
      assert.deepEqual(allFiles(tmp), [], 'nothing in the OS temp folder');
    },
  );
}

test('a signal while downgrade asks for confirmation ends the question at once: ABORTED, exit 143, the notebook unchanged', { timeout: 60_000 }, async () => {
  const file = richHeadDocument(tempDir(), 'tagged "notes".fieldbook');
  const before = fileState(file);
  const command = [process.execPath, CLI, 'downgrade', file, '--to', '1', '--no-backup'].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  // util-linux `script` gives the CLI a real terminal; stdin stays open, so only the signal can end the question.
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, FIELDBOOK_DATA_DIR: tempDir() }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const asked = new Promise<void>((resolve) =>
    child.stdout.on('data', (d) => {
      output += d;
      if (/\[y\/N\]/.test(output)) resolve();
    }),
  );
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  await asked;
  const cli = fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .find((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(CLI) && fs.readFileSync(`/proc/${p}/status`, 'utf8').includes(`PPid:\t`);
      } catch {
        return false;
      }
    });
  assert.ok(cli, 'found the CLI process');
  const sentAt = Date.now();
  process.kill(Number(cli), 'SIGTERM');
  const code = await closed;
  child.stdin.end();
  assert.ok(Date.now() - sentAt < 5000, 'the question ended at once, not after the grace period');
  assert.equal(code, 143, output);
  assert.match(output, /error: ABORTED: interrupted by SIGTERM: the question was interrupted/);
  assert.deepEqual(fileState(file), before);
});
