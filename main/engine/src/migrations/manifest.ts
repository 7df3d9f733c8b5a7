import type { SchemaObject } from '../schema/schema-fingerprint';
import type { Compatibility } from '../travel/compatibility';

/**
 * The build-time record of the bundled migrations (migrations/manifest.json, written by
 * `npm run build`): what the engine must find on disk and what each version's schema must be.
 */
export interface Manifest {
  manifestVersion: 1;
  migrations: ManifestEntry[];
  /** Files the manifest vouches for in its own folder, with their sha256 (line endings normalised, see fileChecksum). */
  files: Record<string, string>;
}

/** One migration as the manifest records it. */
export interface ManifestEntry {
  version: number;
  /** File name without extension, e.g. `0003-numeric-values`. Recorded in documents. */
  name: string;
  message: string;
  /** sha256 of the migration's source (`.ts`, line endings normalised). Recorded in documents. */
  checksum: string;
  /**
   * The other checksums released apps shipped this migration with (oldest release first), read
   * from the release ledger (`released.json`, see release-ledger.ts) when the manifest was
   * built. A document recording one of them was migrated by that release and is at this
   * migration as much as one recording `checksum`. Absent when every release shipped the
   * current source, or none shipped this migration.
   */
  supersededChecksums?: string[];
  /** File holding the migration in the manifest's folder (`.ts` in the source tree, `.js` when built). */
  file: string;
  hasDown: boolean;
  /**
   * How documents at this version meet an app at the version before (see Compatibility), as the
   * migration declares it (`export const compatibility`, or the folder's `compatibility.json` for
   * released migrations whose files may not change). Absent when undeclared.
   */
  compatibility?: Compatibility;
  /**
   * The `down` step as SQL (the statements only, no bookkeeping), rendered on a replica of this
   * version's schema when the manifest was built; documents record it in their way-back table.
   * Null when the step cannot be rendered (no down, or one that reads in JavaScript).
   */
  downSql?: string | null;
  /** Schema fingerprint of a document at this version. */
  fingerprint: string;
  /** The schema of a document at this version, in creation order (used to create documents and to explain mismatches). */
  schema: SchemaObject[];
}

/** The manifest's file name, in the migrations folder. */
export const MANIFEST_FILE = 'manifest.json';
/** A migration's file name, `NNNN-name.ts` or `.js`: number, name and extension. */
export const MIGRATION_FILE = /^(\d{4})-([a-z0-9][a-z0-9-]*)\.(ts|js)$/;

/**
 * True when a version-table row's checksum is this migration's: its current checksum or one a
 * release shipped it with (`supersededChecksums`). Any other checksum is a form this app does
 * not have (a newer or a foreign app's).
 */
export function acceptsChecksum(entry: Pick<ManifestEntry, 'checksum' | 'supersededChecksums'>, checksum: string): boolean {
  return entry.checksum === checksum || (entry.supersededChecksums ?? []).includes(checksum);
}
