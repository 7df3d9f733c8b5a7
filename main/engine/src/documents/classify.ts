import fs = require('node:fs');
import path = require('node:path');
import { openConnection, sqliteFailure, type Connection } from '../sqlite/connection';
import type { Engine } from '../engine';
import { FieldbookError, type ErrorCode } from '../errors';
import { planRead, type ReadPlan } from '../sqlite/read-plan';
import { describeObjects, diffSchemas, findForgedObjects, fingerprintOf, forgedObjects, readSchema } from '../schema/schema-fingerprint';
import { acceptsChecksum } from '../migrations/manifest';
import { isHeaderProblem } from '../sqlite/sqlite-header';
import { readVersionTable, type AppliedMigration } from '../migrations/version-table';
import type * as NewerDocument from '../travel/newer-document';

export type { Classification, ClassifyOptions, DocumentStatus, EngineOption } from './classification';
import type { Classification, ClassifyOptions } from './classification';

/**
 * Identifies a file without writing to it: is it a document of this app, at which version, and
 * can this app open or upgrade it. Every outcome that describes the file is a status; only a
 * file that cannot be looked at (missing, a folder, locked) throws. Reading changes nothing and
 * leaves nothing beside the file (see planRead); the one write allowed is SQLite rolling back a
 * hot journal left by a program that died inside a transaction, which restores the file's last
 * committed state (in a folder that may not be written, a private copy is rolled back instead).
 * @throws FieldbookError NOT_FOUND, LOCKED, NO_SPACE
 */
export function classifyDocument(filePath: string, options: ClassifyOptions): Classification {
  const { classification, plan } = classifyForReading(filePath, options);
  plan.dispose();
  return classification;
}

/**
 * classifyDocument, also returning how the document was read: the caller reads `plan.file`
 * (the document, or a private copy of its last committed state) and disposes of the plan.
 */
export function classifyForReading(filePath: string, options: ClassifyOptions): { classification: Classification; plan: ReadPlan } {
  const engine = options.engine;
  const absolute = path.resolve(filePath);
  const stat = statDocument(absolute);
  const head = engine.migrations.head;
  // What a classification that read nothing from the file reports (made only then).
  const base = (): Unread => ({ path: absolute, head, version: null, applicationId: null, applied: [] });
  for (let attempt = 0; ; attempt++) {
    let plan: ReadPlan;
    try {
      plan = planRead(absolute, stat, engine.lockTimeoutMs);
    } catch (error) {
      return { classification: failedOpen(error, base(), absolute), plan: unread(absolute) };
    }
    try {
      const classification = classifyPlanned(plan, absolute, stat, engine, options.check ?? 'none', base);
      return { classification, plan };
    } catch (error) {
      plan.dispose();
      // A program died inside a transaction after planRead looked: plan again, once.
      if ((error as { code?: string }).code === 'SQLITE_READONLY_ROLLBACK' && attempt === 0) continue;
      return { classification: failedOpen(error, base(), absolute), plan: unread(absolute) };
    }
  }
}

/** A classification's fields before the file was read. */
type Unread = Omit<Classification, 'status' | 'problem'>;

/** The plan of a file classification could not open: the caller reads nothing there, so there is nothing to dispose of. */
function unread(absolute: string): ReadPlan {
  return { file: absolute, copy: false, header: null, dispose() {} };
}

