import { FieldbookError, exportDocument, type ExportDocumentResult, exportSubset, type SubsetProgress, type SubsetResult } from '@fieldbook/engine';
import type { SampleSelection } from '../../fieldbook/sample-selection';
import { expandHome, json, usage, type Command, type Io, type Values } from '../command';

function ids(values: Values, key: string): number[] | undefined {
  const raw = values[key] as string[] | undefined;
  if (raw === undefined) return undefined;
  return raw.map((text) => {
    if (!/^[+-]?\d+$/.test(text.trim())) throw new FieldbookError('BAD_SELECTION', `--${key} takes a ${key} id, a whole number, not "${text}"`);
    const id = Number(text);
    // Fieldbook gives rows ids from 1 up; 0 or a negative id is a typo, not a selection of nothing.
    if (!Number.isSafeInteger(id) || id < 1) throw new FieldbookError('BAD_SELECTION', `${key} ids are positive integers, not ${text.trim()} (--${key})`);
    return id;
  });
}

function selectionFrom(values: Values): SampleSelection {
  const selection: SampleSelection = {};
  const sampleIds = ids(values, 'sample');
  const siteIds = ids(values, 'site');
  if (sampleIds) selection.sampleIds = sampleIds;
  if (siteIds) selection.siteIds = siteIds;
  if (values.tag) selection.tags = values.tag as string[];
  if (typeof values.from === 'string') selection.collectedFrom = values.from;
  if (typeof values.to === 'string') selection.collectedTo = values.to;
  return selection;
}

/** A one-line progress display on a terminal (nothing with --json). */
function progressLine(io: Io, values: Values) {
  if (!io.isTerminal || values.json) return undefined;
  return (p: SubsetProgress) => {
    const text = p.phase === 'copying' ? `copying ${p.table}: ${p.copied}/${p.total} rows` : `${p.phase}...`;
    process.stderr.write(`\r\x1b[K${text}`);
  };
}

function out(values: Values): string {
  if (typeof values.out !== 'string') throw usage('--out DEST is required');
  return expandHome(values.out);
}

/** `fieldbook subset`: exportSubset of the samples the options pick (ids parsed here: BAD_SELECTION), printed. */
export const subset: Command = {
  summary: 'write the samples a selection picks, and everything they need, to a new document',
  usage: 'fieldbook subset SOURCE --out DEST [--sample ID]... [--site ID]... [--tag NAME]... [--from DATE] [--to DATE] [--overwrite] [--json]',
  options: {
    json, out: { type: 'string' }, overwrite: { type: 'boolean' },
    sample: { type: 'string', multiple: true }, site: { type: 'string', multiple: true }, tag: { type: 'string', multiple: true },
    from: { type: 'string' }, to: { type: 'string' },
  },
  positionals: [1, 1],
  async run([source], values, io, signal, engine) {
    const destination = out(values);
    const onProgress = progressLine(io, values);
    try {
      const r = await exportSubset(source!, destination, selectionFrom(values), { engine: engine, overwrite: values.overwrite === true, onProgress, signal });
      return { destination: r.destination, version: r.version, counts: r.counts, empty: r.empty, source: r.source };
    } finally {
      if (onProgress) process.stderr.write('\r\x1b[K');
    }
  },
  print(result, io) {
    const r = result as SubsetResult;
    io.out(`${r.destination}: version ${r.version}${r.empty ? ', empty (the selection matched no samples)' : ''}`);
    for (const [table, rows] of Object.entries(r.counts)) if (rows > 0) io.out(`  ${table}: ${rows}`);
  },
};

/** `fieldbook export`: exportDocument at an older version, printed with what it could not hold. */
export const exportCommand: Command = {
  summary: 'write a copy of a document at another (older) version',
  usage: 'fieldbook export SOURCE --out DEST --as-version TARGET [--overwrite] [--json]',
  options: { json, out: { type: 'string' }, 'as-version': { type: 'string' }, overwrite: { type: 'boolean' } },
  positionals: [1, 1],
  async run([source], values, _io, signal, engine) {
    const destination = out(values);
    if (typeof values['as-version'] !== 'string') throw usage('--as-version TARGET is required');
    return exportDocument(source!, destination, { engine: engine, asVersion: values['as-version'], overwrite: values.overwrite === true, signal });
  },
  print(result, io) {
    const r = result as ExportDocumentResult;
    io.out(`${r.destination}: version ${r.version} (from version ${r.source.version})`);
    if (r.lost.length === 0) io.out('nothing lost');
    for (const l of r.lost) io.out(`  not representable at version ${r.version}: ${l.table}${l.column ? `.${l.column}` : ''} (${l.rows} row${l.rows === 1 ? '' : 's'})`);
  },
};
