import { FieldbookError } from '@fieldbook/engine';
import type { SampleQuery, SampleSortColumn } from './contract';

/** Checks of what a renderer sends (it is not trusted): each throws BAD_REQUEST naming the argument. */

export const bad = (message: string) => new FieldbookError('BAD_REQUEST', message);

export function str(value: unknown, name: string, max = 10000): string {
  if (typeof value !== 'string' || value.length > max) throw bad(`${name} must be text`);
  return value;
}
export function int(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value)) throw bad(`${name} must be a whole number`);
  return value as number;
}
export function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw bad(`${name} must be true or false`);
  return value;
}
export function obj(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${name} must be an object`);
  return value as Record<string, unknown>;
}
export function only(record: Record<string, unknown>, keys: string[], name: string): void {
  const extra = Object.keys(record).filter((k) => !keys.includes(k));
  if (extra.length) throw bad(`${name} has unknown fields: ${extra.join(', ')}`);
}
export function optionalText(value: unknown, name: string): string | null | undefined {
  return value === undefined || value === null ? (value as null | undefined) : str(value, name);
}
export function strings(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length > 1000) throw bad(`${name} must be a list of text`);
  return value.map((v, i) => str(v, `${name}[${i}]`, 200));
}

function day(value: unknown, name: string): string {
  const text = str(value, name, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw bad(`${name} must be a day (YYYY-MM-DD)`);
  return text;
}

const SORT_COLUMNS: readonly SampleSortColumn[] = ['code', 'collectedOn', 'site', 'description', 'tags'];
function sortOf(value: unknown): NonNullable<SampleQuery['sort']> {
  const sort = obj(value, 'sort');
  only(sort, ['column', 'descending'], 'sort');
  if (!SORT_COLUMNS.includes(sort.column as SampleSortColumn)) throw bad(`sort.column must be one of ${SORT_COLUMNS.join(', ')}`);
  return { column: sort.column as SampleSortColumn, descending: sort.descending === undefined ? false : bool(sort.descending, 'sort.descending') };
}

/** A sample list query (listSamples, exportCsv): known keys only, each of its type; days as YYYY-MM-DD. */
export function sampleQuery(query: unknown): SampleQuery {
  const q = obj(query ?? {}, 'query');
  only(q, ['siteId', 'search', 'tag', 'collectedFrom', 'collectedTo', 'sort', 'limit', 'offset'], 'query');
  const parsed: SampleQuery = {};
  if (q.siteId !== undefined) parsed.siteId = q.siteId === null ? null : int(q.siteId, 'siteId');
  if (q.search !== undefined) parsed.search = str(q.search, 'search', 500);
  if (q.tag !== undefined) parsed.tag = str(q.tag, 'tag', 200);
  if (q.collectedFrom !== undefined) parsed.collectedFrom = day(q.collectedFrom, 'collectedFrom');
  if (q.collectedTo !== undefined) parsed.collectedTo = day(q.collectedTo, 'collectedTo');
  if (q.sort !== undefined) parsed.sort = sortOf(q.sort);
  if (q.limit !== undefined) parsed.limit = int(q.limit, 'limit');
  if (q.offset !== undefined) parsed.offset = int(q.offset, 'offset');
  return parsed;
}
