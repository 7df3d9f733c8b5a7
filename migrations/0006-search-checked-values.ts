import type { MigrationContext } from '@fieldbook/engine';

export const message = 'Fieldbook 2.0: full-text search on samples, checked coordinates and codes, created_at';

const OUT_OF_RANGE = '((lat IS NOT NULL AND NOT (lat BETWEEN -90 AND 90)) OR (lon IS NOT NULL AND NOT (lon BETWEEN -180 AND 180)))';

/**
 * Samples with an empty code get `sample-<id>`, or `sample-<id>-k` with the smallest k >= 2
 * that is not already a code at their site (the version-5 rule). Bases differ per id, so
 * assigned codes cannot collide with each other.
 */
const EMPTY_CODE_RENAMES = `WITH RECURSIVE
  empty AS (SELECT id, site_id, code AS original, 'sample-' || id AS base FROM samples WHERE length(code) = 0),
  candidates(id, site_id, base, k, last_k) AS (
    SELECT e.id, e.site_id, e.base, 1, 2 + (SELECT count(*) FROM samples s
      WHERE s.site_id = e.site_id AND substr(s.code, 1, length(e.base) + 1) = e.base || '-')
    FROM empty e
    UNION ALL
    SELECT id, site_id, base, k + 1, last_k FROM candidates WHERE k < last_k
  ),
  named AS (SELECT id, site_id, k, CASE WHEN k = 1 THEN base ELSE base || '-' || k END AS code FROM candidates),
  chosen AS (
    SELECT id, min(k) AS k FROM named n
    WHERE NOT EXISTS (SELECT 1 FROM samples s WHERE s.site_id = n.site_id AND s.code = n.code)
    GROUP BY id
  )
INSERT INTO temp.fieldbook_code_renames (id, original, code)
SELECT e.id, e.original, n.code FROM empty e JOIN chosen c ON c.id = e.id JOIN named n ON n.id = c.id AND n.k = c.k`;

export function up({ exec, ops }: MigrationContext): void {
  exec(`INSERT INTO data_issues (table_name, row_id, column_name, original_value, message, schema_version)
SELECT 'sites', id, column_name, original_value, 'coordinates out of range: latitude and longitude were cleared', 6 FROM (
  SELECT id, 'lat' AS column_name, lat AS original_value FROM sites WHERE ${OUT_OF_RANGE}
  UNION ALL
  SELECT id, 'lon', lon FROM sites WHERE ${OUT_OF_RANGE}
) ORDER BY id, column_name`);
  ops.rebuildTable('sites', {
    create: `CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  lat REAL CHECK (lat BETWEEN -90 AND 90),
  lon REAL CHECK (lon BETWEEN -180 AND 180)
)`,
    select: {
      lat: `CASE WHEN ${OUT_OF_RANGE} THEN NULL ELSE lat END`,
      lon: `CASE WHEN ${OUT_OF_RANGE} THEN NULL ELSE lon END`,
    },
  });

  exec('CREATE TEMP TABLE fieldbook_code_renames (id INTEGER PRIMARY KEY, original, code TEXT NOT NULL)');
  exec(EMPTY_CODE_RENAMES);
  exec(`INSERT INTO data_issues (table_name, row_id, column_name, original_value, message, schema_version)
SELECT 'samples', id, 'code', original, 'empty code: renamed to ' || code, 6
FROM temp.fieldbook_code_renames ORDER BY id`);
  exec('UPDATE samples SET code = r.code FROM temp.fieldbook_code_renames AS r WHERE r.id = samples.id');
  exec('DROP TABLE temp.fieldbook_code_renames');
  ops.rebuildTable('samples', {
    create: `CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  site_id INTEGER REFERENCES sites(id),
  code TEXT NOT NULL CHECK (length(code) > 0),
  collected_on TEXT,
  description TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)`,
    select: { created_at: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" },
  });

  exec("CREATE VIRTUAL TABLE samples_fts USING fts5(code, description, content='samples', content_rowid='id')");
  exec("INSERT INTO samples_fts(samples_fts) VALUES ('rebuild')");
  exec(`CREATE TRIGGER samples_fts_insert AFTER INSERT ON samples BEGIN
  INSERT INTO samples_fts(rowid, code, description) VALUES (new.id, new.code, new.description);
END`);
  exec(`CREATE TRIGGER samples_fts_delete AFTER DELETE ON samples BEGIN
  INSERT INTO samples_fts(samples_fts, rowid, code, description) VALUES ('delete', old.id, old.code, old.description);
END`);
  exec(`CREATE TRIGGER samples_fts_update AFTER UPDATE ON samples BEGIN
  INSERT INTO samples_fts(samples_fts, rowid, code, description) VALUES ('delete', old.id, old.code, old.description);
  INSERT INTO samples_fts(rowid, code, description) VALUES (new.id, new.code, new.description);
END`);
}

/**
 * Down migrations give back the values an upgrade had to change: the originals its data issues
 * kept are gathered in a temporary table keyed by (column, row), so each row's lookup is one
 * primary-key probe even when data_issues is large.
 */
function gatherOriginals(exec: MigrationContext['exec'], table: string, version: number): void {
  exec('CREATE TEMP TABLE fieldbook_originals (column_name TEXT NOT NULL, row_id INTEGER NOT NULL, value, PRIMARY KEY (column_name, row_id))');
  exec(`INSERT OR IGNORE INTO temp.fieldbook_originals (column_name, row_id, value)
SELECT column_name, row_id, original_value FROM data_issues WHERE table_name = '${table}' AND schema_version = ${version} ORDER BY id`);
}

/** The original value of `column` for the row `alias.id` if an issue kept one, else `otherwise`. */
function originalOr(column: string, alias: string, otherwise: string): string {
  const where = `o.column_name = '${column}' AND o.row_id = ${alias}.id`;
  return `CASE WHEN EXISTS (SELECT 1 FROM temp.fieldbook_originals o WHERE ${where}) ` +
    `THEN (SELECT o.value FROM temp.fieldbook_originals o WHERE ${where}) ELSE ${otherwise} END`;
}

/** Drops search and created_at; restores the codes and coordinates version 6 had to change (unless changed since). */
export function down({ exec, ops }: MigrationContext): void {
  exec('DROP TRIGGER samples_fts_insert');
  exec('DROP TRIGGER samples_fts_delete');
  exec('DROP TRIGGER samples_fts_update');
  exec('DROP TABLE samples_fts');
  gatherOriginals(exec, 'samples', 6);
  ops.rebuildTable('samples', {
    create: `CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  site_id INTEGER REFERENCES sites(id),
  code TEXT NOT NULL,
  description TEXT,
  collected_on TEXT
)`,
    select: { code: `CASE WHEN code = 'sample-' || id OR substr(code, 1, length(id) + 8) = 'sample-' || id || '-' THEN ${originalOr('code', 'samples', 'code')} ELSE code END` },
  });
  exec('DROP TABLE temp.fieldbook_originals');
  gatherOriginals(exec, 'sites', 6);
  ops.rebuildTable('sites', {
    create: `CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  lat REAL,
  lon REAL
)`,
    select: {
      lat: `CASE WHEN lat IS NULL AND lon IS NULL THEN ${originalOr('lat', 'sites', 'NULL')} ELSE lat END`,
      lon: `CASE WHEN lat IS NULL AND lon IS NULL THEN ${originalOr('lon', 'sites', 'NULL')} ELSE lon END`,
    },
  });
  exec('DROP TABLE temp.fieldbook_originals');
  exec('DELETE FROM data_issues WHERE schema_version = 6');
}
