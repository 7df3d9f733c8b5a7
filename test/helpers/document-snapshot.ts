/**
 * What a test needs to prove a document kept its data: SQLite's integrity verdict, the header
 * pragmas, a digest of its whole content (schema and every row), and per-table row counts and
 * digests of the row ids. Reads real files with plain better-sqlite3 connections.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

/** The tables every Fieldbook version has; row ids are identities and must survive every migration. */
export const CORE_TABLES = ['sites', 'samples', 'measurements'] as const;

export interface DocumentSnapshot {
  /** `PRAGMA integrity_check`, joined ('ok' when intact). */
  integrity: string;
  userVersion: number;
  applicationId: number;
  /** sha256 of the schema, the header pragmas and every row of every table (see contentDigest). */
  content: string | null;
  /** Row count of each core table. */
  counts: Record<string, number>;
  /** sha256 of each core table's ids in ascending order. */
  ids: Record<string, string>;
}

export interface SnapshotOptions {
  /**
   * Open read-write (default). A read-write connection rolls back a hot journal left by a crash
   * before it reads anything, which is what the app does when it next opens the file.
   */
  readonly?: boolean;
  /**
   * Also digest the whole content (default true; costs a pass over every row). A function
   * decides from the document's user_version.
   */
  content?: boolean | ((userVersion: number) => boolean);
}

export function snapshotDocument(file: string, options: SnapshotOptions = {}): DocumentSnapshot {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const counts: Record<string, number> = {};
    const ids: Record<string, string> = {};
    for (const table of CORE_TABLES) {
      counts[table] = db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
      const list = db.prepare(`SELECT string_agg(id, ',' ORDER BY id) FROM "${table}"`).pluck().get() as string | null;
      ids[table] = createHash('sha256')
        .update(list ?? '')
        .digest('hex');
    }
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    const wantContent = typeof options.content === 'function' ? options.content(userVersion) : (options.content ?? true);
    return {
      integrity,
      userVersion,
      applicationId: db.pragma('application_id', { simple: true }) as number,
      content: wantContent ? contentDigest(db) : null,
      counts,
      ids,
    };
  } finally {
    db.close();
  }
}

/**
 * sha256 over the header pragmas, every schema object's SQL, and every table's rows in primary
 * key order with each value `quote()`d (so 1, 1.0, '1' and x'01' all differ). Two documents with
 * the same digest hold the same data in the same schema.
 */
export function contentDigest(db: Database.Database): string {
  const hash = createHash('sha256');
  hash.update(`application_id=${String(db.pragma('application_id', { simple: true }))}\n`);
  hash.update(`user_version=${String(db.pragma('user_version', { simple: true }))}\n`);
  const objects = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all() as {
    type: string;
    name: string;
    tbl_name: string;
    sql: string | null;
  }[];
  for (const o of objects) hash.update(`${o.type}|${o.name}|${o.tbl_name}|${o.sql ?? ''}\n`);
  const tables = objects.filter((o) => o.type === 'table' && !o.name.startsWith('sqlite_') && !/^CREATE VIRTUAL/i.test(o.sql ?? ''));
  for (const { name } of tables) {
    const columns = db.prepare(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`).all(name) as { name: string; pk: number }[];
    const quoted = (c: string) => `"${c.replace(/"/g, '""')}"`;
    const keys = columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => quoted(c.name));
    const order = (keys.length ? keys : columns.map((c) => quoted(c.name))).join(', ');
    const select = columns.map((c) => `quote(${quoted(c.name)})`).join(` || '|' || `);
    hash.update(`table ${name}\n`);
    hash.update(
      (db
        .prepare(`SELECT string_agg(${select}, char(10) ORDER BY ${order}) FROM ${quoted(name)}`)
        .pluck()
        .get() as string | null) ?? '',
    );
    hash.update('\n');
  }
  return hash.digest('hex');
}
