import type { AppCore } from '../app/app-core';
import type { CsvExportOptions, CsvField, CsvImportSettings, CsvMapping, Operation } from './contract';
import type { Handler } from './handlers';
import { bad, bool, obj, only, sampleQuery, str } from './validate';

const FIELDS: readonly CsvField[] = ['code', 'site', 'quantity', 'value', 'unit', 'instrument'];

function exportOptions(value: unknown): CsvExportOptions {
  const o = obj(value, 'options');
  only(o, ['bom', 'delimiter'], 'options');
  if (o.delimiter !== ',' && o.delimiter !== ';') throw bad('options.delimiter must be "," or ";"');
  return { bom: bool(o.bom, 'options.bom'), delimiter: o.delimiter };
}

function mapping(value: unknown): CsvMapping {
  const m = obj(value, 'mapping');
  only(m, [...FIELDS], 'mapping');
  const parsed: CsvMapping = {};
  for (const field of FIELDS) {
    const column = m[field];
    if (column === undefined || column === null) continue;
    if (!Number.isSafeInteger(column) || (column as number) < 0) throw bad(`mapping.${field} must be a column number or null`);
    parsed[field] = column as number;
  }
  return parsed;
}

function importSettings(value: unknown): CsvImportSettings {
  const s = obj(value, 'settings');
  only(s, ['mapping', 'hasHeader', 'decimalComma', 'skipErrors', 'acceptEncoding'], 'settings');
  return {
    mapping: mapping(s.mapping),
    hasHeader: bool(s.hasHeader, 'settings.hasHeader'),
    decimalComma: bool(s.decimalComma, 'settings.decimalComma'),
    skipErrors: bool(s.skipErrors, 'settings.skipErrors'),
    acceptEncoding: bool(s.acceptEncoding, 'settings.acceptEncoding'),
  };
}

/** The handlers of the CSV operations (export, and import through a mapping and a preview), validating as handlers.ts does. */
export function csvHandlers(core: AppCore): Record<Extract<Operation, 'exportCsv' | 'chooseCsvImport' | 'previewCsvImport' | 'importCsv' | 'discardCsvImport'>, Handler> {
  const id = (value: unknown) => str(value, 'document id', 100);
  const importId = (value: unknown) => str(value, 'import id', 100);
  return {
    exportCsv: async (ctx, [doc, query, options, jobId]) => {
      // The whole selection is exported: a page's limit and offset do not apply.
      const { limit: _limit, offset: _offset, ...selection } = sampleQuery(query);
      return core.csv.exportCsv(ctx.window, id(doc), selection, exportOptions(options), str(jobId, 'job id', 100));
    },
    chooseCsvImport: async (ctx, [doc]) => core.csv.chooseImport(ctx.window, id(doc)),
    previewCsvImport: async (ctx, [doc, chosen, settings]) => core.csv.preview(ctx.window, id(doc), importId(chosen), importSettings(settings)),
    importCsv: async (ctx, [doc, chosen, settings]) => core.csv.importCsv(ctx.window, id(doc), importId(chosen), importSettings(settings)),
    discardCsvImport: async (ctx, [doc, chosen]) => {
      core.csv.discard(ctx.window, id(doc), importId(chosen));
      return null;
    },
  };
}
