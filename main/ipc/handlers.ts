import type { AppCore, WindowKey } from '../app/app-core';
import { FieldbookError } from '@fieldbook/engine';
import type { Envelope, FieldbookApi, Operation } from './contract';
import { attachmentHandlers } from './attachment-handlers';
import { chartHandlers } from './chart-handlers';
import { csvHandlers } from './csv-handlers';
import { editHandlers } from './edit-handlers';
import { bool, int, obj, only, optionalText, sampleQuery, str, strings } from './validate';

/** Who is calling: the window whose renderer sent the request (checked by the shell). */
export interface CallContext {
  window: WindowKey;
}

export type Handler = (ctx: CallContext, args: unknown[]) => Promise<unknown>;

/**
 * The IPC handlers: one per operation of the contract, each validating its arguments (the
 * renderer is not trusted) and calling the app core. The Electron shell registers them with
 * ipcMain; the browser-test bridge serves the same functions over loopback.
 */
export function createHandlers(core: AppCore): Record<Operation, Handler> {
  const doc = (ctx: CallContext, id: unknown) => core.session(ctx.window, str(id, 'document id', 100));
  return {
    windowDocument: async (ctx) => core.windowDocument(ctx.window),
    documentInfo: async (ctx, [id]) => core.info(ctx.window, str(id, 'document id', 100)),
    listSites: async (ctx, [id]) => doc(ctx, id).listSites(),
    listSamples: async (ctx, [id, query]) => doc(ctx, id).listSamples(sampleQuery(query)),
    getSample: async (ctx, [id, sampleId]) => doc(ctx, id).getSample(int(sampleId, 'sample id')),
    updateSample: async (ctx, [id, sampleId, patch]) => {
      const p = obj(patch, 'patch');
      only(p, ['code', 'description', 'collectedOn', 'tags'], 'patch');
      return doc(ctx, id).updateSample(int(sampleId, 'sample id'), {
        code: p.code === undefined ? undefined : str(p.code, 'code', 200),
        description: optionalText(p.description, 'description'),
        collectedOn: optionalText(p.collectedOn, 'collectedOn'),
        ...(p.tags === undefined ? {} : { tags: strings(p.tags, 'tags') }),
      });
    },
    addSample: async (ctx, [id, sample]) => {
      const s = obj(sample, 'sample');
      only(s, ['siteId', 'code', 'description', 'collectedOn', 'tags'], 'sample');
      return doc(ctx, id).addSample({
        siteId: s.siteId === null || s.siteId === undefined ? null : int(s.siteId, 'siteId'),
        code: str(s.code, 'code', 200),
        description: optionalText(s.description, 'description'),
        collectedOn: optionalText(s.collectedOn, 'collectedOn'),
        ...(s.tags === undefined ? {} : { tags: strings(s.tags, 'tags') }),
      });
    },
    setSampleTags: async (ctx, [id, sampleId, tags]) => doc(ctx, id).setSampleTags(int(sampleId, 'sample id'), strings(tags, 'tags')),
    listTags: async (ctx, [id]) => doc(ctx, id).listTags(),
    listDataIssues: async (ctx, [id, includeResolved]) => doc(ctx, id).listDataIssues(bool(includeResolved, 'includeResolved')),
    setIssueResolved: async (ctx, [id, issueId, resolved]) => {
      await doc(ctx, id).setIssueResolved(int(issueId, 'issue id'), bool(resolved, 'resolved'));
      return null;
    },
    exportSubset: async (ctx, [id, selection, jobId]) => {
      // The selection's own rules (keys, types, dates) are checked by the engine (BAD_SELECTION).
      return core.exports.exportSubset(ctx.window, str(id, 'document id', 100), obj(selection, 'selection'), str(jobId, 'job id', 100));
    },
    exportForVersion: async (ctx, [id, version, jobId]) =>
      core.exports.exportForVersion(ctx.window, str(id, 'document id', 100), int(version, 'version'), str(jobId, 'job id', 100)),
    cancelJob: async (_ctx, [jobId]) => {
      core.cancelJob(str(jobId, 'job id', 100));
      return null;
    },
    showBackup: async (ctx, [id]) => {
      core.showBackup(ctx.window, str(id, 'document id', 100));
      return null;
    },
    showDocumentFile: async (ctx, [id]) => {
      core.showDocumentFile(ctx.window, str(id, 'document id', 100));
      return null;
    },
    showLastExport: async (ctx, [id]) => {
      core.showLastExport(ctx.window, str(id, 'document id', 100));
      return null;
    },
    openLatestBackup: async (ctx, [id]) => {
      await core.openLatestBackup(ctx.window, str(id, 'document id', 100));
      return null;
    },
    salvage: async (ctx, [id, jobId]) => core.exports.salvage(ctx.window, str(id, 'document id', 100), str(jobId, 'job id', 100)),
    openNotebook: async (ctx) => core.start.openNotebooks(ctx.window),
    newNotebook: async (ctx) => core.start.newNotebook(ctx.window),
    openSampleNotebook: async () => core.start.openSampleNotebook(),
    ...editHandlers(doc),
    ...attachmentHandlers(core),
    ...chartHandlers(doc),
    ...csvHandlers(core),
    openCopyForThisVersion: async (ctx, [id, jobId]) => core.exports.openCopyForThisVersion(ctx.window, str(id, 'document id', 100), str(jobId, 'job id', 100)),
  };
}

/** Runs one operation and wraps its outcome: `{ok, value}` or `{ok: false, error: {code, message}}`, never a throw. */
export async function invoke(handlers: Record<Operation, Handler>, ctx: CallContext, operation: string, args: unknown[]): Promise<Envelope<unknown>> {
  const handler = (handlers as Record<string, Handler | undefined>)[operation];
  if (!handler || !Array.isArray(args)) return { ok: false, error: { code: 'BAD_REQUEST', message: `unknown operation ${operation}` } };
  try {
    return { ok: true, value: await handler(ctx, args) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const known = error instanceof FieldbookError || (typeof code === 'string' && /^[A-Z_]+$/.test(code));
    if (!known || code === 'INTERNAL') console.error(`fieldbook: ${operation} failed:`, error);
    const field = (error as { details?: { field?: unknown } }).details?.field;
    return {
      ok: false,
      error: known
        ? { code: String(code), message: (error as Error).message, ...(typeof field === 'string' ? { field } : {}) }
        : { code: 'INTERNAL', message: 'something went wrong inside Fieldbook; the document was not changed by it' },
    };
  }
}

/** Compile-time check that the handlers cover exactly the contract's operations. */
export type HandlersCoverContract = Record<Exclude<keyof FieldbookApi, 'on'>, Handler>;
