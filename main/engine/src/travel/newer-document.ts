import type { Engine } from '../engine';
import { acceptsChecksum } from '../migrations/manifest';
import type { AppliedMigration } from '../migrations/version-table';
import { readSchema } from '../schema/schema-fingerprint';
import type { Connection } from '../sqlite/connection';
import { worseOf, type Compatibility } from './compatibility';
import { compatibilityOf } from './schema-compatibility';
import { readWayBack, wayBackTableName } from './way-back-table';

/** What a document from a newer app means for this app (Classification.newer). */
export interface NewerDocument {
  /**
   * The class of the document for this app: the most severe class the steps above this app's
   * head declare, made more severe when this app's own diff of its head schema against the
   * document's proves it (a document cannot talk its way into being written); null (unknown)
   * when a step declares none, or the history up to this app's head is not this app's.
   */
  compatibility: Compatibility | null;
  /**
   * True when a copy for this version can be made: the history up to head is this app's and
   * every step above it carries its down SQL (see exportDocument).
   */
  wayBack: boolean;
  /** The steps above this app's head, as the document records them. */
  steps: { version: number; name: string; compatibility: Compatibility | null }[];
  /** Why the class is what it is (the diff's findings, or what is missing). */
  reasons: string[];
}

/**
 * Judges a newer document on an open connection (inside classification's read transaction):
 * its way-back rows above head, its schema against this app's head schema.
 */
export function assessNewer(db: Connection, engine: Engine, applied: readonly AppliedMigration[], version: number): NewerDocument {
  const known = engine.migrations.migrations;
  const head = engine.migrations.head;
  const unknown: NewerDocument = { compatibility: null, wayBack: false, steps: [], reasons: [] };
  const ours = applied.filter((a) => a.version <= head);
  const diverged = ours.length !== head || ours.some((a, i) => a.version !== i + 1 || known[i]!.name !== a.name || !acceptsChecksum(known[i]!, a.checksum));
  if (diverged || applied.length !== version || applied.some((a, i) => a.version !== i + 1)) {
    return { ...unknown, reasons: ["its history up to this version is not this app's"] };
  }
  const rows = readWayBack(db, wayBackTableName(engine.versionTable), head);
  if (rows === null) return { ...unknown, reasons: ['it records no way back (written by an app that kept none)'] };
  const steps = applied
    .filter((a) => a.version > head)
    .map((a) => {
      const row = rows.find((r) => r.version === a.version && r.name === a.name);
      return { version: a.version, name: a.name, compatibility: row?.compatibility ?? null, downBytes: row ? row.downBytes : null };
    });
  const declared = steps.reduce<Compatibility | null>((worst, s) => worseOf(worst, s.compatibility), 'additive');
  const proven = compatibilityOf(known[head - 1]?.schema ?? [], readSchema(db, engine.versionTable));
  const missing = steps.filter((s) => s.compatibility === null).map((s) => `${s.name} declares no class`);
  return {
    compatibility: worseOf(declared, proven.compatibility),
    wayBack: steps.every((s) => s.downBytes !== null),
    steps: steps.map(({ version: v, name, compatibility }) => ({ version: v, name, compatibility })),
    reasons: [...missing, ...proven.reasons],
  };
}
