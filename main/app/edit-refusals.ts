import { FieldbookError, type WriteRefusal } from '@fieldbook/engine';

/** Columns of the document, as the fields of the app's forms (IPC `field`). */
const FIELDS: Record<string, string> = {
  code: 'code',
  collected_on: 'collectedOn',
  description: 'description',
  site_id: 'siteId',
  name: 'name',
  lat: 'lat',
  lon: 'lon',
  kind: 'kind',
  value: 'value',
  unit: 'unit',
  instrument_id: 'instrument',
  filename: 'filename',
};

/**
 * An INVALID_VALUE with the form field it is about in `details.field`, when the refused
 * constraint names one column the form shows ("UNIQUE constraint failed: samples.site_id,
 * samples.code" is about the code: the site is not typed in the form), so the window can say it
 * at that field.
 */
export function withField(error: unknown): unknown {
  if (!(error instanceof FieldbookError) || error.code !== 'INVALID_VALUE' || error.details.field !== undefined) return error;
  const field = refusedField(error.cause);
  if (field === undefined) return error;
  return new FieldbookError(error.code, error.message, { cause: error.cause, details: { ...error.details, field } });
}

/** The form field a refused write is about, from SQLite's message (under a Sequelize error, its parent's) or a validation's attribute. */
function refusedField(cause: unknown): string | undefined {
  const failed = cause as { message?: string; parent?: { message?: string }; errors?: { path?: unknown }[] } | undefined;
  const paths = (failed?.errors ?? []).map((e) => (typeof e.path === 'string' ? e.path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : ''));
  const text = [failed?.parent?.message, failed?.message, ...paths.map((p) => `${p} =`)].filter(Boolean).join(' ');
  const columns = [...text.matchAll(/\b[a-z_]+\.([a-z_]+)\b|\b([a-z_]+)\s*(?:<>|!=|>|<|=|IS|BETWEEN|LIKE|GLOB)|length\(([a-z_]+)\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((c): c is string => c !== undefined && FIELDS[c] !== undefined);
  const typed = columns.filter((c) => c !== 'site_id');
  return FIELDS[(typed.length ? typed : columns)[0] ?? ''];
}

/** What a notebook's rules refusing an edit (see DocumentHandle.write) mean, in words a Fieldbook user knows. */
export function inFieldbookWords(refusal: WriteRefusal): string {
  if (refusal.kind === 'unique') return 'another sample at this site already has that code';
  if (refusal.kind === 'validation') return refusal.message;
  if (refusal.kind === 'check') {
    if (/\blat\b/.test(refusal.message)) return 'a latitude is between -90 and 90 degrees';
    if (/\blon\b/.test(refusal.message)) return 'a longitude is between -180 and 180 degrees';
    return /\bcode\b/.test(refusal.message) || refusal.message === 'Validation error' ? 'a sample needs a code' : 'the notebook refused this value';
  }
  if (refusal.kind === 'foreign-key') return 'that site does not exist';
  if (refusal.kind === 'not-null') {
    if (/\bname\b/.test(refusal.message)) return 'a name is needed';
    if (/\bkind\b/.test(refusal.message)) return 'a measurement needs a quantity (pH, depth, ...)';
    return 'a required value is missing';
  }
  return 'the document refused this change';
}
