/**
 * A head notebook for the map and the charts, with the values they must handle: sites on both
 * sides of the antimeridian (Fiji, Tonga, Samoa), a site without coordinates and one whose
 * out-of-range coordinates an upgrade kept as data issues, a site without samples; at the
 * Lagoon, eight samples over two years with temperature, pH and depth — depth in metres and in
 * centimetres, a value that is NULL, a date that is NULL, one kept as typed ("wet season"), one
 * that is no calendar day (2023-02-30) and one full ISO date and time.
 */
import { documentAt, withDb } from './fixtures';

export function surveyDocument(dir?: string, name = 'reef-survey.fieldbook'): string {
  const file = documentAt(6, dir, name);
  withDb(file, (db) => {
    db.exec(`
      INSERT INTO sites (id, name, lat, lon) VALUES
        (1, 'Lagoon', -16.87, 179.98), (2, 'Rabi reef', -16.48, -179.98), (3, 'Apia harbour', -13.83, -171.76),
        (4, 'Nuku''alofa', -21.14, -175.2), (5, 'Suva', -18.14, 178.44), (6, 'Boat ramp', NULL, NULL),
        (7, 'Old mooring', NULL, NULL), (8, 'Half known', 12.5, NULL);
      INSERT INTO samples (id, site_id, code, collected_on, description) VALUES
        (1, 1, 'L-1', '2022-03-01', 'lagoon water, calm'),
        (2, 1, 'L-2', '2022-09-14', 'lagoon water after a storm'),
        (3, 1, 'L-3', '2023-02-30', 'date written wrong in the field book'),
        (4, 1, 'L-4', '2023-05-10T09:30:00Z', 'logged by the probe'),
        (5, 1, 'L-5', 'wet season', 'date kept as typed'),
        (6, 1, 'L-6', '2023-11-20', 'lagoon water'),
        (7, 1, 'L-7', NULL, 'no date'),
        (8, 1, 'L-8', '2024-04-02', 'lagoon water, clear'),
        (9, 2, 'R-1', '2023-06-01', 'reef flat'),
        (10, 3, 'A-1', '2023-07-07', 'harbour mouth'),
        (11, 5, 'S-1', '2023-08-08', 'estuary'),
        (12, 6, 'B-1', '2023-01-15', 'from the ramp'),
        (13, 7, 'M-1', '2019-10-10', 'old mooring chain scrape'),
        (14, NULL, 'X-1', '2023-03-03', 'found in the boat');
      INSERT INTO measurements (id, sample_id, kind, value, unit) VALUES
        (1, 1, 'temperature', 27.5, 'C'), (2, 1, 'pH', 8.1, NULL), (3, 1, 'depth', 1.5, 'm'),
        (4, 2, 'temperature', 26.1, 'C'), (5, 2, 'pH', 7.9, NULL), (6, 2, 'depth', 2.1, 'm'),
        (7, 3, 'temperature', 28.0, 'C'), (8, 3, 'pH', 8.0, NULL),
        (9, 4, 'temperature', 28.4, 'C'), (10, 4, 'pH', NULL, NULL), (11, 4, 'depth', 180, 'cm'),
        (12, 5, 'temperature', 29.0, 'C'),
        (13, 6, 'temperature', 27.9, 'C'), (14, 6, 'pH', 8.2, NULL), (15, 6, 'depth', 160, 'cm'),
        (16, 7, 'temperature', 27.0, 'C'),
        (17, 8, 'temperature', 26.8, 'C'), (18, 8, 'pH', 8.15, ''), (19, 8, 'depth ', 1.7, ' m'),
        (20, 9, 'temperature', 27.2, 'C'), (21, 10, 'temperature', 29.5, 'C'), (22, 14, 'mass', 12, 'g');
      INSERT INTO data_issues (id, table_name, row_id, column_name, original_value, message, schema_version) VALUES
        (1, 'sites', 7, 'lat', 95.5, 'latitude out of range', 6), (2, 'sites', 7, 'lon', 200, 'longitude out of range', 6);
    `);
  });
  return file;
}
