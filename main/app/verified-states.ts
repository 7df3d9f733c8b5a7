import fs = require('node:fs');
import path = require('node:path');

/**
 * Which files' contents the app has checked for damage and found sound, so a notebook is checked
 * once per content, not on every open. A file is named by its absolute path and its content by
 * what changes whenever it is written: device, inode, size and modification time (read with
 * stat: the notebook is never opened for this). Kept as JSON in the app's data folder, replaced
 * atomically; a missing or unreadable file only means checking again.
 */
export class VerifiedStates {
  constructor(private readonly file: string | null) {}

  /** What names the content of `absolute` now, or null when it cannot be read. */
  static contentKey(absolute: string): string | null {
    const stat = fs.statSync(absolute, { throwIfNoEntry: false, bigint: true });
    return stat ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}` : null;
  }

  isVerified(absolute: string, key: string): boolean {
    return this.read()[absolute] === key;
  }

  /** Remembers `key` as verified for `absolute` (the newest 500 files are kept). */
  remember(absolute: string, key: string): void {
    if (!this.file) return;
    const states = this.read();
    delete states[absolute];
    states[absolute] = key;
    const kept = Object.entries(states).slice(-500);
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(Object.fromEntries(kept)));
      fs.renameSync(temp, this.file);
    } catch {
      // Not remembered: the next open checks again.
    }
  }

  private read(): Record<string, string> {
    if (!this.file) return {};
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }
}
