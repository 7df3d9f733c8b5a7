import type { DocumentSession } from '../app/document-session';
import type { Operation, SeriesScope } from './contract';
import type { CallContext, Handler } from './handlers';
import { bad, int, obj } from './validate';

/** `{siteId}` or `{sampleId}`, a whole number, and nothing else. */
function scopeOf(value: unknown): SeriesScope {
  const scope = obj(value, 'scope');
  const keys = Object.keys(scope);
  if (keys.length === 1 && keys[0] === 'siteId') return { siteId: int(scope.siteId, 'siteId') };
  if (keys.length === 1 && keys[0] === 'sampleId') return { sampleId: int(scope.sampleId, 'sampleId') };
  throw bad('scope must be {siteId} or {sampleId}');
}

/** The handlers of the map and chart reads, validating as handlers.ts does. */
export function chartHandlers(doc: (ctx: CallContext, id: unknown) => DocumentSession): Record<Extract<Operation, 'siteMap' | 'measurementSeries'>, Handler> {
  return {
    siteMap: async (ctx, [id]) => doc(ctx, id).siteMap(),
    measurementSeries: async (ctx, [id, scope]) => doc(ctx, id).measurementSeries(scopeOf(scope)),
  };
}
