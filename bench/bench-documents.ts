import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import Database from 'better-sqlite3';
import { createDocument } from '@fieldbook/engine';
import type { DocumentSize } from './bench-config';
import { runTrial, withoutCompileCache } from './run-trial';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

/**
 * The bench's scratch folder under the OS temp folder. Every document the bench makes lives
 * here; `remove()` deletes it (the runner calls it on every exit path).
 */
export interface BenchWorkspace {
  dir: string;
  /** A fresh path in the workspace (nothing is created there). */
  file(name: string): string;
  remove(): void;
}

export function createWorkspace(): BenchWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-bench-'));
  let n = 0;
  return {
    dir,
    file: (name) => path.join(dir, `${++n}-${name}`),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A head document made by `createDocument`, seeded with `samples` samples (ten per site) and
 * three measurements each, so classify and info read a realistic, non-empty file.
 */
export function writeSeededHeadDocument(file: string, samples: number): void {
  createDocument(file, { engine: fieldbookEngine() });
  const db = new Database(file);
  try {
    db.exec('BEGIN');
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${Math.ceil(samples / 10)})
      INSERT INTO sites (id, name, lat, lon) SELECT i, 'Site ' || i, (i % 180) - 90 + 0.5, (i % 360) - 180 + 0.25 FROM n`);
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${samples})
      INSERT INTO samples (id, site_id, code, collected_on, description) SELECT i, 1 + (i - 1) / 10, 'S-' || i,
        '2023-05-' || printf('%02d', 1 + i % 28), 'sample number ' || i || ' collected near the ridge' FROM n`);
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${samples * 3 - 1})
      INSERT INTO measurements (id, sample_id, kind, value, unit) SELECT i + 1, 1 + i / 3,
        CASE i % 3 WHEN 0 THEN 'pH' WHEN 1 THEN 'temperature' ELSE 'depth' END, (i % 1000) / 7.0, 'u' FROM n`);
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

/**
 * A stamped Fieldbook 1.0 document of the given size (test/helpers/large-document.ts), written
 * by a child process so that the bench process stays small and can be interrupted meanwhile.
 */
export async function writeVersion1Document(file: string, size: DocumentSize, env: NodeJS.ProcessEnv): Promise<void> {
  await runTrial('write-version1-document', [file, String(size.samples), String(size.measurementsPerSample)], withoutCompileCache(env));
}

/**
 * Turns a generated 1.0 document, in place, into the source of the subset figures: upgraded to
 * head, with tags, instruments and attachments added (subset-source.ts says what it holds).
 * Runs in a child process, like writeVersion1Document.
 */
export async function writeSubsetSource(version1Document: string, env: NodeJS.ProcessEnv): Promise<void> {
  await runTrial('prepare-subset-source', [version1Document], withoutCompileCache(env));
}

/** Copies a document to a fresh path in the workspace, for a trial that will change or consume it. */
export function freshCopy(workspace: BenchWorkspace, source: string): string {
  const copy = workspace.file(path.basename(source));
  fs.copyFileSync(source, copy);
  return copy;
}
