import type { MigrationContext } from '@fieldbook/engine';

export const message = 'attachments; sample codes unique per site (duplicates renamed code-2, code-3, ...)';

/**
 * For each later duplicate of a (site_id, code) pair, in ascending id order, the i-th smallest
 * k >= 2 such that `code-k` is not already a code at that site. Renames are assigned per
 * `stem`, the code as text: a BLOB code and a text code with the same bytes are different codes
 * (the unique index keeps both) but both rename to the same text `stem-k`, so they share one
 * sequence; `a-j` = `b-k` with integer j, k forces a = b as text, so other stems cannot collide.
 * Prefixes are compared as a range of text (`stem-` <= code < `stem.`), never with
 * length()/substr(), which stop at a NUL character: codes may hold NULs.
 */
const RENAMES = `WITH RECURSIVE
  ranked AS (
    SELECT id, site_id, code, row_number() OVER (PARTITION BY site_id, code ORDER BY id) - 1 AS i
    FROM samples WHERE site_id IS NOT NULL
  ),
  duplicates AS (
    SELECT id, site_id, code, stem, row_number() OVER (PARTITION BY site_id, stem ORDER BY id) AS i
    FROM (SELECT id, site_id, code, CAST(code AS TEXT) AS stem FROM ranked WHERE i > 0)
  ),
  stems AS (SELECT site_id, stem, count(*) AS needed FROM duplicates GROUP BY site_id, stem),
  candidates(site_id, stem, k, last_k) AS (
    SELECT p.site_id, p.stem, 2, p.needed + 1 + (SELECT count(*) FROM samples s
      WHERE s.site_id = p.site_id AND s.code >= p.stem || '-' AND s.code < p.stem || '.')
    FROM stems p
    UNION ALL
    SELECT site_id, stem, k + 1, last_k FROM candidates WHERE k < last_k
  ),
  free AS (
    SELECT site_id, stem, k, row_number() OVER (PARTITION BY site_id, stem ORDER BY k) AS i
    FROM candidates c
    WHERE NOT EXISTS (SELECT 1 FROM samples s WHERE s.site_id = c.site_id AND s.code = c.stem || '-' || c.k)
  )
INSERT INTO temp.fieldbook_code_renames (id, original, code)
SELECT d.id, d.code, d.stem || '-' || f.k
FROM duplicates d JOIN free f ON f.site_id = d.site_id AND f.stem = d.stem AND f.i = d.i`;

export function up({ exec }: MigrationContext): void {
  exec(`CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  mime TEXT,
  data BLOB NOT NULL,
  sha256 TEXT NOT NULL
)`);
  exec('CREATE TEMP TABLE fieldbook_code_renames (id INTEGER PRIMARY KEY, original, code TEXT NOT NULL)');
  exec(RENAMES);
  exec(`INSERT INTO data_issues (table_name, row_id, column_name, original_value, message, schema_version)
SELECT 'samples', id, 'code', original, 'duplicate code at this site: renamed to ' || code, 5
FROM temp.fieldbook_code_renames ORDER BY id`);
  exec('UPDATE samples SET code = r.code FROM temp.fieldbook_code_renames AS r WHERE r.id = samples.id');
  exec('DROP TABLE temp.fieldbook_code_renames');
  exec('CREATE UNIQUE INDEX samples_site_code_uq ON samples(site_id, code)');
}

/** Drops attachments and the unique index; renamed samples (unless renamed since) get their original codes back. */
export function down({ exec }: MigrationContext): void {
  exec('DROP INDEX samples_site_code_uq');
  exec(`UPDATE samples SET code = d.original_value FROM data_issues AS d
WHERE d.table_name = 'samples' AND d.column_name = 'code' AND d.schema_version = 5 AND d.row_id = samples.id
  AND samples.code >= d.original_value || '-' AND samples.code < d.original_value || '.'`);
  exec("DELETE FROM data_issues WHERE schema_version = 5 AND table_name = 'samples' AND column_name = 'code'");
  exec('DROP TABLE attachments');
}
