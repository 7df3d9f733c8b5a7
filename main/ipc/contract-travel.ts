/**
 * The IPC contract of notebooks from a newer Fieldbook (issue 13). Types only, like contract.ts.
 */

/**
 * How a notebook from a newer Fieldbook meets this version: `additive` opens for editing (what
 * the newer version added is kept as it is), `readable` opens read-only, `breaking` cannot be
 * shown as it is; all but additive offer a copy for this version.
 */
export type Compatibility = 'additive' | 'readable' | 'breaking';

/** What `openCopyForThisVersion` wrote and opened in a new window. */
export interface CopyForVersionOutcome {
  /** File name of the copy. */
  name: string;
  /** Its version (this Fieldbook's). */
  version: number;
  /** What the copy could not hold from the newer notebook (the notebook itself keeps all of it). */
  lost: { table: string; column: string | null; rows: number }[];
}
