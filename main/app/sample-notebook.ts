import fs = require('node:fs');
import path = require('node:path');
import { type Engine, FieldbookError } from '@fieldbook/engine';
import { writeDemoNotebook } from '../fieldbook/demo-notebook';

/** The sample's file name: `Glacier survey 2018 (sample).fieldbook`, then `(sample 2)`, `(sample 3)`... */
export function sampleNotebookName(attempt: number): string {
  return `Glacier survey 2018 (sample${attempt > 1 ? ` ${attempt}` : ''}).fieldbook`;
}

const MAX_ATTEMPTS = 100;

/**
 * Writes the sample notebook (the demo behind `fieldbook demo`: a Fieldbook 1.0 survey with the
 * awkward values old notebooks hold) into `folder`, under the first sample name no file has, and
 * returns its path. Never replaces a file: a name that exists — even one created meanwhile by
 * someone else, which createDocument refuses with EXISTS — moves on to the next name. The folder
 * is created when missing.
 * @throws FieldbookError EXISTS when 100 sample names are taken; createDocument's other codes (READ_ONLY, NO_SPACE...)
 */
export function writeSampleNotebook(folder: string, engine: Engine): string {
  fs.mkdirSync(folder, { recursive: true });
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const file = path.join(folder, sampleNotebookName(attempt));
    if (fs.existsSync(file)) continue;
    try {
      return writeDemoNotebook(file, engine).path;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EXISTS') throw error;
    }
  }
  throw new FieldbookError('EXISTS', `${MAX_ATTEMPTS} sample notebooks are already in ${folder}; open one of them, or move them away`);
}
