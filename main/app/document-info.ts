import fs = require('node:fs');
import path = require('node:path');
import type { Classification } from '@fieldbook/engine';
import type { DocumentInfo, WindowDocument } from '../ipc/contract';

/** What the document info panel shows of an open document (file names only, and the backup folder). */
export function documentInfo(view: WindowDocument, c: Classification, backupFolder: string, lastBackup: string | null): DocumentInfo {
  return {
    name: view.name,
    applicationId: `0x${((c.applicationId ?? 0) >>> 0).toString(16).padStart(8, '0')} (${c.applicationId ?? 0})`,
    version: c.version,
    head: c.head,
    status: c.status,
    readOnly: view.readOnly,
    applied: c.applied.map((a) => ({ version: a.version, name: a.name, appliedAt: a.appliedAt, appVersion: a.appVersion, durationMs: a.durationMs, method: a.method })),
    backupFolder,
    lastBackupName: lastBackup ? path.basename(lastBackup) : null,
  };
}

/**
 * Whether an export may replace its destination: only a file that was there when the save
 * dialog answered, which the dialog asked the user about (see Shell.chooseSavePath). A file that
 * appears afterwards is not replaced (EXISTS).
 */
export function confirmedReplacing(destination: string): boolean {
  return fs.existsSync(destination);
}
