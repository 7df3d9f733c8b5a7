/**
 * Another process holding a document's exclusive lock, as a second app window or a sync tool
 * would: a child node process opens the file with better-sqlite3, runs `BEGIN EXCLUSIVE` and
 * waits until it is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface LockHolder {
  pid: number;
  /** Kills the holder (SIGKILL) and waits for it to exit; its locks go with it. */
  release(): Promise<void>;
}

const HOLDER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2], { fileMustExist: true });
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');
setInterval(() => {}, 1 << 30);
`;

/** Resolves once the child has printed "locked". */
export function holdExclusiveLock(file: string, timeoutMs = 15_000): Promise<LockHolder> {
  const child: ChildProcess = spawn(process.execPath, ['-e', HOLDER, require.resolve('better-sqlite3'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const release = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void release();
      reject(new Error(`the lock holder did not report "locked" within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('locked\n')) {
        clearTimeout(timer);
        resolve({ pid: child.pid!, release });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the lock holder exited (code ${code}, signal ${signal}) before locking: ${err}`));
    });
  });
}
