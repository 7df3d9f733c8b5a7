import type { SchemaObject } from './schema-fingerprint';

/**
 * The build-time record of the bundled migrations (migrations/manifest.json, written by
 * `npm run build`): what the engine must find on disk and what each version's schema must be.
 */
export interface Manifest {
  manifestVersion: 1;
  migrations: ManifestEntry[];
  /** Files the manifest vouches for in its own folder, with their sha256. */
  files: Record<string, string>;
}

export interface ManifestEntry {
  version: number;
  /** File name without extension, e.g. `0003-numeric-values`. Recorded in documents. */
  name: string;
  message: string;
  /** sha256 of the migration's source (`.ts`, line endings normalised). Recorded in documents. */
  checksum: string;
  /** File holding the migration in the manifest's folder (`.ts` in the source tree, `.js` when built). */
  file: string;
  hasDown: boolean;
  /** Schema fingerprint of a document at this version. */
  fingerprint: string;
  /** The schema of a document at this version, in creation order (used to create documents and to explain mismatches). */
  schema: SchemaObject[];
}

export const MANIFEST_FILE = 'manifest.json';
export const MIGRATION_FILE = /^(\d{4})-([a-z0-9][a-z0-9-]*)\.(ts|js)$/;
