/**
 * Shared test fixtures: a fresh temp folder per test, documents at any version, 0.9 beta files,
 * awkward data, file hashes and a CLI runner. Everything works on real files on disk.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import Database from 'better-sqlite3';
import { createDocumentAt } from '@fieldbook/engine/testing';
import { fieldbookEngine } from '../../main/fieldbook/fieldbook-engine';
import type { Engine } from '@fieldbook/engine';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(REPO_ROOT, 'bin', 'fieldbook.js');
export const APPLICATION_ID = 1178815281;

const madeDirs: string[] = [];
process.on('exit', () => {
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the OS temp folder, removed when the process exits. */
export function tempDir(prefix = 'fieldbook-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/** An engine for tests: Fieldbook's, with backups kept inside a temp folder. */
export function testEngine(backupDir = path.join(tempDir('fieldbook-backups-'), 'backups')): Engine {
  return fieldbookEngine({ backupDir });
}

/** Creates a document stamped at `version` (0 = base) and returns its path (the engine's createDocumentAt). */
export function documentAt(version: number, dir = tempDir(), name = `v${version}.fieldbook`): string {
  return createDocumentAt(version, { dir, name, engine: fieldbookEngine() });
}

/** The three tables of version 1, as the spec writes them, for 0.9 beta files. */
export const VERSION_1_SQL = `
CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  lat REAL,
  lon REAL
);
CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  site_id INTEGER REFERENCES sites(id),
  code TEXT NOT NULL,
  collected TEXT,
  notes TEXT
);
CREATE TABLE measurements (
  id INTEGER PRIMARY KEY,
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value TEXT,
  unit TEXT
);`;

/** A 0.9 beta file: version 1's tables, application_id 0, user_version 0, no version table. */
export function beta09Document(dir = tempDir(), name = 'beta.fieldbook', sql = VERSION_1_SQL): string {
  const file = path.join(dir, name);
  const db = new Database(file);
  db.exec(sql);
  db.close();
  return file;
}

/** The sample codes of a document in id order, read through a read-only connection. */
export function sampleCodes(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT code FROM samples ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** Runs statements on a document with a plain connection (foreign keys off, as old apps had them). */
export function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = OFF');
    return fn(db);
  } finally {
    db.close();
  }
}

export function rows(file: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  return withDb(file, (db) => db.prepare(sql).all(...params) as Record<string, unknown>[]);
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Hashes of a file and its -journal/-wal/-shm siblings (absent ones as null). */
export function fileState(file: string): Record<string, string | null> {
  const state: Record<string, string | null> = {};
  for (const suffix of ['', '-journal', '-wal', '-shm']) state[suffix || 'main'] = fs.existsSync(file + suffix) ? sha256File(file + suffix) : null;
  return state;
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

/** Runs the installed CLI in a child process (from `cwd`, default an unrelated temp folder). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? tempDir('fieldbook-cwd-'),
    env: { ...process.env, FIELDBOOK_DATA_DIR: tempDir('fieldbook-data-'), ...options.env },
    encoding: 'utf8',
    input: options.input,
  });
  let json: unknown = null;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    json = null;
  }
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, json };
}
