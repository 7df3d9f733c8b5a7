import { QueryTypes, type Sequelize } from 'sequelize';
import type { DataIssueView } from '../ipc/contract';

/** The columns data issues are recorded for, in the words the app's screens use. */
const COLUMN_LABELS: Record<string, string> = {
  'sites.name': 'Name',
  'sites.lat': 'Latitude',
  'sites.lon': 'Longitude',
  'samples.code': 'Code',
  'samples.collected_on': 'Date collected',
  'samples.collected': 'Date collected',
  'samples.description': 'Description',
  'samples.notes': 'Description',
  'measurements.value': 'Value',
  'measurements.kind': 'Quantity',
  'measurements.unit': 'Unit',
  'attachments.filename': 'File name',
  'tags.name': 'Tag',
};

/** "Latitude", or the column's own name made readable ("taken_at" → "Taken at") for columns without a label. */
export function columnLabel(table: string, column: string): string {
  const known = COLUMN_LABELS[`${table}.${column}`];
  if (known) return known;
  const words = column.replace(/_/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : column;
}

/**
 * The data issues, each with what it is about as the user knows it: the site (by name) or the
 * sample (by code, at its site) the value belonged to, and for a measurement its quantity. A row
 * that is gone since (deleted later) has only its table's words.
 */
export async function listDataIssues(sequelize: Sequelize, includeResolved: boolean): Promise<DataIssueView[]> {
  const rows = await sequelize.query<{
    id: number;
    tableName: string;
    rowId: number;
    columnName: string;
    originalValue: unknown;
    message: string;
    schemaVersion: number;
    resolved: number;
    siteName: string | null;
    sampleId: number | null;
    sampleCode: string | null;
    kind: string | null;
    filename: string | null;
    tagName: string | null;
  }>(
    `SELECT i.id, i.table_name AS tableName, i.row_id AS rowId, i.column_name AS columnName, i.original_value AS originalValue,
       i.message, i.schema_version AS schemaVersion, i.resolved,
       site.name AS siteName, s.id AS sampleId, s.code AS sampleCode, m.kind AS kind, a.filename AS filename, t.name AS tagName
     FROM data_issues i
     LEFT JOIN measurements m ON i.table_name = 'measurements' AND m.id = i.row_id
     LEFT JOIN attachments a ON i.table_name = 'attachments' AND a.id = i.row_id
     LEFT JOIN tags t ON i.table_name = 'tags' AND t.id = i.row_id
     LEFT JOIN samples s ON s.id = CASE i.table_name WHEN 'samples' THEN i.row_id WHEN 'measurements' THEN m.sample_id WHEN 'attachments' THEN a.sample_id END
     LEFT JOIN sites site ON site.id = CASE i.table_name WHEN 'sites' THEN i.row_id ELSE s.site_id END
     ${includeResolved ? '' : 'WHERE i.resolved = 0'}
     ORDER BY i.id`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    id: r.id,
    tableName: r.tableName,
    rowId: r.rowId,
    columnName: r.columnName,
    originalValue: shown(r.originalValue),
    message: r.message,
    schemaVersion: r.schemaVersion,
    resolved: Boolean(r.resolved),
    field: columnLabel(r.tableName, r.columnName),
    subject: subjectOf(r),
    sampleId: r.sampleId,
  }));
}

/** "site Moraine", "sample M-1 at Moraine", "pH of sample L-1 at Lakeshore"; the table's words for a row that is gone. */
function subjectOf(r: {
  tableName: string;
  rowId: number;
  siteName: string | null;
  sampleCode: string | null;
  kind: string | null;
  filename: string | null;
  tagName: string | null;
  sampleId: number | null;
}): string {
  const at = r.siteName === null ? '' : ` at ${r.siteName}`;
  const sample = r.sampleId === null ? null : `sample ${r.sampleCode === '' || r.sampleCode === null ? `#${r.sampleId} (no code)` : r.sampleCode}${at}`;
  switch (r.tableName) {
    case 'sites':
      return r.siteName === null ? 'a site deleted since' : `site ${r.siteName}`;
    case 'samples':
      return sample ?? 'a sample deleted since';
    case 'measurements':
      return sample === null ? 'a measurement deleted since' : `${r.kind ?? 'a measurement'} of ${sample}`;
    case 'attachments':
      return sample === null ? 'an attachment deleted since' : `attachment ${r.filename ?? ''} of ${sample}`;
    case 'tags':
      return r.tagName === null ? 'a tag deleted since' : `tag ${r.tagName}`;
    default:
      return `a row of ${r.tableName}`;
  }
}

function shown(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  return String(value);
}
