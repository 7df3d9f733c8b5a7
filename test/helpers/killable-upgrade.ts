/**
 * Runs `fieldbook upgrade FILE --backup-dir DIR --json` in a child process while watching the
 * files it leaves (backup `.partial`, finished backup, the document's `-journal`), and optionally
 * SIGKILLs it at a chosen moment relative to one of those events. The watcher only stats and lists
 * files; it never opens the document while the child runs.
 */
import { spawn } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { CLI } from './fixtures';

/** Milliseconds after spawn at which each event was first seen (absent: not seen). */
export interface UpgradeTimeline {
  /** A `*.fieldbook.partial` backup appeared. */
  partial?: number;
  /** A finished `*.fieldbook` backup appeared. */
  backupDone?: number;
  /** The document's `-journal` appeared (the migration transaction wrote). */
  journal?: number;
  /**
   * The journal became hot: its header carries the magic number, which SQLite writes and syncs
   * just before it overwrites pages of the database file (so normally at commit).
   */
  hotJournal?: number;
  /** The journal disappeared again (commit). */
  journalGone?: number;
  /** The child exited. */
  exit?: number;
}

export type KillAnchor = 'spawn' | 'partial' | 'backupDone' | 'journal' | 'hotJournal' | 'journalGone';

/** Kill `delayMs` after `anchor` is seen; if the anchor never shows up, the child runs to its end. */
export interface KillPlan {
  anchor: KillAnchor;
  delayMs: number;
}

export interface UpgradeRun {
  timeline: UpgradeTimeline;
  /** When SIGKILL was sent (ms after spawn), or null if the child ended on its own first. */
  killedAtMs: number | null;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Every file under the backup folder (it holds one sub-folder per document), as paths relative to it. */
export function listBackupFiles(backupDir: string): string[] {
  let folders: fs.Dirent[];
  try {
    folders = fs.readdirSync(backupDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of folders) {
    if (!entry.isDirectory()) {
      files.push(entry.name);
      continue;
    }
    try {
      for (const name of fs.readdirSync(path.join(backupDir, entry.name))) files.push(path.join(entry.name, name));
    } catch {
      // The folder is being created right now.
    }
  }
  return files;
}

/** The 8 bytes that open a rollback journal whose header has been synced (sqlite.org fileformat2, "the rollback journal"). */
const JOURNAL_MAGIC = Buffer.from('d9d505f920a163d7', 'hex');

/**
 * Whether a rollback journal's header carries the magic number. Until the journal is synced
 * SQLite leaves those bytes zero, and such a journal is ignored (not rolled back) on the next
 * open. Reading it is safe here: this process has no SQLite connection to the document.
 */
export function isHotJournal(journal: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(journal, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(JOURNAL_MAGIC.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(JOURNAL_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

export function runKillableUpgrade(file: string, backupDir: string, dataDir: string, plan: KillPlan | null, timeoutMs = 60_000): Promise<UpgradeRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'upgrade', file, '--backup-dir', backupDir, '--json'], {
      env: { ...process.env, FIELDBOOK_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timeline: UpgradeTimeline = {};
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let killAt: number | null = plan?.anchor === 'spawn' ? plan.delayMs : null;
    let killedAtMs: number | null = null;
    let exited = false;
    const now = () => performance.now() - started;
    const see = (event: keyof UpgradeTimeline) => {
      if (timeline[event] !== undefined) return;
      timeline[event] = Math.round(now());
      if (plan && plan.anchor === event && killAt === null) killAt = now() + plan.delayMs;
    };
    const poll = () => {
      if (exited) return;
      const files = listBackupFiles(backupDir);
      if (files.some((f) => f.endsWith('.partial'))) see('partial');
      if (files.some((f) => f.endsWith('.fieldbook'))) see('backupDone');
      if (fs.existsSync(`${file}-journal`)) {
        see('journal');
        if (timeline.hotJournal === undefined && isHotJournal(`${file}-journal`)) see('hotJournal');
      } else if (timeline.journal !== undefined) see('journalGone');
      if (killAt !== null && killedAtMs === null && now() >= killAt) {
        killedAtMs = Math.round(now());
        child.kill('SIGKILL');
      }
      if (now() > timeoutMs && killedAtMs === null) {
        killedAtMs = Math.round(now());
        child.kill('SIGKILL');
        reject(new Error(`fieldbook upgrade ${file} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
        return;
      }
      // 1 ms between looks: precise enough for phases of tens of milliseconds, and it leaves
      // the CPU to the child instead of spinning.
      setTimeout(poll, 1);
    };
    child.on('error', reject);
    child.on('exit', () => {
      exited = true;
      timeline.exit = Math.round(now());
    });
    // 'close' comes after 'exit' and after the output streams have ended.
    // A kill sent just as the child was exiting on its own does nothing: only the exit signal says whether it died by it.
    child.on('close', (code, signal) => resolve({ timeline, killedAtMs: signal === 'SIGKILL' ? killedAtMs : null, exitCode: code, signal, stdout, stderr }));
    setImmediate(poll);
  });
}
