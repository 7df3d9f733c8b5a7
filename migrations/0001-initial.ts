import type { MigrationContext } from '@fieldbook/engine';

export const message = 'Fieldbook 1.0: sites, samples and measurements';

export function up({ exec }: MigrationContext): void {
  exec(`CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  lat REAL,
  lon REAL
)`);
  exec(`CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  site_id INTEGER REFERENCES sites(id),
  code TEXT NOT NULL,
  collected TEXT,
  notes TEXT
)`);
  exec(`CREATE TABLE measurements (
  id INTEGER PRIMARY KEY,
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value TEXT,
  unit TEXT
)`);
}

export function down({ exec }: MigrationContext): void {
  exec('DROP TABLE measurements');
  exec('DROP TABLE samples');
  exec('DROP TABLE sites');
}
