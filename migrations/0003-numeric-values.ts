import type { MigrationContext } from '@fieldbook/engine';

export const message = 'measurement values become numbers (REAL); data_issues keeps values that are not';

/**
 * Characters trimmed from around a value: ASCII whitespace (tab, LF, VT, FF, CR, space) and
 * Unicode's other spaces (NEL, no-break space, the U+2000 block, line/paragraph separators,
 * ideographic space, BOM): what spreadsheets and text editors leave around numbers.
 */
const WHITESPACE = 'char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)';

/**
 * True when the text `n` matches ^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$, written
 * with GLOB because SQLite has no built-in REGEXP (and offline scripts cannot register one):
 * only number characters; a digit first (after an optional sign, or a sign and a dot); at most
 * one exponent mark and one dot, the dot before the exponent; signs only first or right after
 * the exponent mark; an exponent ends with a digit.
 */
function isNumber(n: string): string {
  return `(${n} <> ''` +
    ` AND ${n} NOT GLOB '*[^0-9.eE+-]*'` +
    ` AND (${n} GLOB '[0-9]*' OR ${n} GLOB '[+-][0-9]*' OR ${n} GLOB '.[0-9]*' OR ${n} GLOB '[+-].[0-9]*')` +
    ` AND ${n} NOT GLOB '*[eE]*[eE]*'` +
    ` AND ${n} NOT GLOB '*.*.*'` +
    ` AND ${n} NOT GLOB '*[eE]*.*'` +
    ` AND ${n} NOT GLOB '*[^eE][+-]*'` +
    ` AND (${n} NOT GLOB '*[eE]*' OR ${n} GLOB '*[0-9]'))`;
}

/**
 * Text holding a NUL character (U+0000) is not a number: SQLite reads text only up to its first
 * NUL in GLOB, CAST and (3.53) column affinity, so `'12.5\0abc'` would pass as 12.5. `instr`
 * compares every byte on every SQLite version.
 */
const HAS_NUL = (c: string) => `(typeof(${c}) = 'text' AND instr(${c}, char(0)) > 0)`;

/**
 * The measurements still holding text (or a blob) after the copy, with `number`: the value read
 * by the spec's rule (trim; a lone comma with no dot is the decimal point), or NULL. Each step is
 * a subquery that SQLite runs as a co-routine (OFFSET keeps it from being flattened), so each
 * row is trimmed and normalised once, not once per use.
 */
const UNCONVERTED_WITH_NUMBER = `(SELECT id, value, CASE WHEN ${isNumber('n')} THEN CAST(n AS REAL) END AS number
  FROM (SELECT *, CASE WHEN instr(t, '.') = 0 AND length(t) - length(replace(t, ',', '')) = 1 THEN replace(t, ',', '.') ELSE t END AS n
    FROM (SELECT id, value, CASE WHEN typeof(value) = 'text' THEN trim(value, ${WHITESPACE}) END AS t
      FROM measurements WHERE typeof(value) IN ('text', 'blob') LIMIT -1 OFFSET 0)
    LIMIT -1 OFFSET 0)
  LIMIT -1 OFFSET 0)`;

export function up({ exec, ops }: MigrationContext): void {
  exec(`CREATE TABLE data_issues (
  id INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  original_value,
  message TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  resolved INTEGER NOT NULL DEFAULT 0
)`);
  // Values holding NUL are set aside first and copied as NULL: REAL affinity on SQLite 3.53
  // would read them up to the NUL. Copying the rest into a REAL column converts every
  // well-formed number by SQLite's own affinity rule, which accepts a subset of the spec's
  // pattern (surrounding ASCII whitespace, sign, digits, dot, exponent); the tests check this on
  // generated values. Only what stays text needs the rule.
  exec('CREATE TEMP TABLE fieldbook_unconverted (id INTEGER PRIMARY KEY, value, number REAL)');
  exec(`INSERT INTO temp.fieldbook_unconverted (id, value, number) SELECT id, value, NULL FROM measurements WHERE ${HAS_NUL('value')}`);
  ops.rebuildTable('measurements', {
    create: `CREATE TABLE measurements (
  id INTEGER PRIMARY KEY,
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value REAL,
  unit TEXT
)`,
    select: { value: `CASE WHEN ${HAS_NUL('value')} THEN NULL ELSE value END` },
  });
  exec(`INSERT INTO temp.fieldbook_unconverted (id, value, number) SELECT id, value, number FROM ${UNCONVERTED_WITH_NUMBER}`);
  exec(`INSERT INTO data_issues (table_name, row_id, column_name, original_value, message, schema_version)
SELECT 'measurements', id, 'value', value, 'not a number: the value was cleared', 3
FROM temp.fieldbook_unconverted WHERE number IS NULL ORDER BY id`);
  exec('UPDATE measurements SET value = u.number FROM temp.fieldbook_unconverted AS u WHERE u.id = measurements.id');
  exec('DROP TABLE temp.fieldbook_unconverted');
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

/** Back to text values; values version 3 cleared (and nobody has set since) get their original text back. */
export function down({ exec, ops }: MigrationContext): void {
  gatherOriginals(exec, 'measurements', 3);
  ops.rebuildTable('measurements', {
    create: `CREATE TABLE measurements (
  id INTEGER PRIMARY KEY,
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value TEXT,
  unit TEXT
)`,
    select: { value: `CASE WHEN value IS NULL THEN ${originalOr('value', 'measurements', 'NULL')} ELSE value END` },
  });
  exec('DROP TABLE temp.fieldbook_originals');
  exec('DROP TABLE data_issues');
}
