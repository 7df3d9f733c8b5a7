import type { MigrationContext } from '@fieldbook/engine';

export const message = 'tags on samples; index samples by site';

export function up({ exec }: MigrationContext): void {
  exec('CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE)');
  exec(`CREATE TABLE sample_tags (
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  PRIMARY KEY (sample_id, tag_id)
)`);
  exec('CREATE INDEX samples_site_id_idx ON samples(site_id)');
}

export function down({ exec }: MigrationContext): void {
  exec('DROP INDEX samples_site_id_idx');
  exec('DROP TABLE sample_tags');
  exec('DROP TABLE tags');
}
