import type { MigrateResult } from '../../engine/migrate';
import { downgradeDocument, upgradeDocument } from '../../engine/migrate';
import { backupOptions, backupSetting, json, stepProgress, usage, type Command, type Io } from '../command';

export function migrationJson(r: MigrateResult): object {
  return { path: r.path, from: r.from, to: r.to, backup: r.backup, adopted: r.adopted, applied: r.applied };
}

export function printMigration(result: unknown, io: Io): void {
  const r = result as MigrateResult;
  if (r.applied.length === 0 && !r.adopted) io.out(`${r.path}: already at version ${r.to}, nothing to do`);
  else io.out(`${r.path}: version ${r.from} → ${r.to}${r.adopted ? ' (adopted an unversioned 0.9 document)' : ''}` +
    (r.applied.length ? `, ${r.applied.length} step${r.applied.length > 1 ? 's' : ''} (${r.applied.map((s) => s.name).join(', ')})` : ''));
  if (r.backup) io.out(`backup: ${r.backup}`);
}

export const upgrade: Command = {
  summary: 'upgrade a document (backup first, all or nothing)',
  usage: 'fieldbook upgrade FILE [--to TARGET] [--backup-dir DIR | --no-backup] [--json]',
  options: { json, to: { type: 'string' }, ...backupOptions },
  positionals: [1, 1],
  async run([file], values, io) {
    return migrationJson(await upgradeDocument(file!, { to: values.to as string | undefined, backup: backupSetting(values), onStep: stepProgress(io, values) }));
  },
  print: printMigration,
};

export const downgrade: Command = {
  summary: 'downgrade a document through down migrations (backup first, all or nothing)',
  usage: 'fieldbook downgrade FILE --to TARGET [--backup-dir DIR | --no-backup] [--json]',
  options: { json, to: { type: 'string' }, ...backupOptions },
  positionals: [1, 1],
  async run([file], values, io) {
    if (typeof values.to !== 'string') throw usage('downgrade needs --to TARGET');
    return migrationJson(await downgradeDocument(file!, { to: values.to, backup: backupSetting(values), onStep: stepProgress(io, values) }));
  },
  print: printMigration,
};
