import path = require('node:path');
import { type Classification, type Engine, FieldbookError, latestBackup, type SalvageResult } from '@fieldbook/engine';
import type { FieldbookEngineSettings } from '../fieldbook/fieldbook-engine';
import type { SalvageOutcome, WindowDocument } from '../ipc/contract';
import { runJob, type JobHost } from './jobs';
import { VerifiedStates } from './verified-states';
import { withoutFolders } from './without-folders';

/** What the damage check needs of the app core. */
export interface CheckHost {
  jobs: JobHost;
  engineSettings: FieldbookEngineSettings;
  states: VerifiedStates;
  /** Changes what the window shows (and sends it). */
  update(change: Partial<WindowDocument>): void;
  /** Makes the open document refuse edits from now on (it was found damaged). */
  refuseEdits(reason: string): void;
}

/**
 * Checks a writable notebook for damage in a background job (quick_check and its schema against
 * its version's) the first time the app sees this content of the file; the window stays usable
 * meanwhile (`check: 'checking'`). A sound notebook is remembered (VerifiedStates); a damaged
 * one turns the window read-only with what is wrong (`check: 'damaged'`), and edits are refused.
 */
export async function checkForDamage(absolute: string, host: CheckHost): Promise<void> {
  const key = VerifiedStates.contentKey(absolute);
  if (key && host.states.isVerified(absolute, key)) {
    host.update({ check: 'verified' });
    return;
  }
  host.update({ check: 'checking' });
  let found: Classification;
  try {
    found = (await runJob(host.jobs, { kind: 'verify', path: absolute, engine: host.engineSettings }, { openInParent: [absolute] })) as Classification;
  } catch {
    // The check could not run (the file vanished, another program locks it): nothing is claimed.
    host.update({ check: null });
    return;
  }
  if (found.status === 'damaged' || (found.problem && found.status !== 'newer')) {
    const damage = withoutFolders(found.problem?.message ?? 'this notebook failed its check for damage', [absolute]).replace(/\.?$/, '.');
    host.refuseEdits(damage);
    host.update({ check: 'damaged', damage, readOnly: true });
    return;
  }
  if (key && VerifiedStates.contentKey(absolute) === key) host.states.remember(absolute, key);
  host.update({ check: 'verified' });
}

/** @throws FieldbookError NOT_FOUND when the notebook has no backup */
export function requireLatestBackup(engine: Engine, absolute: string): string {
  const backup = latestBackup(absolute, { engine });
  if (!backup) throw new FieldbookError('NOT_FOUND', `“${path.basename(absolute)}” has no backup yet: backups are made before each upgrade`);
  return backup;
}

/** A salvage's result as the window shows it (file names only). */
export function salvageOutcome(result: SalvageResult): SalvageOutcome {
  return {
    name: path.basename(result.destination),
    recovered: result.recovered,
    tables: result.tables.map((t) => ({
      name: t.name,
      recovered: t.recovered,
      unreadable: t.unreadable !== null,
      lostAtMost: t.lost.some(([a, b]) => a <= -Number.MAX_SAFE_INTEGER || b >= Number.MAX_SAFE_INTEGER) ? null : t.lost.reduce((n, [a, b]) => n + b - a + 1, 0),
    })),
  };
}
