import fs = require('node:fs');
import { upgradeMany, type UpgradeManyOptions, type UpgradeManySummary } from '../batch/upgrade-many';
import { FieldbookError } from '../errors';
import { upgradeDocument, type MigrateOptions, type MigrateResult } from '../documents/migrate';

/** Options of upgradePaths: upgradeMany's, and the single document's step progress. */
export interface UpgradePathsOptions extends UpgradeManyOptions {
  /** Called before each step of a single document's upgrade (upgradeDocument's `onStep`). */
  onStep?: MigrateOptions['onStep'];
}

/**
 * Upgrades what a user names (the CLI's `upgrade PATH...`): one file that is not a folder, without
 * `recursive`, is upgraded by upgradeDocument and its failure is thrown; several paths, a folder
 * or `recursive` go to upgradeMany, where every document is handled independently and the
 * summary says what happened to each. A batch stopped by `signal` throws ABORTED, whose
 * `details.summary` is the summary of what was done.
 * @throws FieldbookError upgradeDocument's codes (one file); ABORTED (a batch that was stopped)
 */
export async function upgradePaths(paths: readonly string[], options: UpgradePathsOptions): Promise<MigrateResult | UpgradeManySummary> {
  const { onStep, ...batch } = options;
  if (paths.length === 1 && !options.recursive && !isFolder(paths[0]!)) {
    return upgradeDocument(paths[0]!, { engine: options.engine, to: options.to, backup: options.backup, onStep, signal: options.signal });
  }
  const summary = await upgradeMany(paths, batch);
  if (options.signal?.aborted) {
    const t = summary.totals;
    const stopped = summary.files.filter((f) => f.error?.code === 'ABORTED').length;
    throw new FieldbookError(
      'ABORTED',
      `stopped: ${t.upgraded} upgraded, ${stopped} left at their old version (rolled back or not started), ${t.failed - stopped} failed, ${t.current} already current`,
      { details: { summary } },
    );
  }
  return summary;
}

function isFolder(target: string): boolean {
  try {
    return fs.statSync(target).isDirectory();
  } catch {
    return false;
  }
}
