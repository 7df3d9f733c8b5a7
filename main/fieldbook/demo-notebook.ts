import path = require('node:path');
import { createDocument, type CreateResult, type Engine } from '@fieldbook/engine';
import Database from 'better-sqlite3';

/**
 * The rows of the demo notebook: a 2018 glacier-forefield survey kept with Fieldbook 1.0, with
 * what real old notebooks hold and each later version must carry over or explain: dates typed in
 * four ways and one that is no date ("spring"), values with decimal commas, spaces, units typed
 * into the value and text that is no number ("n/a", "trace"), a duplicate code at one site, an
 * empty code, coordinates out of range, and a sample without a site.
 */
const DEMO_ROWS = `
INSERT INTO sites (id, name, lat, lon) VALUES
  (1, 'Moraine crest', 46.4392, 8.0321), (2, 'Meltwater stream', 46.4418, 8.0367),
  (3, 'Outwash plain', 46.4455, 8.0402), (4, 'Erratic boulder', 146.45, 8.05);
INSERT INTO samples (id, site_id, code, collected, notes) VALUES
  (1, 1, 'MC-01', '2018-07-14', 'till, grey, many striated clasts'),
  (2, 1, 'MC-02', '14/7/2018', 'till with lichen cover'),
  (3, 1, 'MC-02', '15.7.2018', 'second bag labelled MC-02 by mistake'),
  (4, 2, 'MS-01', '2018-07-15', 'stream water, turbid'),
  (5, 2, 'MS-02', 'spring', 'stream water, clear after rain'),
  (6, 3, 'OP-01', '16/07/2018', 'sand and gravel, well sorted'),
  (7, 3, '', '2018-07-16', 'peat lens, label washed off'),
  (8, 4, 'EB-01', '2018-07-17', 'granite chip from the boulder'),
  (9, NULL, 'X-01', NULL, 'pebble found in the rucksack, site unknown');
INSERT INTO measurements (sample_id, kind, value, unit) VALUES
  (1, 'pH', '7,4', NULL), (1, 'moisture', '12.5 %', NULL), (1, 'depth', '0.3', 'm'),
  (2, 'pH', ' 7.1 ', NULL), (2, 'organic carbon', 'trace', NULL),
  (3, 'pH', '7.0', NULL),
  (4, 'temperature', '2,5', 'C'), (4, 'conductivity', '58', 'uS/cm'), (4, 'turbidity', 'high', NULL),
  (5, 'temperature', '3.1', 'C'), (5, 'conductivity', 'n/a', 'uS/cm'),
  (6, 'grain size', '1.2e-3', 'm'), (6, 'pH', '6.8', NULL),
  (7, 'organic carbon', '31', '%'),
  (8, 'density', '2.65', 'g/cm3'),
  (9, 'mass', '14', 'g');
`;

/**
 * Writes the demo notebook: a Fieldbook 1.0 document (the oldest stamped version) holding a
 * small, realistic survey with the awkward values old notebooks have, so that opening or
 * upgrading it shows what an upgrade does: the backup first, converted values, and data issues
 * for everything it could not carry over as it was.
 * @throws FieldbookError EXISTS (never replaces a file), and createDocument's codes
 */
export function writeDemoNotebook(file: string, engine: Engine): CreateResult {
  const created = createDocument(path.resolve(file), { engine, at: 1 });
  // A document this call just created: a plain connection writes its rows.
  const db = new Database(created.path, { fileMustExist: true });
  try {
    db.pragma('foreign_keys = ON');
    db.exec(`BEGIN; ${DEMO_ROWS} COMMIT`);
  } finally {
    db.close();
  }
  return created;
}
