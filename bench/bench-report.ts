import fs = require('node:fs');
import path = require('node:path');
import type { BenchConfig } from './bench-config';
import { median, type TrialResult } from './run-trial';

/** One reported figure: a value that must stay at or below its limit (a rate, `%`: at or above it). */
export interface Figure {
  id: string;
  label: string;
  value: number;
  /** `×` for ratios against a lower bound measured in the same run, `MB` for memory, `%` for rates. */
  unit: '×' | 'MB' | '%';
  limit: number;
  pass: boolean;
  /** The measurements behind the value, for people. */
  detail: string;
  /** The same, for machines (written to latest.json). */
  data: Record<string, unknown>;
}

export interface RatioInput {
  id: string;
  label: string;
  limit: number;
  /** Per-trial durations, ms. */
  engine: readonly number[];
  baseline: readonly number[];
  baselineName: string;
}

/** Ratio of the medians of the engine's and the lower bound's trials. */
export function ratioFigure(input: RatioInput): Figure {
  const engine = median(input.engine);
  const baseline = median(input.baseline);
  const value = engine / baseline;
  return {
    id: input.id,
    label: input.label,
    value,
    unit: '×',
    limit: input.limit,
    pass: value <= input.limit,
    detail: `engine ${ms(engine)}${spread(input.engine)} vs ${input.baselineName} ${ms(baseline)}${spread(input.baseline)}`,
    data: { engineMs: engine, baselineMs: baseline, engineTrialsMs: input.engine, baselineTrialsMs: input.baseline },
  };
}

/** "0002-tags 28, 0003-numeric-values 4590, ...": each step's median duration over the trials, in the first trial's order. */
export function stepMedians(trials: readonly TrialResult[]): string {
  const names = trials[0]?.steps?.map((s) => s.name) ?? [];
  return names
    .map((name) => {
      const durations = trials.map((t) => t.steps?.find((s) => s.name === name)?.durationMs ?? NaN);
      return `${name} ${Math.round(median(durations))}`;
    })
    .join(', ');
}

export function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toPrecision(3)} ms`;
}

export function mb(kb: number): number {
  return kb / 1024;
}

/** ` [min–max]` of the trials, so a noisy median is visible as such. */
function spread(values: readonly number[]): string {
  if (values.length < 2) return '';
  const precision = (v: number) => (v >= 100 ? String(Math.round(v)) : v.toPrecision(3));
  return ` [${precision(Math.min(...values))}–${precision(Math.max(...values))}]`;
}

export interface BenchReport {
  startedAt: string;
  wallMs: number;
  node: string;
  platform: string;
  cpus: number;
  /** 1-minute load average when the run started and ended: other work on the machine makes ratios noisy. */
  loadAverage: { start: number; end: number };
  config: BenchConfig;
  figures: Figure[];
  /** Context without a target: per-step upgrade times, reference measurements. */
  notes: string[];
  summary: { passed: number; missed: number };
}

/** Prints the figures as a table, then the notes and a one-line summary. */
export function printReport(report: BenchReport, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  const labelWidth = Math.max(...report.figures.map((f) => f.label.length));
  out('');
  out(`${'figure'.padEnd(labelWidth)}  ${'value'.padStart(9)}  ${'target'.padEnd(10)}  result  measured (median [min–max] of trials)`);
  for (const f of report.figures) {
    const value = f.unit === '×' ? `${f.value.toFixed(2)}×` : f.unit === '%' ? `${f.value.toFixed(2)}%` : `${f.value.toFixed(1)} MB`;
    const target = f.unit === '×' ? `≤ ${f.limit}×` : f.unit === '%' ? `≥ ${f.limit}%` : `≤ ${f.limit} MB`;
    out(`${f.label.padEnd(labelWidth)}  ${value.padStart(9)}  ${target.padEnd(10)}  ${f.pass ? 'PASS' : 'MISS'}    ${f.detail}`);
  }
  if (report.notes.length) {
    out('');
    for (const note of report.notes) out(`note: ${note}`);
  }
  out('');
  const { passed, missed } = report.summary;
  out(
    `bench: ${passed} of ${passed + missed} targets met${
      missed
        ? `, ${missed} missed (${report.figures
            .filter((f) => !f.pass)
            .map((f) => f.id)
            .join(', ')})`
        : ''
    }; ` +
      `${report.config.quick ? 'QUICK run (small documents), ' : ''}wall time ${(report.wallMs / 1000).toFixed(1)} s, ` +
      `load average ${report.loadAverage.start.toFixed(1)} → ${report.loadAverage.end.toFixed(1)} on ${report.cpus} CPUs`,
  );
}

/** Writes the report as JSON (creating the folder), returning the file's path. */
export function writeReport(report: BenchReport, file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
