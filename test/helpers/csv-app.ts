/**
 * The app core with a test shell whose dialogs answer what a test queued, for the CSV tests:
 * calls go through the real IPC handlers (validation, envelopes), on real notebooks.
 */
import fs = require('node:fs');
import path = require('node:path');
import Papa = require('papaparse');
import { AppCore, type Shell } from '../../main/app/app-core';
import type { FileFilter } from '../../main/app/shell';
import { threadJobHost } from '../../main/app/thread-jobs';
import type { Envelope } from '../../main/ipc/contract';
import { createHandlers, invoke } from '../../main/ipc/handlers';
import { tempDir } from './fixtures';

export interface CsvApp {
  core: AppCore;
  call<T>(window: string, operation: string, ...args: unknown[]): Promise<Envelope<T>>;
  /** Events sent to windows, in order. */
  sent: { window: string; event: string; payload: unknown }[];
  /** What the next save dialogs answer (null: cancelled), in order. */
  saveAnswers: (string | null)[];
  /** What the next open dialogs answer ([]: cancelled), in order. */
  openAnswers: string[][];
  /** The options each open and save dialog was shown with. */
  dialogs: { kind: 'open' | 'save'; title: string; filters?: FileFilter[]; multiple?: boolean; defaultName?: string }[];
  shownInFolder: string[];
}

export function csvApp(): CsvApp {
  const app: Omit<CsvApp, 'core' | 'call'> = { sent: [], saveAnswers: [], openAnswers: [], dialogs: [], shownInFolder: [] };
  const shell: Shell = {
    chooseSavePath: async (_window, options) => {
      app.dialogs.push({ kind: 'save', ...options });
      return app.saveAnswers.length ? app.saveAnswers.shift()! : null;
    },
    chooseOpenPaths: async (_window, options) => {
      app.dialogs.push({ kind: 'open', ...options });
      return app.openAnswers.shift() ?? [];
    },
    showItemInFolder: (file) => void app.shownInFolder.push(file),
    openDocumentWindow: async () => {},
    send: (window, event, payload) => void app.sent.push({ window, event, payload }),
    jobs: threadJobHost(),
  };
  const core = new AppCore({ shell, engineSettings: { backupDir: path.join(tempDir(), 'backups') }, samplesFolder: tempDir() });
  const handlers = createHandlers(core);
  return { ...app, core, call: <T>(window: string, operation: string, ...args: unknown[]) => invoke(handlers, { window }, operation, args) as Promise<Envelope<T>> };
}

export function value<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

export function errorOf(envelope: Envelope<unknown>): { code: string; message: string } {
  if (envelope.ok) throw new Error(`expected an error, got ${JSON.stringify(envelope.value)}`);
  return envelope.error;
}

/** A CSV file's rows of cells as papaparse reads them (a leading BOM dropped), and whether it had a BOM. */
export function readCsv(file: string): { bom: boolean; rows: string[][]; text: string } {
  const text = fs.readFileSync(file, 'utf8');
  const bom = text.startsWith('\ufeff');
  const body = bom ? text.slice(1) : text;
  const parsed = Papa.parse<string[]>(body, { delimitersToGuess: [',', ';'], skipEmptyLines: true });
  return { bom, rows: parsed.data, text: body };
}

/** The files of a folder (hidden ones included), sorted. */
export function filesIn(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}
