import path = require('node:path');
import type { Classification, ExportDocumentResult } from '@fieldbook/engine';
import type { CopyForVersionOutcome, WindowDocument } from '../ipc/contract';
import { withoutFolders } from './without-folders';

/**
 * What a window shows of a notebook from a newer Fieldbook (issue 13): its class for this
 * version, whether a copy for this version can be made, and the banner's words. Empty for
 * every other notebook.
 */
export function newerNotebookView(c: Classification, absolute: string): Pick<WindowDocument, 'compatibility' | 'canOpenCopy' | 'readOnlyReason'> {
  if (c.status !== 'newer') return { compatibility: null, canOpenCopy: false, readOnlyReason: null };
  const compatibility = c.newer?.compatibility ?? null;
  const canOpenCopy = compatibility !== 'additive' && c.newer?.wayBack === true;
  const version = c.version === null ? '' : ` (notebook version ${c.version}; this Fieldbook knows up to ${c.head})`;
  const copy = canOpenCopy
    ? ' To work on it here, open a copy for this version; the notebook itself stays as it is.'
    : ' It carries no way back to this version: use the newer Fieldbook that saved it to export a copy for this one.';
  const reasons: Record<string, string> = {
    additive: `This notebook was written by a newer Fieldbook${version}. This version can edit it; what the newer version added is kept as it is.`,
    readable: `This notebook was written by a newer Fieldbook${version}. This version can read it but must not change it, so it is open read-only.${copy}`,
    breaking: `This notebook was written by a newer Fieldbook${version} that changed its layout in ways this version cannot read.${copy}`,
  };
  const fallback = `${withoutFolders(c.problem?.message ?? 'This notebook was written by a newer Fieldbook', [absolute]).replace(/\.?$/, '.')} It is open read-only, so nothing this version does can damage what it does not understand.${canOpenCopy ? copy : ''}`;
  return { compatibility, canOpenCopy, readOnlyReason: compatibility ? reasons[compatibility]! : fallback };
}

/** The save dialog's suggestion for a copy of `file` for app version `appVersion`. */
export function copyName(file: string, appVersion: string): string {
  return `${path.basename(file, path.extname(file))} (for Fieldbook ${appVersion}).fieldbook`;
}

/** What the window is told of a copy written for this version. */
export function copyOutcome(result: ExportDocumentResult): CopyForVersionOutcome {
  return { name: path.basename(result.destination), version: result.version, lost: result.lost };
}
