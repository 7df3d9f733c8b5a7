import { QueryTypes, type Sequelize } from 'sequelize';
import type { DocumentHandle } from '@fieldbook/engine';
import type { SamplePage, SampleQuery, SampleSortColumn, SiteSummary } from '../ipc/contract';

/** The SQL function that orders text naturally (see naturalKey), registered on each session's connection. */
const NATURAL = 'fieldbook_natural';

/**
 * A sort key that orders text as people read it: case and accents aside (`é` with `e`), and runs
 * of digits by their number, so "Site 2" comes before "Site 10" and "S-9" before "S-10" (a plain
 * text sort puts 10 before 2). Runs of digits are padded to 20 places, which covers every
 * number a code holds in practice; longer runs still order correctly among themselves by length.
 */
export function naturalKey(text: string | null): string | null {
  if (text === null) return null;
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\d+/g, (digits) => {
      const trimmed = digits.replace(/^0+(?=\d)/, '');
      return trimmed.length >= 20 ? `~${String(trimmed.length).padStart(4, '0')}${trimmed}` : trimmed.padStart(20, '0');
    });
}

/**
 * Registers naturalKey as `fieldbook_natural(text)` on the connection, for this app's own queries
 * only: `directOnly`, so a trigger or view in a document (untrusted) can never call it.
 */
export function registerNaturalOrder(db: DocumentHandle['db']): void {
  db.function(NATURAL, { deterministic: true, directOnly: true }, (value: unknown) => naturalKey(value === null || value === undefined ? null : String(value)));
}

/** The sites in natural order of their names, with their numbers of samples. */
export async function listSites(sequelize: Sequelize): Promise<SiteSummary[]> {
  const rows = await sequelize.query<{ id: number; name: string; lat: number | null; lon: number | null; samples: number }>(
    `SELECT s.id, s.name, s.lat, s.lon, (SELECT count(*) FROM samples x WHERE x.site_id = s.id) AS samples
     FROM sites s ORDER BY ${NATURAL}(s.name), s.id`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ ...r, samples: Number(r.samples) }));
}

const TAGS = `(SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM sample_tags st JOIN tags t ON t.id = st.tag_id
  WHERE st.sample_id = s.id ORDER BY ${NATURAL}(t.name)))`;

/** What each sortable column orders by; empty values (NULL or blank) always come last. */
const ORDER: Record<SampleSortColumn, string> = {
  code: `${NATURAL}(s.code)`,
  collectedOn: 's.collected_on',
  site: `${NATURAL}(site.name)`,
  description: `${NATURAL}(nullif(trim(s.description), ''))`,
  tags: `${NATURAL}(${TAGS})`,
};
const EMPTY: Record<SampleSortColumn, string> = {
  code: "s.code = ''",
  collectedOn: 's.collected_on IS NULL',
  site: 'site.name IS NULL',
  description: "coalesce(trim(s.description), '') = ''",
  tags: 'NOT EXISTS (SELECT 1 FROM sample_tags st WHERE st.sample_id = s.id)',
};

/**
 * A page of samples: of a site (or those without one), matching a full-text search, carrying a
 * tag, collected in a date range; sorted by any column, naturally, and with the number of all
 * samples that match (not only this page's).
 */
export async function listSamples(sequelize: Sequelize, query: SampleQuery): Promise<SamplePage> {
  const where: string[] = [];
  const replacements: Record<string, unknown> = {};
  if (query.siteId === null) where.push('s.site_id IS NULL');
  else if (query.siteId !== undefined) {
    where.push('s.site_id = :siteId');
    replacements.siteId = query.siteId;
  }
  let from = 'samples s';
  if (query.search && query.search.trim()) {
    from = 'samples_fts f JOIN samples s ON s.id = f.rowid';
    where.push('samples_fts MATCH :match');
    replacements.match = ftsQuery(query.search);
  }
  if (query.tag !== undefined) {
    where.push('EXISTS (SELECT 1 FROM sample_tags st JOIN tags t ON t.id = st.tag_id WHERE st.sample_id = s.id AND t.name = :tag COLLATE NOCASE)');
    replacements.tag = query.tag;
  }
  if (query.collectedFrom !== undefined) {
    where.push('s.collected_on >= :collectedFrom');
    replacements.collectedFrom = query.collectedFrom;
  }
  if (query.collectedTo !== undefined) {
    where.push('s.collected_on <= :collectedTo');
    replacements.collectedTo = query.collectedTo;
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const column = query.sort?.column ?? 'code';
  const direction = query.sort?.descending ? 'DESC' : 'ASC';
  const rows = await sequelize.query<{
    id: number;
    siteId: number | null;
    siteName: string | null;
    code: string;
    collectedOn: string | null;
    description: string | null;
    tags: string | null;
  }>(
    `SELECT s.id, s.site_id AS siteId, site.name AS siteName, s.code, s.collected_on AS collectedOn, s.description, ${TAGS} AS tags
     FROM ${from} LEFT JOIN sites site ON site.id = s.site_id ${filter}
     ORDER BY ${EMPTY[column]}, ${ORDER[column]} ${direction}, ${NATURAL}(s.code) ${direction}, s.id ${direction}
     LIMIT :limit OFFSET :offset`,
    { type: QueryTypes.SELECT, replacements: { ...replacements, limit: Math.min(query.limit ?? 200, 1000), offset: query.offset ?? 0 } },
  );
  const [counted] = await sequelize.query<{ total: number }>(`SELECT count(*) AS total FROM ${from} ${filter}`, { type: QueryTypes.SELECT, replacements });
  return {
    samples: rows.map((r) => ({ ...r, tags: r.tags ? r.tags.split('\u001f') : [] })),
    total: Number(counted?.total ?? 0),
  };
}

/** Turns what a user types into an FTS5 query: each word a prefix term, quoted (no FTS syntax errors). */
export function ftsQuery(text: string): string {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `"${w.replace(/"/g, '""')}"*`)
    .join(' ');
}
