import { FieldbookError, type RootSelection } from '@fieldbook/engine';

/**
 * Which samples a Fieldbook subset starts from. Keys combine with AND; the lists are OR within
 * themselves. An empty object selects every sample; an empty list selects none.
 */
export interface SampleSelection {
  sampleIds?: number[];
  siteIds?: number[];
  /** Tag names, compared without regard to case (as `tags.name` is). */
  tags?: string[];
  /** Collection date range, inclusive, `YYYY-MM-DD`. Samples without a date are left out when a bound is given. */
  collectedFrom?: string;
  collectedTo?: string;
}

const KEYS = ['sampleIds', 'siteIds', 'tags', 'collectedFrom', 'collectedTo'] as const;

const bad = (message: string) => new FieldbookError('BAD_SELECTION', message);

function integerList(value: unknown, key: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v))) throw bad(`${key} must be a list of whole numbers`);
  return value as number[];
}

function isoDate(value: unknown, key: string): string {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw bad(`${key} must be a date written YYYY-MM-DD`);
  }
  return value;
}

/**
 * Checks a selection (structured data only: never SQL text) and turns it into a WHERE clause
 * over `samples` (alias `root`) with bound parameters.
 * @throws FieldbookError BAD_SELECTION for unknown keys or values of the wrong type
 */
export function selectSamples(selection: unknown): RootSelection {
  if (typeof selection !== 'object' || selection === null || Array.isArray(selection)) throw bad('a selection must be an object');
  const unknown = Object.keys(selection).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length) throw bad(`unknown selection key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${KEYS.join(', ')})`);
  const s = selection as Record<string, unknown>;
  const where: string[] = [];
  const params: unknown[] = [];
  if (s.sampleIds !== undefined) {
    where.push('root.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(integerList(s.sampleIds, 'sampleIds')));
  }
  if (s.siteIds !== undefined) {
    where.push('root.site_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(integerList(s.siteIds, 'siteIds')));
  }
  if (s.tags !== undefined) {
    if (!Array.isArray(s.tags) || !s.tags.every((t) => typeof t === 'string')) throw bad('tags must be a list of tag names');
    where.push('EXISTS (SELECT 1 FROM src.sample_tags st JOIN src.tags t ON t.id = st.tag_id WHERE st.sample_id = root.id AND t.name IN (SELECT value FROM json_each(?)))');
    params.push(JSON.stringify(s.tags));
  }
  const from = s.collectedFrom === undefined ? undefined : isoDate(s.collectedFrom, 'collectedFrom');
  const to = s.collectedTo === undefined ? undefined : isoDate(s.collectedTo, 'collectedTo');
  if (from !== undefined) {
    where.push('root.collected_on >= ?');
    params.push(from);
  }
  if (to !== undefined) {
    where.push('root.collected_on <= ?');
    params.push(to);
  }
  if (from !== undefined && to !== undefined && from > to) throw bad(`collectedFrom ${from} is after collectedTo ${to}`);
  return { where: where.length ? where.join(' AND ') : '1', params };
}
