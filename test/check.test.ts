/**
 * `fieldbook check` (main/devtools/check-project.ts), the CI check: the project passes; temp
 * copies of its migrations folder, each broken in one way, fail with exit 1 and say what.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { sha256, sourceChecksum, type Manifest } from '@fieldbook/engine/tooling';
import { checkProject, type CheckResult } from '../main/devtools/check-project';
import { migrationSource } from '../main/devtools/migration-template';
import { jsString } from '../main/devtools/sql-text';
import { REPO_ROOT, runCli, tempDir } from './helpers/fixtures';
import { fieldbookDevtoolsConfig } from '../main/devtools/fieldbook-config';

const MIGRATIONS = path.join(REPO_ROOT, 'migrations');

/** A copy of the project's migrations folder (sources and manifest). */
function copyOfMigrations(): string {
  const dir = tempDir('fieldbook-check-');
  for (const f of fs.readdirSync(MIGRATIONS)) fs.copyFileSync(path.join(MIGRATIONS, f), path.join(dir, f));
  return dir;
}

function check(dir?: string): { status: number; result: CheckResult; stdout: string } {
  const run = runCli(['check', ...(dir ? ['--dir', dir] : []), '--json']);
  assert.ok(run.json, `JSON on stdout: ${run.stdout}${run.stderr}`);
  return { status: run.status, result: run.json as CheckResult, stdout: run.stdout };
}

/**
 * Rewrites the copy's manifest entry for `file` to match the file's current text, as a build
 * would (keeping the checksum a release shipped in supersededChecksums).
 */
function refreshManifest(dir: string, file: string, change: (entry: Manifest['migrations'][number]) => void = () => {}): void {
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const bytes = fs.readFileSync(path.join(dir, file));
  const entry = manifest.migrations.find((m) => m.file === file)!;
  const ledger = JSON.parse(fs.readFileSync(path.join(dir, 'released.json'), 'utf8')) as Record<string, Record<string, string>>;
  if (Object.values(ledger).some((release) => release[entry.name] === entry.checksum)) entry.supersededChecksums = [entry.checksum];
  entry.checksum = sourceChecksum(bytes.toString('utf8'));
  manifest.files[file] = sha256(bytes);
  change(entry);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
}

test('the project passes: numbered, in the manifest, reversible, replayable, models match (run from an unrelated folder)', () => {
  const { status, result } = check();
  assert.equal(status, 0, JSON.stringify(result.problems));
  assert.deepEqual([result.ok, result.problems, result.changes, result.skipped, result.migrations], [true, [], [], [], 6]);
  assert.equal(result.migrationsDir, MIGRATIONS);
  const manifest = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(result.headFingerprint, manifest.migrations.at(-1)!.fingerprint);

  const plain = runCli(['check']);
  assert.equal(plain.status, 0);
  assert.match(plain.stdout, /^ok: 6 migrations, manifest current, base → head → base → head replayed, models match/);
});

test('a gap in the numbering fails and says which file to renumber', () => {
  const dir = copyOfMigrations();
  fs.renameSync(path.join(dir, '0006-search-checked-values.ts'), path.join(dir, '0007-search-checked-values.ts'));
  const { status, result, stdout } = check(dir);
  assert.equal(status, 1);
  assert.equal(result.ok, false);
  const numbering = result.problems.filter((p) => p.check === 'numbering');
  assert.equal(numbering.length, 1, stdout);
  assert.match(numbering[0]!.message, /0006 is missing before 0007-search-checked-values\.ts\. Rename 0007-search-checked-values\.ts → 0006-search-checked-values\.ts/);
  assert.deepEqual(result.skipped, ['replay', 'models']);
  assert.ok(result.problems.some((p) => p.check === 'manifest' && /0007-search-checked-values\.ts is not in the manifest/.test(p.message)));
});

test('two migrations with one number (two branches) fail with the renaming that fixes it', () => {
  const dir = copyOfMigrations();
  fs.writeFileSync(
    path.join(dir, '0006-site-elevation.ts'),
    migrationSource({
      message: 'site elevation',
      contextImport: '@fieldbook/engine',
      up: [`ops.addColumn('sites', 'elevation REAL');`],
      down: [`ops.dropColumn('sites', 'elevation');`],
    }),
  );
  const { status, result } = check(dir);
  assert.equal(status, 1);
  const [numbering] = result.problems.filter((p) => p.check === 'numbering');
  assert.match(numbering!.message, /2 migrations are numbered 0006 \(0006-search-checked-values\.ts, 0006-site-elevation\.ts\)/);
  assert.match(numbering!.message, /Keep 0006-search-checked-values\.ts \(it is in the manifest\).*rename 0006-site-elevation\.ts → 0007-site-elevation\.ts.*npm run build/);
});

test('a migration edited after the build (checksum differs) fails', () => {
  const dir = copyOfMigrations();
  fs.appendFileSync(path.join(dir, '0002-tags.ts'), '// an innocent-looking comment\n');
  const { status, result } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(
    result.problems.map((p) => [p.check, p.migration]),
    [['manifest', '0002-tags']],
  );
  assert.match(
    result.problems[0]!.message,
    /0002-tags\.ts changed after the manifest was written \(checksum differs\)\. If this version was released, revert the edit and add a new migration instead/,
  );
});

test('a migration without down() fails', () => {
  const dir = copyOfMigrations();
  const file = path.join(dir, '0005-attachments-unique-codes.ts');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('export function down(', 'function formerDown('));
  refreshManifest(dir, '0005-attachments-unique-codes.ts', (entry) => {
    entry.hasDown = false;
  });
  const { status, result } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(
    result.problems.map((p) => [p.check, p.migration]),
    [['down', '0005-attachments-unique-codes']],
  );
  assert.match(result.problems[0]!.message, /0005-attachments-unique-codes\.ts has no down\(\): every migration must be reversible/);
});

