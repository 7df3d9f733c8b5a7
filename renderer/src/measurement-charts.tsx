import { useState } from 'react';
import type { DocumentId, MeasurementSeries, SeriesScope } from '../../main/ipc/contract';
import { api } from './api';
import { countOf, formatCount } from './format-values';
import { SeriesChart, SeriesTable, seriesLabel } from './series-chart';
import { StatusMessage } from './status-message';
import { useLoader } from './use-loader';

/** What a series left out, in words ("3 values left out: 1 without a value, 2 from samples without a usable date."), or null. */
export function leftOutNote(series: Pick<MeasurementSeries, 'withoutValue' | 'withoutDate'>): string | null {
  const total = series.withoutValue + series.withoutDate;
  if (total === 0) return null;
  const reasons = [
    series.withoutValue ? `${formatCount(series.withoutValue)} without a value` : null,
    series.withoutDate ? `${formatCount(series.withoutDate)} from ${series.withoutDate === 1 ? 'a sample' : 'samples'} without a usable date` : null,
  ].filter(Boolean);
  return `${countOf(total, 'value')} left out: ${reasons.join(', ')}.`;
}

/**
 * Measurements over time, one panel per quantity and unit: a site's (`{siteId}`) or a sample's
 * against its site's (`{sampleId}`; its own points highlighted). Each panel says what it left
 * out; a quantity recorded in several units is said to be, and drawn once per unit.
 */
export function MeasurementCharts({ documentId, scope, changes }: { documentId: DocumentId; scope: SeriesScope; changes: number }) {
  const key = JSON.stringify(scope);
  const loaded = useLoader(() => api.measurementSeries(documentId, scope), [documentId, key, changes]);
  const set = loaded.value;
  if (loaded.error)
    return (
      <StatusMessage kind="error" error={loaded.error} retry={loaded.reload}>
        The chart could not be drawn.
      </StatusMessage>
    );
  if (!set) return <StatusMessage kind="loading">Loading measurements…</StatusMessage>;
  if (set.series.length === 0) {
    return (
      <p className="muted small" data-testid="chart-empty">
        {set.sample ? 'No measurements to chart.' : `No measurements at ${set.site?.name ?? 'this site'} yet.`}
      </p>
    );
  }
  const highlight = set.sample?.id ?? null;
  // Points come sorted by time: each series' first and last bound the set's dates.
  const timeRange = set.series.reduce<[number, number]>(
    ([min, max], s) => (s.points.length ? [Math.min(min, s.points[0]!.time), Math.max(max, s.points[s.points.length - 1]!.time)] : [min, max]),
    [Infinity, -Infinity],
  );
  return (
    <div className="measurement-charts" data-testid="measurement-charts">
      {set.sample && (
        <p className="muted small chart-context">
          {set.site ? `${set.sample.code} (highlighted) among the samples at ${set.site.name}.` : `${set.sample.code} has no site: only its own values.`}
          {!set.sample.dated && ` ${set.sample.code} has no usable date, so its own values are not on the chart.`}
        </p>
      )}
      {set.mixedUnits.map((kind) => (
        <p key={kind} className="chart-note chart-note-units" data-testid="chart-units-note">
          {kind} is recorded in{' '}
          {set.series
            .filter((s) => s.kind === kind)
            .map((s) => s.unit ?? 'no unit')
            .join(' and ')}
          : each unit is charted on its own.
        </p>
      ))}
      {set.series.map((series) => (
        <SeriesPanel key={`${series.kind}\u0000${series.unit ?? ''}`} series={series} highlight={highlight} highlightCode={set.sample?.code ?? null} timeRange={timeRange} />
      ))}
    </div>
  );
}

function SeriesPanel({
  series,
  highlight,
  highlightCode,
  timeRange,
}: {
  series: MeasurementSeries;
  highlight: number | null;
  highlightCode: string | null;
  timeRange: [number, number];
}) {
  const [showValues, setShowValues] = useState(false);
  const note = leftOutNote(series);
  const label = seriesLabel(series);
  return (
    <section className="series-panel" data-testid="series-panel" aria-label={label}>
      <h4 className="series-title">{label}</h4>
      {series.points.length > 0 ? (
        <SeriesChart series={series} highlight={highlight} highlightCode={highlightCode} timeRange={timeRange} />
      ) : (
        <p className="muted small">Nothing to plot: no value here has a usable date.</p>
      )}
      {note && (
        <p className="chart-note" data-testid="chart-left-out">
          {note}
        </p>
      )}
      {series.points.length > 0 && (
        <details className="series-values" onToggle={(event) => setShowValues(event.currentTarget.open)}>
          <summary>{countOf(series.points.length, 'value')} as a table</summary>
          {showValues && <SeriesTable series={series} highlight={highlight} />}
        </details>
      )}
    </section>
  );
}
