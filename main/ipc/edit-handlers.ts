import type { DocumentSession } from '../app/document-session';
import type { NewMeasurement, NewSite, Operation } from './contract';
import type { CallContext, Handler } from './handlers';
import { bad, int, obj, only, optionalText, str } from './validate';

/** A number, or null; anything else (text, NaN, Infinity) is refused. */
function numberOrNull(value: unknown, name: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`${name} must be a number or null`);
  return value;
}

function siteFields(value: unknown, required: boolean): Partial<NewSite> {
  const s = obj(value, 'site');
  only(s, ['name', 'lat', 'lon'], 'site');
  if (required && (s.name === undefined || s.lat === undefined || s.lon === undefined)) throw bad('site needs name, lat and lon');
  return {
    ...(s.name === undefined ? {} : { name: str(s.name, 'name', 200) }),
    ...(s.lat === undefined ? {} : { lat: numberOrNull(s.lat, 'lat') }),
    ...(s.lon === undefined ? {} : { lon: numberOrNull(s.lon, 'lon') }),
  };
}

function measurementFields(value: unknown, required: boolean): Partial<NewMeasurement> {
  const m = obj(value, 'measurement');
  only(m, ['kind', 'value', 'unit', 'instrument'], 'measurement');
  if (required && m.kind === undefined) throw bad('measurement needs a kind');
  return {
    ...(m.kind === undefined ? {} : { kind: str(m.kind, 'kind', 200) }),
    ...(m.value === undefined ? {} : { value: numberOrNull(m.value, 'value') }),
    ...(m.unit === undefined ? {} : { unit: optionalText(m.unit, 'unit') ?? null }),
    ...(m.instrument === undefined ? {} : { instrument: optionalText(m.instrument, 'instrument') ?? null }),
  };
}

/** The handlers of the editing operations (sites, samples, measurements, undo), validating as handlers.ts does. */
export function editHandlers(
  doc: (ctx: CallContext, id: unknown) => DocumentSession,
): Record<
  Extract<
    Operation,
    | 'addSite'
    | 'updateSite'
    | 'deleteSite'
    | 'deleteSample'
    | 'deletionCounts'
    | 'addMeasurement'
    | 'updateMeasurement'
    | 'deleteMeasurement'
    | 'listInstruments'
    | 'undo'
    | 'redo'
    | 'undoState'
  >,
  Handler
> {
  return {
    addSite: async (ctx, [id, site]) => {
      const fields = siteFields(site, true);
      return doc(ctx, id).addSite({ name: fields.name!, lat: fields.lat ?? null, lon: fields.lon ?? null });
    },
    updateSite: async (ctx, [id, siteId, patch]) => doc(ctx, id).updateSite(int(siteId, 'site id'), siteFields(patch, false)),
    deleteSite: async (ctx, [id, siteId]) => {
      await doc(ctx, id).deleteSite(int(siteId, 'site id'));
      return null;
    },
    deleteSample: async (ctx, [id, sampleId]) => {
      await doc(ctx, id).deleteSample(int(sampleId, 'sample id'));
      return null;
    },
    deletionCounts: async (ctx, [id, of]) => {
      const o = obj(of, 'of');
      if ('siteId' in o && Object.keys(o).length === 1) return doc(ctx, id).deletionCounts({ siteId: int(o.siteId, 'siteId') });
      if ('sampleId' in o && Object.keys(o).length === 1) return doc(ctx, id).deletionCounts({ sampleId: int(o.sampleId, 'sampleId') });
      throw bad('of must be {siteId} or {sampleId}');
    },
    addMeasurement: async (ctx, [id, sampleId, measurement]) => {
      const fields = measurementFields(measurement, true);
      return doc(ctx, id).addMeasurement(int(sampleId, 'sample id'), {
        kind: fields.kind!,
        value: fields.value ?? null,
        unit: fields.unit ?? null,
        instrument: fields.instrument ?? null,
      });
    },
    updateMeasurement: async (ctx, [id, measurementId, patch]) => doc(ctx, id).updateMeasurement(int(measurementId, 'measurement id'), measurementFields(patch, false)),
    deleteMeasurement: async (ctx, [id, measurementId]) => doc(ctx, id).deleteMeasurement(int(measurementId, 'measurement id')),
    listInstruments: async (ctx, [id]) => doc(ctx, id).listInstruments(),
    undo: async (ctx, [id]) => doc(ctx, id).undo(),
    redo: async (ctx, [id]) => doc(ctx, id).redo(),
    undoState: async (ctx, [id]) => doc(ctx, id).undoState(),
  };
}
