import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Private temporary documents (upgraded copies of outdated sources, temporary subsets) live in
 * `<OS temp>/fieldbook-temp/`, named `<kind>-<pid>-<random>.fieldbook`. They are removed when
 * done, at process exit, and, for a process that crashed or was killed, by the next process
 * that makes one (a file whose process is gone is stale).
 */
export function tempFolder(): string {
  return path.join(os.tmpdir(), 'fieldbook-temp');
}

const made = new Set<string>();
let exitHook = false;

/** A fresh path for a temporary document; the file is not created. */
export function tempDocumentPath(kind: string): string {
  const folder = tempFolder();
  fs.mkdirSync(folder, { recursive: true });
  sweepStaleTempFiles(folder);
  const file = path.join(folder, `${kind}-${process.pid}-${randomBytes(6).toString('hex')}.fieldbook`);
  made.add(file);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const f of made) removeDocumentFiles(f);
    });
  }
  return file;
}

/** Removes a document and the journal files SQLite may have left beside it. */
export function removeDocumentFiles(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  made.delete(file);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary documents (and partial files) left here by processes that no longer exist. */
export function sweepStaleTempFiles(folder = tempFolder()): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number((/^[a-z]+-(\d+)-/.exec(entry) ?? PARTIAL.exec(entry))?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !processIsAlive(pid)) fs.rmSync(path.join(folder, entry), { force: true });
  }
}

const PARTIAL = /^\..+\.(\d+)\.[0-9a-f]{8}\.partial$/;

/**
 * Where a document is built before it is renamed into place: a hidden `.partial` file beside
 * the destination (same folder, so the rename is atomic). Partial files of processes that died
 * in that folder are removed first.
 */
export function partialPathFor(destination: string): string {
  const folder = path.dirname(destination);
  try {
    for (const entry of fs.readdirSync(folder)) {
      const pid = Number(PARTIAL.exec(entry)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !processIsAlive(pid)) removeDocumentFiles(path.join(folder, entry));
    }
  } catch {
    // An unreadable folder fails later, with a clearer error, when the file is created.
  }
  return path.join(folder, `.${path.basename(destination)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
}
