import Database from 'better-sqlite3';
import { createDocument } from '@fieldbook/engine';
import type { SiteSelection } from './subset-source';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

/**
 * The rows a subset of some sites' samples holds, written for this schema by someone who knows
 * it: the samples (SAMPLES_SQL, bound to the site ids), the rows they own (measurements,
 * attachments, sample_tags), the rows those reference (sites, tags, instruments), and the data
 * issues about any of them. Each statement reads what the ones before it copied. Inserting
 * samples fires the `samples_fts` triggers of the new document, which fills the full-text index.
 */
const SAMPLES_SQL = 'INSERT INTO main.samples SELECT * FROM src.samples WHERE site_id IN (SELECT value FROM json_each(?))';
const COPY_SQL = `
  INSERT INTO main.measurements SELECT * FROM src.measurements WHERE sample_id IN (SELECT id FROM main.samples);
  INSERT INTO main.attachments SELECT * FROM src.attachments WHERE sample_id IN (SELECT id FROM main.samples);
  INSERT INTO main.sample_tags SELECT * FROM src.sample_tags WHERE sample_id IN (SELECT id FROM main.samples);
  INSERT INTO main.sites SELECT * FROM src.sites WHERE id IN (SELECT site_id FROM main.samples);
  INSERT INTO main.tags SELECT * FROM src.tags WHERE id IN (SELECT tag_id FROM main.sample_tags);
  INSERT INTO main.instruments SELECT * FROM src.instruments WHERE id IN (SELECT instrument_id FROM main.measurements);
  INSERT INTO main.data_issues SELECT * FROM src.data_issues WHERE CASE table_name
    WHEN 'samples' THEN row_id IN (SELECT id FROM main.samples)
    WHEN 'measurements' THEN row_id IN (SELECT id FROM main.measurements)
    WHEN 'attachments' THEN row_id IN (SELECT id FROM main.attachments)
    WHEN 'sample_tags' THEN row_id IN (SELECT rowid FROM main.sample_tags)
    WHEN 'sites' THEN row_id IN (SELECT id FROM main.sites)
    WHEN 'tags' THEN row_id IN (SELECT id FROM main.tags)
    WHEN 'instruments' THEN row_id IN (SELECT id FROM main.instruments)
    ELSE 0 END;`;

/**
 * The lower bound of figure 6: `createDocument(destination)` (the empty head document the
 * engine's export starts from too), then one better-sqlite3 connection that attaches the source
 * and runs SAMPLES_SQL and COPY_SQL in one transaction, foreign keys off (the statements are
 * ordered by what they read, not by what they reference; the engine copies with them off too).
 * No checks, and no fsync beyond what COMMIT does.
 * @returns the duration of each part, ms
 */
export function subsetByHand(source: string, destination: string, selection: SiteSelection): { name: string; durationMs: number }[] {
  const steps: { name: string; durationMs: number }[] = [];
  let started = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    steps.push({ name, durationMs: now - started });
    started = now;
  };
  createDocument(destination, { engine: fieldbookEngine() });
  step('create');
  const db = new Database(destination, { fileMustExist: true });
  try {
    db.pragma('foreign_keys = OFF');
    db.prepare('ATTACH DATABASE ? AS src').run(source);
    db.exec('BEGIN');
    db.prepare(SAMPLES_SQL).run(JSON.stringify(selection.siteIds));
    db.exec(COPY_SQL);
    step('copy');
    db.exec('COMMIT');
    step('commit');
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
  return steps;
}
