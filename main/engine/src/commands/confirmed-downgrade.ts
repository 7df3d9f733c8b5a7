import { describeLoss } from '../documents/lost-data';
import { downgradeDocument, planDowngrade, type DowngradeOptions, type DowngradePlan, type DowngradeResult } from '../documents/migrate';
import { FieldbookError } from '../errors';

/** Options of confirmedDowngrade: downgradeDocument's, and the question asked before losing data. */
export interface ConfirmedDowngradeOptions extends DowngradeOptions {
  /**
   * Asked, before anything is written, when the downgrade would lose data: the plan lists what
   * (planDowngrade). The downgrade runs only when it resolves true, and then accepts no more loss
   * than it was shown. Not asked when `acceptLoss` is true, nor when nothing would be lost;
   * without it, `acceptLoss` alone decides, as for downgradeDocument.
   */
  confirmLoss?: (plan: DowngradePlan) => Promise<boolean>;
}

/**
 * downgradeDocument, with the user asked first when data would be lost (the CLI's `downgrade`
 * without `--yes` at a terminal).
 * @throws FieldbookError DATA_LOSS when the loss was not confirmed (`details.lost`; nothing was
 *   written), ABORTED when `signal` fired while asking, and downgradeDocument's codes
 */
export async function confirmedDowngrade(filePath: string, options: ConfirmedDowngradeOptions): Promise<DowngradeResult> {
  const { confirmLoss, ...downgrade } = options;
  if (!confirmLoss || options.acceptLoss === true) return downgradeDocument(filePath, downgrade);
  const plan = await planDowngrade(filePath, { engine: options.engine, to: options.to });
  if (plan.lost.length) {
    const confirmed = await confirmLoss(plan);
    if (options.signal?.aborted) throw new FieldbookError('ABORTED', `the question was interrupted: ${filePath} was not changed`);
    if (!confirmed) {
      throw new FieldbookError('DATA_LOSS', `not confirmed: ${filePath} was not changed (it would lose ${describeLoss(plan.lost)})`, { details: { lost: plan.lost } });
    }
  }
  return downgradeDocument(filePath, { ...downgrade, acceptLoss: plan.lost });
}