function classifyPlanned(plan: ReadPlan, absolute: string, stat: fs.Stats, engine: Engine, check: 'none' | 'quick' | 'full', base: () => Unread): Classification {
  const header = plan.header;
  if (header !== null) {
    if (isHeaderProblem(header)) {
      if (header.kind === 'truncated') {
        return { ...base(), status: 'damaged', problem: { code: 'DAMAGED', message: `${absolute} is truncated: ${header.actual} of ${header.expected} bytes` } };
      }
      if (header.kind === 'bad-header') {
        return { ...base(), status: 'damaged', problem: { code: 'DAMAGED', message: `${absolute} has a damaged header: ${header.reason}` } };
      }
      const what = header.kind === 'empty' ? 'an empty file' : 'not an SQLite database';
      return { ...base(), status: 'damaged', problem: { code: 'NOT_SQLITE', message: `${absolute} is ${what}, not a document` } };
    }
    if (header.applicationId !== 0 && !engine.applicationIds.includes(header.applicationId)) {
      return { ...base(), version: header.userVersion, applicationId: header.applicationId, status: 'foreign', problem: foreignProblem(absolute, header.applicationId) };
    }
  }
  const db = openConnection(plan.file, { readonly: true, lockTimeoutMs: engine.lockTimeoutMs, stat: plan.file === absolute ? stat : undefined });
  try {
    // One read transaction: every verdict comes from one state of the file (a writer cannot
    // commit between the pragmas and the version table), and SQLite takes its shared lock and
    // checks the journal once instead of once per statement. Closing the connection ends it.
    db.exec('BEGIN');
    return inspectDocument(db, engine, absolute, check);
  } finally {
    db.close();
  }
}

function failedOpen(error: unknown, base: Unread, absolute: string): Classification {
  const mapped = sqliteFailure(error, absolute, 'open');
  if (!(mapped instanceof FieldbookError) && (error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
    throw new FieldbookError('NOT_FOUND', `no such file: ${absolute}`, { cause: error });
  }
  if (mapped instanceof FieldbookError && (mapped.code === 'NOT_SQLITE' || mapped.code === 'DAMAGED')) {
    return { ...base, status: 'damaged', problem: { code: mapped.code, message: mapped.message } };
  }
  throw mapped;
}

/** @throws FieldbookError NOT_FOUND when the path is missing or not a regular file. */
export function statDocument(absolute: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new FieldbookError('NOT_FOUND', `no such file: ${absolute}`);
  }
  if (!stat.isFile()) throw new FieldbookError('NOT_FOUND', `${absolute} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, not a document`);
  return stat;
}

/**
 * Classifies an open connection (used by classifyDocument and again under the write lock before
 * any migration, since the file may have changed in between).
 */
export function inspectDocument(db: Connection, engine: Engine, absolute: string, check: 'none' | 'quick' | 'full'): Classification {
  const head = engine.migrations.head;
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  // Every classification runs this, mostly before V8 has optimized it: the common outcome
  // (current or outdated) is built as one object at the end, the others from `base`.
  const base = { path: absolute, head, version, applicationId, applied: [] as AppliedMigration[] };
  if (applicationId !== 0 && !engine.applicationIds.includes(applicationId)) {
    return { ...base, status: 'foreign', problem: foreignProblem(absolute, applicationId) };
  }
  if (check !== 'none') {
    const result = db.pragma(check === 'full' ? 'integrity_check' : 'quick_check', { simple: true });
    if (result !== 'ok') {
      return { ...base, status: 'damaged', problem: { code: 'DAMAGED', message: `${absolute} is damaged: ${describeCheckFailure(result)}` } };
    }
  }
  const applied = readVersionTable(db, engine.versionTable);
  if (applied === null) {
    if (applicationId === 0 && version === 0) return classifyUnversioned(db, engine, { ...base, applied: [] });
    return {
      ...base,
      status: 'damaged',
      problem: { code: 'INCONSISTENT_VERSION', message: `${absolute} says it is at version ${version} but has no version table` },
    };
  }
  const withApplied = () => ({ ...base, applied });
  const known = engine.migrations.migrations;
  let unknown: AppliedMigration | undefined;
  let contiguous = true;
  for (let i = 0; i < applied.length; i++) {
    const a = applied[i]!;
    const entry = known[a.version - 1];
    if (unknown === undefined && (entry === undefined || entry.name !== a.name || !acceptsChecksum(entry, a.checksum))) unknown = a;
    if (a.version !== i + 1) contiguous = false;
  }
  if (version > head || unknown) {
    const why = unknown
      ? `it records migration ${unknown.name} (version ${unknown.version}), which this app ${known.some((k) => k.name === unknown.name) ? 'has in a different form' : 'does not have'}`
      : `it is at version ${version} and this app knows versions up to ${head}`;
    return {
      ...withApplied(),
      status: 'newer',
      problem: { code: 'TOO_NEW', message: `${absolute} was written by a newer app: ${why}` },
      // Loaded for a document from a newer app only: most classifications never need it.
      newer: (require('../travel/newer-document') as typeof NewerDocument).assessNewer(db, engine, applied, version),
    };
  }
  if (!contiguous || applied.length !== version) {
    const recorded = applied.length ? applied.map((a) => a.version).join(',') : 'none';
    return {
      ...withApplied(),
      status: 'damaged',
      problem: { code: 'INCONSISTENT_VERSION', message: `${absolute}: user_version is ${version} but the version table records versions ${recorded}` },
    };
  }
  const forged = findForgedObjects(db, engine.versionTable);
  if (forged.length) {
    return { ...withApplied(), status: 'damaged', problem: { code: 'UNKNOWN_SCHEMA', message: `${absolute} carries objects this app never creates: ${describeObjects(forged)}` } };
  }
  if (check !== 'none') {
    const mismatch = schemaMismatch(db, engine, version);
    if (mismatch) return { ...withApplied(), status: 'damaged', problem: { code: 'UNKNOWN_SCHEMA', message: `${absolute}: ${mismatch}` } };
  }
  return { path: absolute, head, version, applicationId, applied, status: version === head ? 'current' : 'outdated', problem: null };
}