test('models that differ from the migrations fail, naming each difference', () => {
  const dir = copyOfMigrations();
  fs.rmSync(path.join(dir, '0006-search-checked-values.ts'));
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  manifest.migrations.pop();
  delete manifest.files['0006-search-checked-values.ts'];
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const ledgerFile = path.join(dir, 'released.json');
  const ledger = JSON.parse(fs.readFileSync(ledgerFile, 'utf8')) as Record<string, Record<string, string>>;
  delete ledger['2.0.0']!['0006-search-checked-values'];
  fs.writeFileSync(ledgerFile, JSON.stringify(ledger), 'utf8');
  const { status, result } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(
    result.problems.map((p) => p.check),
    ['models'],
  );
  assert.match(
    result.problems[0]!.message,
    /the models and the migrations differ \(\d+\): .*add check on sites\.lat: lat BETWEEN -90 AND 90.*add column samples\.created_at TEXT.*fieldbook revision --autogenerate/,
  );
  assert.ok(result.changes.some((c) => c.kind === 'add_column' && c.table === 'samples' && c.column === 'created_at'));
  const plain = runCli(['check', '--dir', dir]);
  assert.equal(plain.status, 1);
  assert.match(plain.stdout, /^check failed \(1 problem\):\n {2}\[models\] the models and the migrations differ/);
});

test('a down() that does not give the previous schema back fails (replayed in memory)', async () => {
  const dir = tempDir('fieldbook-check-down-');
  const write = (file: string, up: string[], down: string[]) =>
    fs.writeFileSync(
      path.join(dir, file),
      migrationSource({
        message: file,
        contextImport: '@fieldbook/engine',
        up: up.map((s) => `exec(${jsString(s)});`),
        down: down.map((s) => `exec(${jsString(s)});`),
      }),
    );
  write('0001-notes.ts', ['CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)'], ['DROP TABLE notes']);
  write('0002-index.ts', ['CREATE INDEX notes_body ON notes(body)', 'CREATE TABLE scratch (x)'], ['DROP TABLE scratch']);
  const result = await checkProject({
    migrationsDir: dir,
    versionTable: 'v',
    models: (sequelize) => sequelize.define('notes', { body: 'TEXT' }, { tableName: 'notes', timestamps: false, indexes: [{ name: 'notes_body', fields: ['body'] }] }),
    exclude: ['scratch'],
  });
  assert.equal(result.ok, false);
  const declarations = result.problems.filter((p) => p.check === 'compatibility');
  assert.deepEqual(
    declarations.map((p) => p.message.replace(/:.*/, '')),
    ['0001-notes.ts declares no class', '0002-index.ts declares no class'],
  );
  const problems = result.problems.filter((p) => p.check !== 'compatibility');
  assert.deepEqual(
    problems.map((p) => p.check),
    ['manifest', 'replay'],
  );
  assert.match(problems[0]!.message, /no manifest\.json/);
  assert.equal(problems[1]!.migration, '0002-index');
  assert.match(problems[1]!.message, /0002-index\.ts down\(\) does not give back version 1's schema: unexpected index notes_body/);
  assert.deepEqual(result.changes, [], 'the models match the head schema');
});

test('a class the schema diff disproves fails, naming the changes; released migrations are declared in compatibility.json', async () => {
  const dir = tempDir('fieldbook-check-classes-');
  for (const f of fs.readdirSync(MIGRATIONS).filter((f) => f.endsWith('.ts') || f === 'compatibility.json')) fs.copyFileSync(path.join(MIGRATIONS, f), path.join(dir, f));
  const seventh = (cls: string, from: string, to: string) =>
    fs.writeFileSync(
      path.join(dir, `0007-${cls}.ts`),
      fs
        .readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'seventh', cls, fs.readdirSync(path.join(REPO_ROOT, 'test', 'fixtures', 'seventh', cls))[0]!), 'utf8')
        .replace(from, to),
    );
  seventh('breaking', "compatibility = 'breaking'", "compatibility = 'additive'");
  const classes = async () => (await checkProject(fieldbookDevtoolsConfig({ migrationsDir: dir }))).problems.filter((p) => p.check === 'compatibility');
  const [wrong] = await classes();
  assert.equal(wrong?.migration, '0007-breaking');
  assert.match(wrong!.message, /declares additive, but its schema diff makes it breaking: column measurements\.unit is gone \(dropped or renamed\)/);
  fs.rmSync(path.join(dir, '0007-breaking.ts'));
  seventh('readable', "compatibility = 'readable'", "compatibility = 'additive'");
  assert.match((await classes())[0]!.message, /declares additive, but .* readable: new unique index instruments_serial_uq/);
  fs.rmSync(path.join(dir, '0007-readable.ts'));
  seventh('additive', "compatibility = 'additive'", "compatibility = 'additive'");
  assert.deepEqual(await classes(), [], 'an additive step declared additive, and the released ones from compatibility.json, pass');
  const declarations = JSON.parse(fs.readFileSync(path.join(dir, 'compatibility.json'), 'utf8')) as Record<string, string>;
  fs.writeFileSync(path.join(dir, 'compatibility.json'), JSON.stringify({ ...declarations, '0004-instruments-dates': 'readable' }));
  assert.match((await classes())[0]!.message, /0004-instruments-dates\.ts declares readable, but its schema diff makes it breaking: column samples\.collected is gone/);
});
