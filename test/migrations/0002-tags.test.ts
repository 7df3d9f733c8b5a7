import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentAt, rows, withDb } from '../helpers/fixtures';
import { columns, migrateTo, objectNames } from '../helpers/migrate';

test('0002 adds tags, sample_tags and the site index, keeping every row', async () => {
  const file = documentAt(1);
  withDb(file, (db) => db.exec(`INSERT INTO sites VALUES (1, 'A', 1.5, 2.5);
    INSERT INTO samples VALUES (1, 1, 'a', 'x', 'n'), (2, NULL, 'b', NULL, NULL);
    INSERT INTO measurements VALUES (1, 1, 'pH', '7', NULL), (2, 2, 'k', NULL, 'u');`));
  const before = rows(file, 'SELECT * FROM samples ORDER BY id').concat(rows(file, 'SELECT * FROM measurements ORDER BY id'));
  await migrateTo(file, 2);
  assert.deepEqual(rows(file, 'SELECT * FROM samples ORDER BY id').concat(rows(file, 'SELECT * FROM measurements ORDER BY id')), before);
  assert.deepEqual(columns(file, 'tags'), ['id INTEGER', 'name TEXT']);
  assert.deepEqual(columns(file, 'sample_tags'), ['sample_id INTEGER', 'tag_id INTEGER']);
  assert.ok(objectNames(file, 'index').includes('samples_site_id_idx'));
  const fks = rows(file, "SELECT \"table\", \"from\", on_delete FROM pragma_foreign_key_list('sample_tags') ORDER BY \"from\"");
  assert.deepEqual(fks, [{ table: 'samples', from: 'sample_id', on_delete: 'CASCADE' }, { table: 'tags', from: 'tag_id', on_delete: 'CASCADE' }]);
  withDb(file, (db) => {
    db.exec("INSERT INTO tags (name) VALUES ('Sediment')");
    assert.throws(() => db.exec("INSERT INTO tags (name) VALUES ('sediment')"), /UNIQUE/, 'tag names are unique regardless of case');
    db.exec('INSERT INTO sample_tags VALUES (1, 1)');
    assert.throws(() => db.exec('INSERT INTO sample_tags VALUES (1, 1)'), /UNIQUE|PRIMARY/);
  });
});
