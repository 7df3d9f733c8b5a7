import fs = require('node:fs');

/** Flushes a file (or folder, where the platform allows) to stable storage. */
export function fsyncPath(target: string): void {
  let fd: number;
  try {
    fd = fs.openSync(target, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Folders cannot be fsynced on Windows; files always can.
  } finally {
    fs.closeSync(fd);
  }
}
