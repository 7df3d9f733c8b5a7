import { QueryTypes, type Sequelize } from 'sequelize';
import { FieldbookError } from '@fieldbook/engine';
import type { MeasurementSeries, MeasurementSeriesSet, SeriesScope } from '../ipc/contract';
import { naturalKey } from './sample-queries';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * The moment a sample's date stands for, in ms since 1970, or null when it is not usable: only
 * an ISO day (`YYYY-MM-DD`, its midnight UTC) or a full ISO date and time (without a zone read
 * as UTC) that exists in the calendar. Old notebooks keep other text as it was typed ("spring",
 * "14/7/2018"); it is never guessed at.
 */
export function usableTime(collectedOn: unknown): number | null {
  if (typeof collectedOn !== 'string') return null;
  const text = collectedOn.trim();
  const match = DAY.exec(text) ?? DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const midnight = new Date(Date.UTC(year, month - 1, day));
  if (midnight.getUTCFullYear() !== year || midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) return null;
  if (match[4] === undefined) return midnight.getTime();
  const [hours, minutes, seconds] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const time = Date.parse(match[7] ? text : `${text}Z`);
  return Number.isFinite(time) ? time : null;
}

/** The white space JavaScript's trim() removes that kinds hold in practice (SQLite's trim() removes only spaces). */
const SPACE = 'char(32, 9, 10, 13, 160)';

interface Row {
  id: number;
  kind: string;
  value: unknown;
  unit: string | null;
  sampleId: number;
  code: string;
  collectedOn: unknown;
}

const naturalCompare = (a: string, b: string) => {
  const [x, y] = [naturalKey(a) ?? '', naturalKey(b) ?? ''];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A unit as a series tells them apart: trimmed, blank as none. Kinds are trimmed; case is kept (a unit's case means something: "mS" is not "ms"). */
const unitOf = (unit: string | null) => (unit === null || unit.trim() === '' ? null : unit.trim());

/**
 * Measurements over time, one series per (kind, unit): all samples of a site, or for a sample
 * its site's history of the kinds it has (all of them if it has no site: then only its own),
 * with the sample's points for the chart to highlight. Each point is a sample's numeric value at
 * its date; measurements without a value, and those whose sample has no usable date (see
 * usableTime), are left out and counted per series.
 * @throws FieldbookError NOT_FOUND for a site or sample that does not exist
 */
export async function measurementSeries(sequelize: Sequelize, scope: SeriesScope): Promise<MeasurementSeriesSet> {
  let site: MeasurementSeriesSet['site'] = null;
  let sample: MeasurementSeriesSet['sample'] = null;
  let kinds: Set<string> | null = null;
  let siteId: number | null;
  if ('sampleId' in scope) {
    const [found] = await sequelize.query<{ id: number; code: string; collectedOn: unknown; siteId: number | null; siteName: string | null }>(
      `SELECT s.id, s.code, s.collected_on AS collectedOn, s.site_id AS siteId, site.name AS siteName
       FROM samples s LEFT JOIN sites site ON site.id = s.site_id WHERE s.id = :id`,
      { type: QueryTypes.SELECT, replacements: { id: scope.sampleId } },
    );
    if (!found) throw new FieldbookError('NOT_FOUND', `there is no sample ${scope.sampleId}`);
    sample = { id: found.id, code: found.code, dated: usableTime(found.collectedOn) !== null };
    siteId = found.siteName === null ? null : found.siteId;
    if (siteId !== null) site = { id: siteId, name: found.siteName! };
    const own = await sequelize.query<{ kind: string }>('SELECT DISTINCT kind FROM measurements WHERE sample_id = :id', {
      type: QueryTypes.SELECT,
      replacements: { id: found.id },
    });
    kinds = new Set(own.map((k) => k.kind.trim()));
  } else {
    const [found] = await sequelize.query<{ id: number; name: string }>('SELECT id, name FROM sites WHERE id = :id', {
      type: QueryTypes.SELECT,
      replacements: { id: scope.siteId },
    });
    if (!found) throw new FieldbookError('NOT_FOUND', `there is no site ${scope.siteId}`);
    site = found;
    siteId = found.id;
  }
  const rows = await sequelize.query<Row>(
    `SELECT m.id, m.kind, m.value, m.unit, s.id AS sampleId, s.code, s.collected_on AS collectedOn
     FROM measurements m JOIN samples s ON s.id = m.sample_id
     WHERE ${siteId === null ? 's.id = :sampleId' : 's.site_id = :siteId'}
       ${kinds ? `AND trim(m.kind, ${SPACE}) IN (SELECT trim(kind, ${SPACE}) FROM measurements WHERE sample_id = :sampleId)` : ''}`,
    { type: QueryTypes.SELECT, replacements: { siteId, sampleId: sample?.id ?? null } },
  );

  const series = new Map<string, MeasurementSeries>();
  for (const row of rows) {
    const kind = row.kind.trim();
    if (kinds && !kinds.has(kind)) continue;
    const unit = unitOf(row.unit);
    const key = JSON.stringify([kind, unit]);
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { kind, unit, points: [], withoutValue: 0, withoutDate: 0 }));
    const time = usableTime(row.collectedOn);
    if (typeof row.value !== 'number' || !Number.isFinite(row.value)) entry.withoutValue += 1;
    else if (time === null) entry.withoutDate += 1;
    else entry.points.push({ measurementId: row.id, sampleId: row.sampleId, code: row.code, collectedOn: String(row.collectedOn).trim(), time, value: row.value });
  }
  const ordered = [...series.values()].sort((a, b) => naturalCompare(a.kind, b.kind) || naturalCompare(a.unit ?? '', b.unit ?? ''));
  for (const entry of ordered) entry.points.sort((a, b) => a.time - b.time || naturalCompare(a.code, b.code) || a.measurementId - b.measurementId);
  const unitsOfKind = new Map<string, number>();
  for (const entry of ordered) unitsOfKind.set(entry.kind, (unitsOfKind.get(entry.kind) ?? 0) + 1);
  return { site, sample, series: ordered, mixedUnits: [...unitsOfKind].filter(([, n]) => n > 1).map(([kind]) => kind) };
}
