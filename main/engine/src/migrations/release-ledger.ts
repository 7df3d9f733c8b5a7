import fs = require('node:fs');

/**
 * The release ledger, `released.json` beside the migrations (optional): for each released app
 * version, oldest first, the checksum of every migration that release shipped, by migration name:
 * `{"2.0.0": {"0001-initial": "<sha256>", ...}}`. Entries are only ever added: documents a
 * release migrated record its checksums for good, so a migration whose source changed later must
 * still accept them (see `ManifestEntry.supersededChecksums`). The manifest writer reads it.
 */
export type ReleaseLedger = Record<string, Record<string, string>>;

/** The release ledger's file name, beside the migrations. */
export const RELEASED_FILE = 'released.json';

const CHECKSUM = /^[0-9a-f]{64}$/;

/**
 * Reads and validates a ledger file; null when there is none.
 * @throws Error naming the file and what is malformed (not JSON, not release → name → sha256)
 */
export function readReleaseLedger(file: string): ReleaseLedger | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseReleaseLedger(text, file);
}

/**
 * Parses ledger text (from a file or from git).
 * @throws Error naming `source` and what is malformed
 */
export function parseReleaseLedger(text: string, source: string): ReleaseLedger {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new Error(`${source} must map each release to its migrations' checksums`);
  for (const [release, migrations] of Object.entries(parsed)) {
    if (!isRecord(migrations)) throw new Error(`${source}: release ${release} must map migration names to checksums`);
    for (const [name, checksum] of Object.entries(migrations)) {
      if (typeof checksum !== 'string' || !CHECKSUM.test(checksum)) throw new Error(`${source}: release ${release} gives ${name} a checksum that is not a sha256 in hex`);
    }
  }
  return parsed as ReleaseLedger;
}

/** Every (release, migration, checksum) the ledger records, in its order. */
export function ledgerEntries(ledger: ReleaseLedger): { release: string; name: string; checksum: string }[] {
  return Object.entries(ledger).flatMap(([release, migrations]) => Object.entries(migrations).map(([name, checksum]) => ({ release, name, checksum })));
}

/** The checksums releases shipped migration `name` with, other than `current`, oldest first, each once. */
export function supersededChecksums(ledger: ReleaseLedger | null, name: string, current: string): string[] {
  const found: string[] = [];
  for (const entry of ledger ? ledgerEntries(ledger) : []) {
    if (entry.name === name && entry.checksum !== current && !found.includes(entry.checksum)) found.push(entry.checksum);
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
