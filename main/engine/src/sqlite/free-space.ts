import fs = require('node:fs');
import path = require('node:path');
import { FieldbookError } from '../errors';

/** Room an operation needs in one folder (which need not exist yet: its nearest existing ancestor is measured). */
export interface SpaceNeed {
  folder: string;
  bytes: number;
  /** What the room is for, for the message: "the upgrade (journal and rebuilt tables)", "the backup". */
  purpose: string;
}

/**
 * Refuses an operation before it writes anything when a file system has less free space than
 * the operation needs there. Needs on the same file system add up (a backup folder beside the
 * document needs room for both). Free space is what this user may use (`bavail`). A folder whose
 * free space cannot be read (no statfs, a file in its path, /proc) is not judged.
 * @throws FieldbookError NO_SPACE, saying what needs how much where and how much is free
 */
export function assertSpaceFor(subject: string, needs: readonly SpaceNeed[]): void {
  const byDevice = new Map<number, { folder: string; free: number; needs: SpaceNeed[] }>();
  for (const need of needs) {
    const measured = measure(need.folder);
    if (!measured) continue;
    const entry = byDevice.get(measured.device) ?? { folder: measured.folder, free: measured.free, needs: [] };
    entry.needs.push(need);
    byDevice.set(measured.device, entry);
  }
  for (const { folder, free, needs: here } of byDevice.values()) {
    const needed = here.reduce((sum, n) => sum + n.bytes, 0);
    if (needed <= free) continue;
    const what = here.map((n) => `${n.purpose} ${describeBytes(n.bytes)}`).join(' and ');
    throw new FieldbookError(
      'NO_SPACE',
      `not enough free space for ${subject}: ${what} on the file system of ${folder}, which has ${describeBytes(free)} free; free ${describeBytes(needed - free)} and try again`,
      {
        details: { folder, neededBytes: needed, freeBytes: free },
      },
    );
  }
}

/** The bytes a document takes on disk with its WAL, the most a copy or a rewrite of it can need. */
export function documentBytes(absolute: string): number {
  const size = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  return size(absolute) + size(`${absolute}-wal`);
}

/** "57.3 MB", "812 KB", "640 bytes". */
export function describeBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.ceil(bytes / 1e3)} KB`;
  return `${bytes} bytes`;
}

/**
 * The nearest existing ancestor of `folder`, its device and its free bytes; null when they cannot
 * be read, when a file sits in the path, or on a file system without blocks (/proc, /sys): such
 * folders are for the callers' own checks to refuse (the backup folder's, with BACKUP_FAILED).
 */
function measure(folder: string): { folder: string; device: number; free: number } | null {
  let at = path.resolve(folder);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at, { throwIfNoEntry: false });
    } catch {
      return null;
    }
    if (stat) {
      if (!stat.isDirectory()) return null;
      try {
        const s = fs.statfsSync(at);
        return s.blocks > 0 ? { folder: at, device: stat.dev, free: s.bavail * s.bsize } : null;
      } catch {
        return null;
      }
    }
    const parent = path.dirname(at);
    if (parent === at) return null;
    at = parent;
  }
}

/**
 * Linux file system types (statfs magic numbers) where SQLite's locking is unreliable: network
 * file systems (NFS, SMB/CIFS, AFS, Coda, 9P, Ceph, and FUSE mounts, which are often one) — sqlite.org's
 * "How To Corrupt An SQLite Database File", section 2.1 — and the FAT, exFAT and NTFS formats of
 * removable drives, which can be pulled out mid-write.
 */
const NETWORK_FILE_SYSTEMS = new Map<number, string>([
  [0x6969, 'NFS'],
  [0x517b, 'SMB'],
  [0xff534d42, 'CIFS'],
  [0xfe534d42, 'SMB2'],
  [0x5346414f, 'AFS'],
  [0x6b414653, 'AFS'],
  [0x73757245, 'Coda'],
  [0x01021997, '9P'],
  [0x00c36400, 'Ceph'],
]);
const REMOVABLE_FILE_SYSTEMS = new Map<number, string>([
  [0x4d44, 'FAT'],
  [0x2011bab0, 'exFAT'],
  [0x5346544e, 'NTFS'],
  [0x7366746e, 'NTFS'],
]);
/** FUSE: sshfs, rclone and GlusterFS mounts, but also ntfs-3g on a USB drive; the type alone cannot tell. */
const FUSE = 0x65735546;

/**
 * A warning when a document (or a folder of documents, or the folder a new one goes to) is on a
 * network or removable file system, or null. Linux only (other systems' statfs types are not
 * stable numbers); elsewhere null.
 */
export function storageWarning(absolute: string): string | null {
  if (process.platform !== 'linux') return null;
  let type: number;
  try {
    type = fs.statfsSync(absolute).type >>> 0;
  } catch {
    try {
      type = fs.statfsSync(path.dirname(absolute)).type >>> 0;
    } catch {
      return null;
    }
  }
  const network = NETWORK_FILE_SYSTEMS.get(type);
  if (network) return `${absolute} is on a network file system (${network}); SQLite's file locking is unreliable there, so keep notebooks you edit on a local disk`;
  if (type === FUSE)
    return `${absolute} is on a FUSE file system (sshfs, a cloud drive, a USB drive through ntfs-3g, ...); if it is a network or removable drive, SQLite's file locking is unreliable there, so keep notebooks you edit on a local disk`;
  const removable = REMOVABLE_FILE_SYSTEMS.get(type);
  if (removable) return `${absolute} is on a ${removable} drive, which is often removable; do not unplug it while the notebook is open`;
  return null;
}