/** The first problem quick_check or integrity_check reports, and how many more there are (they can run to a hundred lines). */
function describeCheckFailure(result: unknown): string {
  const problems = String(result)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\*\*\* in database \w+ \*\*\*$/.test(l));
  return `${problems[0] ?? String(result)}${problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''}`;
}

function classifyUnversioned(db: Connection, engine: Engine, base: Omit<Classification, 'status' | 'problem'>): Classification {
  const adopt = engine.adoptUnversionedAs;
  const schema = readSchema(db, engine.versionTable);
  if (adopt !== null && engine.migrations.migrations[adopt - 1]?.fingerprint === fingerprintOf(schema)) {
    return { ...base, status: 'legacy', problem: null };
  }
  const expected = adopt === null ? null : engine.migrations.migrations[adopt - 1];
  const extra = expected ? diffSchemas(expected.schema, schema).filter((d) => d.startsWith('unexpected ')) : [];
  const forged = forgedObjects(schema, engine.versionTable);
  const why = forged.length
    ? `: it carries objects this app never creates: ${describeObjects(forged)}`
    : extra.length && extra.length < schema.length
      ? `: ${extra.slice(0, 5).join('; ')}`
      : '';
  return {
    ...base,
    status: 'foreign',
    problem: { code: 'UNKNOWN_SCHEMA', message: `${base.path} is an SQLite database whose tables match no version of this app's documents${why}` },
  };
}

/** Describes how a versioned document's live schema differs from its version's, or null when it matches. */
export function schemaMismatch(db: Connection, engine: Engine, version: number): string | null {
  const expected = version === 0 ? { fingerprint: fingerprintOf([]), schema: [] } : engine.migrations.migrations[version - 1];
  if (!expected) return `no schema is known for version ${version}`;
  const actual = readSchema(db, engine.versionTable);
  if (fingerprintOf(actual) === expected.fingerprint) return null;
  const differences = diffSchemas(expected.schema, actual);
  return `its schema does not match version ${version}: ${differences.slice(0, 5).join('; ')}${differences.length > 5 ? `; and ${differences.length - 5} more` : ''}`;
}

function foreignProblem(absolute: string, applicationId: number): { code: ErrorCode; message: string } {
  const hex = (applicationId >>> 0).toString(16).padStart(8, '0');
  return { code: 'NOT_A_FIELDBOOK', message: `${absolute} belongs to another application (application_id 0x${hex})` };
}

/** The error that stops an operation on a document of this classification, or null if it can proceed. */
export function problemError(classification: Classification): FieldbookError | null {
  const p = classification.problem;
  return p ? new FieldbookError(p.code, p.message, { details: { path: classification.path, status: classification.status } }) : null;
}
