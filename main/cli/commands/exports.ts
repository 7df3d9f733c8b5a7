import { FieldbookError, exportDocument, type ExportDocumentResult, exportSubset, type SubsetProgress, type SubsetResult } from '@fieldbook/engine';
import type { SampleSelection } from '../../fieldbook/sample-selection';
import { expandHome, json, TARGET_HELP, usage, type Command, type Io, type Values } from '../command';

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

/** The selection flags given, as typed (`--site 999 --tag ice`), for messages. */
function selectionFlags(values: Values): string[] {
  return SELECTION_FLAGS.flatMap((name) => {
    const value = values[name];
    return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => `--${name} ${v}`);
  });
}

const SELECTION_FLAGS = ['sample', 'site', 'tag', 'from', 'to'] as const;

/**
 * The selection the flags ask for. None at all is refused unless `--all` says so (an export of
 * everything is then what the user meant, not a forgotten flag); `--all` with flags is refused too.
 * @throws FieldbookError USAGE, BAD_SELECTION (ids that are no positive whole numbers)
 */
function selectionFrom(values: Values): SampleSelection {
  const given = selectionFlags(values);
  if (values.all && given.length) throw usage(`--all exports every sample; leave it out to export only ${given.join(' ')}`);
  if (!values.all && given.length === 0) throw usage('subset needs a selection (--sample, --site, --tag, --from, --to), or --all to export every sample');
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
  const status = io.status;
  if (!status || values.json) return undefined;
  return (p: SubsetProgress) => status(p.phase === 'copying' ? `copying ${p.table}: ${p.copied}/${p.total} rows` : `${p.phase}...`);
}

function out(values: Values): string {
  if (typeof values.out !== 'string') throw usage('--out DEST is required');
  return expandHome(values.out);
}

/** `fieldbook subset`: exportSubset of the samples the options pick (ids parsed here: BAD_SELECTION), printed. */
export const subset: Command = {
  summary: 'write the samples a selection picks, and everything they need, to a new document',
  usage: 'fieldbook subset SOURCE --out DEST (--all | [--sample ID]... [--site ID]... [--tag NAME]... [--from DATE] [--to DATE]) [--overwrite] [--json]',
  options: {
    out: { type: 'string', value: 'DEST', description: 'the new document to write', required: true },
    all: { type: 'boolean', description: 'every sample (a subset needs --all or a selection)' },
    sample: { type: 'string', value: 'ID', multiple: true, description: 'the sample with this id', default: 'any sample' },
    site: { type: 'string', value: 'ID', multiple: true, description: 'the samples at the site with this id', default: 'any site' },
    tag: { type: 'string', value: 'NAME', multiple: true, description: 'the samples with this tag (case-insensitive)', default: 'any tags' },
    from: { type: 'string', value: 'DATE', description: 'the samples collected on or after DATE (YYYY-MM-DD; undated samples are left out)', default: 'no earliest date' },
    to: { type: 'string', value: 'DATE', description: 'the samples collected on or before DATE (YYYY-MM-DD)', default: 'no latest date' },
    overwrite: { type: 'boolean', description: 'replace DEST if it exists (atomically; never SOURCE or an open document)' },
    json,
  },
  args: [{ name: 'SOURCE', description: 'the document to take the samples from (only read)' }],
  helpAfter:
    'Several values of one flag are alternatives (--site 1 --site 2: at either site); different flags must all hold.\nA selection that matches no sample is an error (EMPTY_SELECTION) and writes nothing.',
  async run([source], values, io, signal, engine) {
    const destination = out(values);
    const selection = selectionFrom(values);
    const onProgress = progressLine(io, values);
    try {
      const r = await exportSubset(source!, destination, selection, {
        engine: engine,
        overwrite: values.overwrite === true,
        onProgress,
        signal,
        empty: values.all ? 'write' : 'refuse',
      });
      return { destination: r.destination, version: r.version, counts: r.counts, empty: r.empty, source: r.source };
    } catch (error) {
      if (error instanceof FieldbookError && error.code === 'EMPTY_SELECTION') {
        throw new FieldbookError('EMPTY_SELECTION', `${selectionFlags(values).join(' ')} matched no sample in ${source}; nothing was written`, { cause: error });
      }
      throw error;
    } finally {
      if (onProgress) io.status?.('');
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
  options: {
    out: { type: 'string', value: 'DEST', description: 'the copy to write', required: true },
    'as-version': {
      type: 'string',
      value: 'TARGET',
      description: "the version to write it at (relative targets count from the source's version); a SOURCE from a newer Fieldbook is taken back through the down steps it carries",
      required: true,
    },
    overwrite: { type: 'boolean', description: 'replace DEST if it exists (atomically; never SOURCE or an open document)' },
    json,
  },
  args: [{ name: 'SOURCE', description: 'the document to copy (only read)' }],
  helpAfter: TARGET_HELP,
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
