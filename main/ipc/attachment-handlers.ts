import type { AppCore } from '../app/app-core';
import type { Operation } from './contract';
import type { Handler } from './handlers';
import { int, str } from './validate';

/** The handlers of a sample's attachments (attach from files, remove, preview, save a copy), validating as handlers.ts does. */
export function attachmentHandlers(core: AppCore): Record<Extract<Operation, 'attachFiles' | 'deleteAttachment' | 'attachmentContent' | 'saveAttachment'>, Handler> {
  const documentId = (id: unknown) => str(id, 'document id', 100);
  return {
    attachFiles: async (ctx, [id, sampleId]) => core.attachments.attachFiles(ctx.window, documentId(id), int(sampleId, 'sample id')),
    deleteAttachment: async (ctx, [id, attachmentId]) => core.session(ctx.window, documentId(id)).deleteAttachment(int(attachmentId, 'attachment id')),
    attachmentContent: async (ctx, [id, attachmentId]) => core.attachments.content(ctx.window, documentId(id), int(attachmentId, 'attachment id')),
    saveAttachment: async (ctx, [id, attachmentId]) => core.attachments.save(ctx.window, documentId(id), int(attachmentId, 'attachment id')),
  };
}
