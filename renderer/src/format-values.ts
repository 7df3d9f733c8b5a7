/** How the renderer writes numbers, sizes, times and durations (one locale for the whole window). */

const LOCALE = undefined; // the user's own
const counts = new Intl.NumberFormat(LOCALE);
const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });

export function formatCount(n: number): string {
  return counts.format(n);
}

/** `n` with the noun in singular or plural: "1 sample", "3 samples". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatCount(bytes)} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** An ISO timestamp as a local date and time; text that is no timestamp is shown as it is. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

/** A measured value: numbers as stored (no rounding: they are someone's data). */
export function formatMeasurement(value: number | null): string {
  return value === null ? '—' : String(value);
}

/** An app message ("another sample … has that code") as a sentence: capital first, full stop last. */
export function asSentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…)]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * A site's position as people write it: "46.51° N, 8.12° E" (degrees to at most 5 places);
 * null without both coordinates.
 */
export function formatCoordinates(lat: number | null, lon: number | null): string | null {
  if (lat === null || lon === null) return null;
  const degrees = (value: number) => `${Number(Math.abs(value).toFixed(5))}°`;
  return `${degrees(lat)} ${lat < 0 ? 'S' : 'N'}, ${degrees(lon)} ${lon < 0 ? 'W' : 'E'}`;
}

/** A notebook's tables in the app's words, for export reports ("Tags on samples", not `sample_tags`). */
const TABLE_LABELS: Record<string, string> = {
  sites: 'Sites',
  samples: 'Samples',
  measurements: 'Measurements',
  tags: 'Tags',
  sample_tags: 'Tags on samples',
  attachments: 'Attachments',
  instruments: 'Instruments',
  data_issues: 'Data issues',
};

export function tableLabel(table: string): string {
  const known = TABLE_LABELS[table];
  if (known) return known;
  const words = table.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
