import type { MigrationContext } from '@fieldbook/engine';

export const message = 'instruments; samples.notes becomes description; free-text collected becomes an ISO date collected_on';

/** Whitespace trimmed around a date: ASCII whitespace and Unicode's other spaces (as in version 3). */
const WHITESPACE = 'char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)';

/**
 * True for a real calendar date `c` in ISO form with a year from 0001 to 9999 (ISO dates and the
 * spec's `YYYY` carry four digits; there is no year 0). `date(c, '+0 days') = c` means the same
 * on every SQLite version but accepts year 0000, which SQLite counts as 1 BC.
 */
const isRealDate = (c: string) => `(date(${c}, '+0 days') = ${c} AND substr(${c}, 1, 4) <> '0000')`;

/** `D/M/YYYY` or `D.M.YYYY` (day and month one or two digits) with separator `sep`. */
function dayMonthYear(t: string, sep: '/' | '.'): { matches: string; iso: string } {
  const d = ['[0-9]', '[0-9][0-9]'];
  const patterns = d.flatMap((day) => d.map((month) => `${t} GLOB '${day}${sep}${month}${sep}[0-9][0-9][0-9][0-9]'`));
  const rest = `substr(${t}, instr(${t}, '${sep}') + 1)`;
  const day = `substr(${t}, 1, instr(${t}, '${sep}') - 1)`;
  const month = `substr(${rest}, 1, instr(${rest}, '${sep}') - 1)`;
  const year = `substr(${rest}, instr(${rest}, '${sep}') + 1)`;
  return { matches: `(${patterns.join(' OR ')})`, iso: `printf('%s-%02d-%02d', ${year}, ${month}, ${day})` };
}

/** The ISO date the spec reads from trimmed text `t`, or NULL. */
function isoDate(t: string): string {
  const slash = dayMonthYear(t, '/');
  const dot = dayMonthYear(t, '.');
  const isoPrefix = `substr(${t}, 1, 10)`;
  return `CASE
    WHEN (${t} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' OR ${t} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ]*') AND ${isRealDate(isoPrefix)} THEN ${isoPrefix}
    WHEN ${slash.matches} AND ${isRealDate(slash.iso)} THEN ${slash.iso}
    WHEN ${dot.matches} AND ${isRealDate(dot.iso)} THEN ${dot.iso}
  END`;
}

/**
 * samples(id, collected, collected_on) with the date computed once per row. Text holding a NUL
 * character (U+0000) is no date: GLOB and date() read text only up to its first NUL, so
 * `'2014-02-16\0junk'` would pass as 2014-02-16; `instr` compares every byte on every SQLite version.
 */
const SAMPLES_WITH_DATE = `(SELECT id, collected, ${isoDate('t')} AS iso
  FROM (SELECT id, collected, CASE WHEN typeof(collected) = 'text' AND instr(collected, char(0)) = 0 THEN trim(collected, ${WHITESPACE}) END AS t FROM samples LIMIT -1 OFFSET 0)
  LIMIT -1 OFFSET 0)`;

export function up({ exec, ops }: MigrationContext): void {
  exec('CREATE TABLE instruments (id INTEGER PRIMARY KEY, name TEXT NOT NULL, serial TEXT)');
  ops.addColumn('measurements', 'instrument_id INTEGER REFERENCES instruments(id) ON DELETE SET NULL');
  ops.renameColumn('samples', 'notes', 'description');
  ops.addColumn('samples', 'collected_on TEXT');
  exec(`INSERT INTO data_issues (table_name, row_id, column_name, original_value, message, schema_version)
SELECT 'samples', id, 'collected', collected, 'not a date: the collection date was cleared', 4
FROM ${SAMPLES_WITH_DATE} WHERE collected IS NOT NULL AND iso IS NULL ORDER BY id`);
  exec(`UPDATE samples SET collected_on = s.iso FROM ${SAMPLES_WITH_DATE} AS s WHERE s.id = samples.id AND s.iso IS NOT NULL`);
  ops.dropColumn('samples', 'collected');
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

/** Back to free-text dates (ISO text, or the original text where version 4 could not read it) and notes. */
export function down({ exec, ops }: MigrationContext): void {
  gatherOriginals(exec, 'samples', 4);
  ops.rebuildTable('samples', {
    create: `CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  site_id INTEGER REFERENCES sites(id),
  code TEXT NOT NULL,
  collected TEXT,
  notes TEXT
)`,
    select: { collected: `CASE WHEN collected_on IS NULL THEN ${originalOr('collected', 'samples', 'NULL')} ELSE collected_on END`, notes: 'description' },
  });
  exec('DROP TABLE temp.fieldbook_originals');
  exec('DELETE FROM data_issues WHERE schema_version = 4');
  ops.rebuildTable('measurements', {
    create: `CREATE TABLE measurements (
  id INTEGER PRIMARY KEY,
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value REAL,
  unit TEXT
)`,
  });
  exec('DROP TABLE instruments');
}
