/**
 * Real folders that refuse writes, for the file-failure tests: an immutable folder (chattr +i),
 * a read-only bind mount, a tiny tmpfs that fills up. They need root (this sandbox has it); a
 * missing facility throws, so a test never passes without the errno it is about.
 */
import { execFileSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { tempDir } from './fixtures';

export interface Trap {
  dir: string;
  /** Undoes the trap (unmount, chattr -i); safe to call twice. */
  release(): void;
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A folder nobody, not even root, can create files in (EPERM). */
export function immutableFolder(): Trap {
  const dir = path.join(tempDir('fieldbook-immutable-'), 'locked folder');
  fs.mkdirSync(dir);
  run('chattr', ['+i', dir]);
  let released = false;
  return {
    dir,
    release: () => {
      if (!released) {
        released = true;
        run('chattr', ['-i', dir]);
      }
    },
  };
}

/** A folder on a read-only mount (EROFS); `prepare` may put files in it before it becomes read-only. */
export function readOnlyMount(prepare?: (dir: string) => void): Trap {
  const dir = path.join(tempDir('fieldbook-ro-'), 'read only');
  fs.mkdirSync(dir);
  prepare?.(dir);
  run('mount', ['--bind', dir, dir]);
  try {
    run('mount', ['-o', 'remount,ro,bind', dir]);
  } catch (error) {
    run('umount', [dir]);
    throw error;
  }
  let released = false;
  return {
    dir,
    release: () => {
      if (!released) {
        released = true;
        run('umount', [dir]);
      }
    },
  };
}

/**
 * A tmpfs of `sizeKb` with `leaveKb` free (the rest taken by a filler file), so files can be
 * created but not grown (ENOSPC, SQLITE_FULL).
 */
export function fullDisk(sizeKb = 256, leaveKb = 16): Trap & { filler: string } {
  const dir = path.join(tempDir('fieldbook-full-'), 'full disk');
  fs.mkdirSync(dir);
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  const filler = path.join(dir, 'filler');
  fs.writeFileSync(filler, Buffer.alloc((sizeKb - leaveKb) * 1024));
  let released = false;
  return {
    dir,
    filler,
    release: () => {
      if (!released) {
        released = true;
        run('umount', [dir]);
      }
    },
  };
}

/**
 * A FUSE mount (bindfs over a temp folder): what sshfs, cloud drives and ntfs-3g look like to
 * statfs, and what Fieldbook warns about (storageWarning). Needs root, /dev/fuse and bindfs.
 */
export function fuseMount(): Trap {
  const root = tempDir('fieldbook-fuse-');
  const backing = path.join(root, 'backing');
  const dir = path.join(root, 'shared drive');
  fs.mkdirSync(backing);
  fs.mkdirSync(dir);
  try {
    run('bindfs', [backing, dir]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('bindfs is missing: `apt-get install bindfs` (CI installs it in .ci/run); this test is never skipped');
    throw error;
  }
  let released = false;
  return {
    dir,
    release: () => {
      if (!released) {
        released = true;
        run('umount', [dir]);
      }
    },
  };
}
