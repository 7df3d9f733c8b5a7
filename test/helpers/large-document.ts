/**
 * Large Fieldbook 1.0 documents for benchmarks and crash tests, generated inside SQLite with
 * recursive CTEs (fast, and no rows pass through JS). Values include every kind the upgrades
 * must convert: numbers with commas, exponents and spaces, text that is no number, and free-text
 * dates in each accepted form plus unreadable ones.
 */
import Database from 'better-sqlite3';
import { fieldbookEngine } from '../../main/fieldbook/fieldbook-engine';
import { stampDocument } from '@fieldbook/engine';
import { VERSION_1_SQL } from './fixtures';

export interface LargeDocumentOptions {
  samples: number;
  measurementsPerSample: number;
  sites?: number;
  /** Write a 0.9 beta file (unversioned) instead of a stamped 1.0 document. */
  beta?: boolean;
}

export function writeLargeVersion1Document(file: string, options: LargeDocumentOptions): void {
  const sites = options.sites ?? Math.max(1, Math.floor(options.samples / 100));
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
    db.exec(VERSION_1_SQL);
    db.exec('BEGIN');
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${sites})
      INSERT INTO sites (id, name, lat, lon) SELECT i, 'Site ' || i,
        CASE WHEN i % 97 = 0 THEN 123.0 ELSE (i % 180) - 90 + 0.5 END, (i % 360) - 180 + 0.25 FROM n`);
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${options.samples})
      INSERT INTO samples (id, site_id, code, collected, notes) SELECT i, 1 + (i % ${sites}),
        CASE WHEN i % 1000 = 7 THEN 'S-' || (i - 1) ELSE 'S-' || i END,
        CASE i % 5 WHEN 0 THEN '2023-05-' || printf('%02d', 1 + i % 28) WHEN 1 THEN (1 + i % 28) || '/' || (1 + i % 12) || '/2021'
          WHEN 2 THEN (1 + i % 28) || '.' || (1 + i % 12) || '.2019' WHEN 3 THEN 'spring' ELSE NULL END,
        'sample number ' || i || ' collected near the ' || CASE i % 3 WHEN 0 THEN 'river bank' WHEN 1 THEN 'ridge' ELSE 'old quarry' END
      FROM n`);
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${options.samples * options.measurementsPerSample - 1})
      INSERT INTO measurements (id, sample_id, kind, value, unit) SELECT i + 1, 1 + i / ${options.measurementsPerSample},
        CASE i % 4 WHEN 0 THEN 'pH' WHEN 1 THEN 'temperature' WHEN 2 THEN 'depth' ELSE 'note' END,
        CASE i % 10 WHEN 0 THEN ' ' || (i % 14) || ',5 ' WHEN 1 THEN 'n/a' WHEN 2 THEN (i % 100) || 'e-1' WHEN 3 THEN NULL
          ELSE printf('%.3f', (i % 1000) / 7.0) END,
        CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN 'C' WHEN 2 THEN 'm' ELSE NULL END
      FROM n`);
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  if (!options.beta) stampDocument(file, 1, { engine: fieldbookEngine() });
}
