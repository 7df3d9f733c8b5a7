/** What the window tells a user whose notebook could not be opened, by error code. */
const ADVICE: Record<string, string> = {
  NOT_SQLITE: 'This file is not a Fieldbook notebook. Check that you chose the right file; it was not changed.',
  NOT_A_FIELDBOOK: 'This file belongs to another application. Open it with that application; Fieldbook did not change it.',
  UNKNOWN_SCHEMA: 'This database does not match any Fieldbook format. It was not changed; if it is a notebook edited by another tool, restore a backup.',
  DAMAGED: 'The file is damaged. It was not changed; restore the most recent backup (File ▸ Show Backup) or a copy from elsewhere.',
  INCONSISTENT_VERSION: 'The notebook’s version records disagree. It was not changed; restore the most recent backup.',
  LOCKED: 'Another program is using this notebook. Close it and open the notebook again.',
  READ_ONLY: 'Fieldbook cannot write to this file, so it cannot upgrade it. Copy it somewhere writable and open the copy.',
  MIGRATION_FAILED: 'The upgrade failed and was rolled back: the notebook is exactly as it was. Please report this problem.',
  NOT_FOUND: 'The file could not be found. It may have been moved or deleted.',
  NO_SPACE:
    'There is not enough free space to upgrade the notebook and back it up first (the message above says how much is needed). It was not changed; free some space and open it again.',
  IO_ERROR: 'The system could not read or write the file (a failing disk, a removed drive or a network share?). It was not changed; check the drive and open it again.',
  BACKUP_FAILED: 'The backup that comes before an upgrade could not be written, so the notebook was not upgraded. It was not changed; check the backup folder and open it again.',
};

/** The advice shown for a notebook that could not be opened with this error code (a general one for codes without their own). */
export function adviceFor(code: string): string {
  return ADVICE[code] ?? 'Fieldbook could not open this file. It was not changed.';
}
