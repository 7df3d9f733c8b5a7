import { type AppliedMigration, classifyDocument, type Classification, type Compatibility, type Engine, type NewerDocument } from '@fieldbook/engine';
import { oneArgument, warnAboutStorage } from '../command';

/** What `info --json` prints of a classification. */
type InfoJson = Pick<Classification, 'path' | 'status' | 'version' | 'head' | 'applicationId' | 'problem'> & {
  /** Each applied migration, with its class (this app's declaration, or the newer document's record; null when unknown). */
  applied: (Pick<AppliedMigration, 'version' | 'name' | 'checksum' | 'appliedAt' | 'appVersion' | 'durationMs' | 'method'> & { compatibility: Compatibility | null })[];
  /** For a document from a newer app: its class for this app and whether it carries a way back. */
  newer: Pick<NewerDocument, 'compatibility' | 'wayBack' | 'reasons'> | null;
};

function infoJson(c: Classification, engine: Engine): InfoJson {
  const classOf = (a: AppliedMigration) =>
    c.newer?.steps.find((s) => s.version === a.version)?.compatibility ??
    (a.version <= c.head && engine.migrations.migrations[a.version - 1]?.name === a.name ? (engine.migrations.migrations[a.version - 1]!.compatibility ?? null) : null);
  return {
    path: c.path,
    status: c.status,
    version: c.version,
    head: c.head,
    applicationId: c.applicationId,
    applied: c.applied.map((a) => ({
      version: a.version,
      name: a.name,
      checksum: a.checksum,
      appliedAt: a.appliedAt,
      appVersion: a.appVersion,
      durationMs: a.durationMs,
      method: a.method,
      compatibility: classOf(a),
    })),
    problem: c.problem,
    newer: c.newer ? { compatibility: c.newer.compatibility, wayBack: c.newer.wayBack, reasons: c.newer.reasons } : null,
  };
}

const OPENS: Record<Compatibility | 'unknown', string> = {
  additive: 'opens normally (additive: its newer parts are kept)',
  readable: 'opens read-only (readable)',
  breaking: 'cannot be read by this version (breaking)',
  unknown: 'cannot be judged by this version (unknown class)',
};

/** `fieldbook info`: classifyDocument, printed. */
export const info = oneArgument({
  summary: 'identify a document: status, version, applied migrations',
  usage: 'fieldbook info FILE [--check] [--json]',
  arg: { name: 'FILE', description: 'the document (any file: info says what it is)' },
  options: { check: { type: 'boolean', description: "also run quick_check and compare the schema with its version's" } },
  quickStart: true,
  call: (file, values, engine) => infoJson(classifyDocument(file, { engine, check: values.check ? 'quick' : 'none' }), engine),
  print(c, io) {
    warnAboutStorage([c.path], io);
    io.out(`${c.path}: ${c.status}${c.version !== null ? ` (version ${c.version}, head ${c.head})` : ''}`);
    if (c.applicationId !== null) io.out(`application_id: 0x${(c.applicationId >>> 0).toString(16).padStart(8, '0')}`);
    if (c.problem) io.out(`${c.problem.code}: ${c.problem.message}`);
    if (c.newer) {
      io.out(`for this version (head ${c.head}): ${OPENS[c.newer.compatibility ?? 'unknown']}`);
      io.out(`way back to version ${c.head}: ${c.newer.wayBack ? `yes (fieldbook export FILE --as-version ${c.head} --out COPY makes a copy for this version)` : 'none recorded'}`);
    }
    for (const a of c.applied)
      io.out(`  ${a.name}  ${a.appliedAt}  app ${a.appVersion}  ${a.method}${a.durationMs !== null ? `  ${a.durationMs} ms` : ''}  ${a.compatibility ?? 'class unknown'}`);
  },
});
