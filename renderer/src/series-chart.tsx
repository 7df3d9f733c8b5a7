import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MeasurementSeries } from '../../main/ipc/contract';
import { formatMeasurement } from './format-values';
import { useElementSize } from './use-element-size';

const LINE = '#1f6f64'; // --accent
const HIGHLIGHT = '#c2410c';
const DAY_SECONDS = 86400;

/** A series' name as the legend and headings say it: "temperature (C)", or the kind alone without a unit. */
export function seriesLabel(series: Pick<MeasurementSeries, 'kind' | 'unit'>): string {
  return series.unit === null ? series.kind : `${series.kind} (${series.unit})`;
}

/** A point's day (or moment) as stored, for the legend and the table. */
const dayOf = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

/**
 * One quantity over time, drawn by uPlot on a canvas: the values by date (UTC, as they are
 * stored), joined in order, and the highlighted sample's points drawn larger in a second colour.
 * uPlot sets sizes through the CSSOM and brings its stylesheet through Vite, so it runs under the
 * app's Content-Security-Policy (no inline styles, no eval).
 */
export function SeriesChart({
  series,
  highlight,
  highlightCode,
  timeRange,
}: {
  series: MeasurementSeries;
  highlight: number | null;
  highlightCode: string | null;
  /** The dates the x axis spans, in ms (the same for every chart of a set, so they line up). */
  timeRange: [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(box);
  const [from, to] = timeRange;
  useEffect(() => {
    const element = box.current;
    if (!element || width <= 0) return undefined;
    const xs = series.points.map((p) => p.time / 1000);
    const values = series.points.map((p) => p.value);
    const highlighted = series.points.map((p) => (p.sampleId === highlight ? p.value : null));
    const showHighlight = highlight !== null && highlighted.some((v) => v !== null);
    const label = seriesLabel(series);
    const options: uPlot.Options = {
      width,
      height: 180,
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      scales: {
        x: {
          time: true,
          range: () => {
            const [min, max] = [from / 1000, to / 1000];
            const pad = Math.max((max - min) * 0.04, 15 * DAY_SECONDS);
            return [min - pad, max + pad];
          },
        },
      },
      series: [
        { label: 'Date', value: (_u, v) => (v === null ? '—' : dayOf(v)) },
        { label, stroke: LINE, width: 1.5, points: { show: true, size: 6, fill: LINE }, value: (_u, v) => (v === null ? '—' : formatMeasurement(v)) },
        ...(showHighlight
          ? [
              {
                label: highlightCode ?? 'this sample',
                stroke: HIGHLIGHT,
                fill: HIGHLIGHT,
                width: 2,
                paths: () => null,
                points: { show: true, size: 11, fill: HIGHLIGHT, stroke: '#ffffff', width: 2 },
                value: (_u: uPlot, v: number | null) => (v === null ? '—' : formatMeasurement(v)),
              } satisfies uPlot.Series,
            ]
          : []),
      ],
      axes: [
        { stroke: '#5d6672', grid: { stroke: '#e3e6ea' } },
        { stroke: '#5d6672', grid: { stroke: '#e3e6ea' }, label: series.unit ?? undefined, size: 56 },
      ],
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
    };
    const chart = new uPlot(options, showHighlight ? [xs, values, highlighted] : [xs, values], element);
    return () => chart.destroy();
  }, [series, highlight, highlightCode, width, from, to]);
  return <div ref={box} className="series-chart" data-testid="series-chart" aria-hidden="true" />;
}

/** The same values as a table, for reading them exactly and for assistive technology. */
export function SeriesTable({ series, highlight }: { series: MeasurementSeries; highlight: number | null }) {
  return (
    <table className="data-table series-table">
      <caption className="visually-hidden">{seriesLabel(series)} by date</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Sample</th>
          <th scope="col" className="numeric">
            {seriesLabel(series)}
          </th>
        </tr>
      </thead>
      <tbody>
        {series.points.map((p) => (
          <tr key={p.measurementId} className={p.sampleId === highlight ? 'row-highlight' : undefined} aria-current={p.sampleId === highlight ? 'true' : undefined}>
            <td>
              <time dateTime={p.collectedOn}>{p.collectedOn}</time>
            </td>
            <th scope="row">{p.code}</th>
            <td className="numeric">{formatMeasurement(p.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
