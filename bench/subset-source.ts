import type { Connection } from '@fieldbook/engine/tooling';
import type { DocumentSize } from './bench-config';

/**
 * The source document of the subset figures: a generated 1.0 document
 * (test/helpers/large-document.ts) upgraded to head by `upgradeDocument`, then given the rows
 * the 1.0 generator has no tables for. With `s` samples and `m` measurements per sample it holds:
 *
 * - `sites`: s/100, ids 1..s/100; sample `i` is at site `1 + i % (s/100)` (round-robin);
 * - `samples`: s, with `samples_fts` filled by the upgrade; `measurements`: s × m, m per sample;
 * - `data_issues`: what the upgrade recorded (for 100k × 10: 100,000 about measurement values,
 *   20,000 about sample dates, 20 about site coordinates);
 * - `tags`: 20 ("tag 1".."tag 20"); `sample_tags`: one tag each, `1 + (id / 10) % 20`, on the 30%
 *   of samples whose id ends in 1, 4 or 7;
 * - `instruments`: 5; every measurement whose id ends in 3 (10%) names instrument `1 + (id / 10) % 5`;
 * - `attachments`: one 2 KB blob on every 50th sample (2%).
 */
export const SUBSET_SOURCE_ROWS_SQL = `
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
    INSERT INTO tags (id, name) SELECT i, 'tag ' || i FROM n;
  INSERT INTO sample_tags (sample_id, tag_id) SELECT id, 1 + (id / 10) % 20 FROM samples WHERE id % 10 IN (1, 4, 7);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5)
    INSERT INTO instruments (id, name, serial) SELECT i, 'Instrument ' || i, 'SN-' || (1000 + i) FROM n;
  UPDATE measurements SET instrument_id = 1 + (id / 10) % 5 WHERE id % 10 = 3;
  INSERT INTO attachments (sample_id, filename, mime, data, sha256)
    SELECT id, 'photo-' || id || '.jpg', 'image/jpeg', zeroblob(2048), printf('%064x', id) FROM samples WHERE id % 50 = 0;`;

/** Adds the rows above to an upgraded document, in one transaction. */
export function addSubsetSourceRows(db: Connection): void {
  db.exec('BEGIN');
  try {
    db.exec(SUBSET_SOURCE_ROWS_SQL);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** What the subset figures pick: the sites whose samples the figures copy. */
export interface SiteSelection {
  siteIds: number[];
}

/**
 * The first tenth of the sites (ids 1..s/1000), so 10% of the samples. A contiguous range of
 * sites takes samples whose ids end in every digit, hence tagged, instrumented and attached
 * samples in the same proportions as the whole document (and 10 of the 20 tags).
 */
export function subsetSelection(size: DocumentSize): SiteSelection {
  return { siteIds: Array.from({ length: Math.max(1, Math.round(siteCount(size) / 10)) }, (_, i) => i + 1) };
}

/** Sites in a generated document: the 1.0 generator's default, one per 100 samples. */
export function siteCount(size: DocumentSize): number {
  return Math.max(1, Math.floor(size.samples / 100));
}
