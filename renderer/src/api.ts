import type { Envelope, Events, FieldbookApi } from '../../main/ipc/contract';

/**
 * A failure the app reported (`code` is the app's stable error code, e.g. INVALID_VALUE), or
 * one of the renderer's own: NO_BRIDGE when the page runs without `window.fieldbook`, and
 * UNAVAILABLE when a call could not reach the app at all.
 */
export class AppError extends Error {
  readonly code: string;
  /** The form field an INVALID_VALUE is about, when main could tell. */
  readonly field: string | undefined;

  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
  }
}

/** Any thrown value as an AppError (a bug in the renderer keeps its message under INTERNAL). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
}

type Operation = Exclude<keyof FieldbookApi, 'on'>;
type Unwrapped<F> = F extends (...args: infer A) => Promise<Envelope<infer T>> ? (...args: A) => Promise<T> : never;

/** `window.fieldbook` with each envelope unwrapped: values are returned, errors thrown as AppError. */
export type FieldbookClient = { [K in Operation]: Unwrapped<FieldbookApi[K]> } & {
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void;
};

const OPERATIONS = [
  'windowDocument',
  'documentInfo',
  'listSites',
  'listSamples',
  'getSample',
  'updateSample',
  'addSample',
  'setSampleTags',
  'listTags',
  'listDataIssues',
  'setIssueResolved',
  'exportSubset',
  'exportForVersion',
  'cancelJob',
  'showBackup',
  'showDocumentFile',
  'showLastExport',
  'openLatestBackup',
  'salvage',
  'openNotebook',
  'newNotebook',
  'openSampleNotebook',
  'addSite',
  'updateSite',
  'deleteSite',
  'deleteSample',
  'deletionCounts',
  'addMeasurement',
  'updateMeasurement',
  'deleteMeasurement',
  'listInstruments',
  'undo',
  'redo',
  'undoState',
] as const satisfies readonly Operation[];
// A compile error here means the contract gained an operation this client does not forward.
const everyOperation: Record<Exclude<Operation, (typeof OPERATIONS)[number]>, never> = {};
void everyOperation;

function bridge(): FieldbookApi {
  const fieldbook = (window as Partial<Window>).fieldbook;
  if (!fieldbook) throw new AppError('NO_BRIDGE', 'This page is not running inside Fieldbook, so it cannot reach any notebook.');
  return fieldbook;
}

async function call(operation: Operation, args: unknown[]): Promise<unknown> {
  const method = bridge()[operation] as (...a: unknown[]) => Promise<Envelope<unknown>>;
  let envelope: Envelope<unknown>;
  try {
    envelope = await method(...args);
  } catch (error) {
    throw new AppError('UNAVAILABLE', `Fieldbook did not answer (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (envelope.ok) return envelope.value;
  throw new AppError(envelope.error.code, envelope.error.message, envelope.error.field);
}

/** The typed client the components use. */
export const api: FieldbookClient = {
  ...(Object.fromEntries(OPERATIONS.map((operation) => [operation, (...args: unknown[]) => call(operation, args)])) as {
    [K in Operation]: Unwrapped<FieldbookApi[K]>;
  }),
  on: (event, listener) => bridge().on(event, listener),
};
