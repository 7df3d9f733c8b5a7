/**
 * A small head document holding every kind of row a subset must handle: several sites,
 * samples with and without sites, dates and tags, measurements with and without instruments,
 * attachments, and data issues about samples, measurements and sites.
 */
import { documentAt, withDb } from './fixtures';

export function richHeadDocument(dir?: string, name = 'rich.fieldbook'): string {
  const file = documentAt(6, dir, name);
  withDb(file, (db) => {
    db.exec(`
      INSERT INTO sites (id, name, lat, lon) VALUES (1, 'River', 46.1, 7.1), (2, 'Ridge', 46.2, 7.2), (3, 'Quarry', NULL, NULL), (4, 'Unused', 1, 1);
      INSERT INTO tags (id, name) VALUES (1, 'sediment'), (2, 'Water'), (3, 'unused tag');
      INSERT INTO instruments (id, name, serial) VALUES (1, 'pH probe', 'P-1'), (2, 'thermometer', NULL), (3, 'never used', NULL);
      INSERT INTO samples (id, site_id, code, collected_on, description) VALUES
        (10, 1, 'R-1', '2023-04-01', 'fine sediment from the river bank'),
        (11, 1, 'R-2', '2023-06-15', 'river water'),
        (12, 2, 'G-1', '2022-09-30', 'granite chips on the ridge'),
        (13, 3, 'Q-1', NULL, 'quarry dust'),
        (14, NULL, 'loose', '2023-05-05', 'no site, sediment tag');
      INSERT INTO sample_tags (sample_id, tag_id) VALUES (10, 1), (11, 2), (12, 1), (14, 1), (14, 2);
      INSERT INTO measurements (id, sample_id, kind, value, unit, instrument_id) VALUES
        (100, 10, 'pH', 7.1, NULL, 1), (101, 10, 'depth', 2.5, 'm', NULL), (102, 11, 'temperature', 12.5, 'C', 2),
        (103, 12, 'pH', NULL, NULL, 1), (104, 13, 'depth', 40, 'm', NULL), (105, 14, 'pH', 6.9, NULL, 2);
      INSERT INTO attachments (id, sample_id, filename, mime, data, sha256) VALUES
        (1000, 10, 'photo.jpg', 'image/jpeg', x'ffd8ffe0', 'aa'), (1001, 12, 'notes.txt', 'text/plain', CAST('hello' AS BLOB), 'bb');
      INSERT INTO data_issues (id, table_name, row_id, column_name, original_value, message, schema_version) VALUES
        (1, 'measurements', 103, 'value', 'n/a', 'not a number', 3),
        (2, 'samples', 12, 'collected', 'autumn', 'not a date', 4),
        (3, 'sites', 3, 'lat', 95, 'out of range', 6),
        (4, 'samples', 13, 'code', '', 'empty code', 6),
        (5, 'measurements', 100, 'value', '7,1x', 'not a number', 3);
    `);
  });
  return file;
}
