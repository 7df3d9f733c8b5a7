/**
 * The packaged desktop app (electron-builder.yml). Builds electron-builder's `dir` target — the
 * one target that builds offline — with a stub Electron (`electronDist`: a folder holding an
 * executable named `electron`) and `npmRebuild: false` (so better-sqlite3 stays the Node build
 * the engine check below needs), then checks the tree an installer would hold: the app archive,
 * the unpacked native module, the migrations beside the archive matching their manifest, nothing
 * from the tests or dev tools inside, and an engine started from the packaged files, in an
 * unrelated working directory, finding its migrations and upgrading a 1.0 document. The stub
 * carries a fuse wire, so the fuses electron-builder flips are read back from the packed executable.
 *
 * Packing that Node build is exactly what `npm run dist` must refuse (build/after-pack.js reads
 * the ABI the packed `.node` registers): the first test proves the refusal, and the layout checks
 * pack with the hook's test-only opt-out, FIELDBOOK_PACKAGE_NODE_BUILD=layout-test-only.
 *
 * The Linux layout is built on every host (`--linux`), so the paths are the same everywhere.
 * About 10–20 s per pack (two packs), most of it electron-builder collecting node_modules.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { before, describe, test } from 'node:test';
import { sha256, type Manifest } from '@fieldbook/engine/tooling';
import { REPO_ROOT, documentAt, rows, tempDir, withDb } from './helpers/fixtures';

/** The part of @electron/asar (electron-builder's own archiver) this test uses. */
interface AsarArchiver {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractFile(archive: string, file: string): Buffer;
  extractAll(archive: string, destination: string): void;
  statFile(archive: string, file: string, followLinks: boolean): object;
}

/** @electron/asar as electron-builder resolves it (it is electron-builder's dependency, not ours). */
function asarArchiver(): AsarArchiver {
  const builderLib = path.dirname(
    require.resolve('app-builder-lib/package.json', { paths: [path.dirname(require.resolve('electron-builder/package.json', { paths: [REPO_ROOT] }))] }),
  );

  return require(require.resolve('@electron/asar', { paths: [builderLib] })) as AsarArchiver;
}

interface Packaged {
  /** `<output>/linux-unpacked`: the app folder (its executable, resources/). */
  appOutDir: string;
  /** `<output>/linux-unpacked/resources`: what an installer puts beside the app executable. */
  resources: string;
  archive: string;
  /** Entries of app.asar, `/`-separated, without a leading slash. */
  entries: string[];
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Symbolic links under a folder, anywhere below it. */
function linksUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isSymbolicLink() ? [full] : entry.isDirectory() ? linksUnder(full) : [];
  });
}

/** @electron/fuses' marker: the fuse wire follows it (a version byte, a length byte, one byte per fuse). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's fuses in wire order (@electron/fuses FuseV1Options), with Electron 40's defaults ('1' on, '0' off). */
const FUSES = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
] as const;
const DEFAULT_WIRE = '10110001';

/**
 * A stub Electron: a shell script that only says it is one, carrying a fuse wire in Electron
 * 40's default state after its last line, so electron-builder's fuse step has something to flip.
 */
function stubElectron(): string {
  const stub = tempDir('fieldbook-electron-stub-');
  const wire = Buffer.concat([Buffer.from(`# ${FUSE_SENTINEL}`, 'latin1'), Buffer.from([1, FUSES.length]), Buffer.from(`${DEFAULT_WIRE}\n`, 'latin1')]);
  fs.writeFileSync(path.join(stub, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho "stub Electron: layout checks only" >&2\nexit 1\n'), wire]), { mode: 0o755 });
  return stub;
}

/** Runs electron-builder's CLI for the offline `dir` target into a temp folder. */
function runDirTarget(env: Record<string, string> = {}): { run: SpawnSyncReturns<string>; output: string } {
  const output = tempDir('fieldbook-packaged-');
  const cli = path.join(path.dirname(require.resolve('electron-builder/package.json', { paths: [REPO_ROOT] })), 'cli.js');
  const run = spawnSync(
    process.execPath,
    [cli, '--linux', '--dir', '--publish', 'never', `-c.electronDist=${stubElectron()}`, '-c.npmRebuild=false', `-c.directories.output=${output}`],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 180_000, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ...env } },
  );
  return { run, output };
}

/**
 * Packs the Node build of better-sqlite3 (what the probe below can load under Node), with the
 * after-pack hook's test-only opt-out (build/after-pack.js): without it the hook refuses, as the
 * first test proves.
 */
function buildDirTarget(): Packaged {
  const started = Date.now();
  const { run, output } = runDirTarget({ FIELDBOOK_PACKAGE_NODE_BUILD: 'layout-test-only' });
  assert.equal(run.status, 0, `electron-builder failed (${run.error?.message ?? `exit ${run.status}`}):\n${run.stdout}\n${run.stderr}`);
  console.error(`electron-builder --dir took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const unpacked = fs.readdirSync(output).filter((name) => /^linux(-[a-z0-9]+)?-unpacked$/.test(name));
  assert.equal(unpacked.length, 1, `one unpacked app folder expected in ${output}: ${fs.readdirSync(output).join(', ')}`);
  const appOutDir = path.join(output, unpacked[0]!);
  const resources = path.join(appOutDir, 'resources');
  const archive = path.join(resources, 'app.asar');
  assert.ok(fs.existsSync(archive), 'resources/app.asar exists');
  const entries = asarArchiver()
    .listPackage(archive, { isPack: false })
    .map((entry) => entry.replace(/\\/g, '/').replace(/^\//, ''));
  return { appOutDir, resources, archive, entries };
}

/** Packed build output (dist/ in the archive) that differs from the files in dist/ now. */
function packedDifferences(packaged: Packaged): string[] {
  const asar = asarArchiver();
  return packaged.entries
    .filter((entry) => entry.startsWith('dist/') && path.extname(entry))
    .filter((entry) => {
      const built = path.join(REPO_ROOT, entry);
      return !fs.existsSync(built) || !asar.extractFile(packaged.archive, entry).equals(fs.readFileSync(built));
    });
}

test('npm run dist refuses a package whose better-sqlite3 is the Node build, naming the file and both ABIs', { timeout: 240_000 }, () => {
  const { run, output } = runDirTarget();
  assert.notEqual(run.status, 0, `electron-builder packed a Node build for Electron:\n${run.stdout}\n${run.stderr}`);
  const said = `${run.stdout}\n${run.stderr}`;
  const electron = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
  const electronAbi = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
  assert.match(said, new RegExp(`not built for Electron ${electron.replace(/\./g, '\\.')} \\(ABI ${electronAbi}\\)`));
  assert.match(said, new RegExp(`resources/app\\.asar\\.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3\\.node: ABI ${process.versions.modules}, Node 20`));
  assert.match(said, /Run `npm run dist` \(it rebuilds them for Electron first/);
  const executables = filesUnder(output).filter((f) => path.basename(f) === 'fieldbook');
  assert.equal(executables.length, 1, `the app folder was laid out before the hook refused: ${executables.join(', ')}`);
  for (const executable of executables)
    assert.ok(fs.readFileSync(executable).includes(`${FUSE_SENTINEL}\x01\x08${DEFAULT_WIRE}`), 'a refused package never got its fuses flipped either');
});

describe('the packaged app (electron-builder dir target)', { timeout: 240_000 }, () => {
  let packaged: Packaged;
  before(() => {
    packaged = buildDirTarget();
    // A build running in the same checkout meanwhile (tsc rewrites every file) can leave a half-written copy: once more.
    if (packedDifferences(packaged).length > 0) packaged = buildDirTarget();
  });

  test("better-sqlite3's native module is unpacked beside the archive", () => {
    const natives = filesUnder(path.join(packaged.resources, 'app.asar.unpacked')).filter((f) => f.endsWith('.node'));
    assert.deepEqual(
      natives.map((f) => path.relative(packaged.resources, f).split(path.sep).join('/')),
      ['app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'],
    );
    assert.ok(packaged.entries.includes('node_modules/better-sqlite3/lib/index.js'), 'its JavaScript stays in the archive');
  });

  test("the packaged executable has Electron's fuses set: no RunAsNode, NODE_OPTIONS or --inspect, the app only from app.asar, cookies encrypted", () => {
    const executable = fs.readFileSync(path.join(packaged.appOutDir, 'fieldbook'));
    const at = executable.indexOf(FUSE_SENTINEL);
    assert.ok(at > 0, 'the fuse wire is in the packaged executable');
    const wire = executable.subarray(at + FUSE_SENTINEL.length);
    assert.deepEqual([wire[0], wire[1]], [1, FUSES.length], 'fuse wire version 1, all fuses');
    const states = Object.fromEntries(FUSES.map((name, i) => [name, String.fromCharCode(wire[2 + i]!)]));
    assert.deepEqual(
      states,
      {
        RunAsNode: '0',
        EnableCookieEncryption: '1',
        EnableNodeOptionsEnvironmentVariable: '0',
        EnableNodeCliInspectArguments: '0',
        EnableEmbeddedAsarIntegrityValidation: '0',
        OnlyLoadAppFromAsar: '1',
        LoadBrowserProcessSpecificV8Snapshot: '0',
        GrantFileProtocolExtraPrivileges: '1',
      },
      "the five fuses electron-builder.yml sets are flipped; the others keep Electron's defaults",
    );
  });

  test('the migrations and their manifest sit at resources/migrations, matching their checksums', () => {
    const dir = path.join(packaged.resources, 'migrations');
    const manifestText = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    assert.equal(manifestText, fs.readFileSync(path.join(REPO_ROOT, 'dist', 'migrations', 'manifest.json'), 'utf8'), "the build's compiled manifest");
    const manifest = JSON.parse(manifestText) as Manifest;
    const listed = manifest.migrations.map((m) => m.file);
    assert.ok(listed.length >= 6, 'every migration is listed');
    assert.deepEqual(Object.keys(manifest.files).sort(), [...listed].sort(), 'a checksum for every migration');
    for (const file of listed) {
      const content = fs.readFileSync(path.join(dir, file));
      assert.equal(sha256(content), manifest.files[file], `${file} matches its checksum`);
    }
    assert.deepEqual(fs.readdirSync(dir).sort(), ['manifest.json', ...listed].sort(), 'nothing else (no source maps, no declarations)');
  });

  test('the archive holds the compiled app and its production dependencies, not tests, sources or dev tools', () => {
    const entries = new Set(packaged.entries);
    for (const needed of [
      'package.json',
      'dist/main/electron/entry.js',
      'dist/main/electron/main.js',
      'dist/main/electron/preload.js',
      'dist/main/app/job-entry.js',
      'dist/main/index.js',
      'node_modules/sequelize/package.json',
      'node_modules/umzug/package.json',
      'node_modules/@fieldbook/engine/package.json',
      'node_modules/@fieldbook/engine/dist/index.js',
      'node_modules/@fieldbook/engine/dist/lazy-index.js',
      'node_modules/@fieldbook/engine/dist/batch/upgrade-worker.js',
    ])
      assert.ok(entries.has(needed), `${needed} is packed`);
    const engineFiles = packaged.entries.filter((e) => e.startsWith('node_modules/@fieldbook/engine/') && path.extname(e));
    assert.deepEqual(
      engineFiles.filter((e) => !/^node_modules\/@fieldbook\/engine\/(package\.json|dist\/.+\.js)$/.test(e)),
      [],
      'of the engine package only its package.json and compiled JavaScript (no sources, tests, declarations, maps or docs)',
    );
    const asar = asarArchiver();
    const links = packaged.entries.filter((e) => 'link' in (asar.statFile(packaged.archive, e, false) as object));
    assert.deepEqual(links, [], 'no symbolic link in the archive (the workspace link is copied as files, nothing points outside the app)');
    assert.deepEqual(linksUnder(packaged.resources), [], 'nor beside it (app.asar.unpacked, migrations)');
    const packagedJson = JSON.parse(asarArchiver().extractFile(packaged.archive, 'package.json').toString('utf8')) as { main: string; name: string };
    assert.equal(packagedJson.main, 'dist/main/electron/entry.js');
    assert.ok(entries.has(packagedJson.main), 'the Electron entry named by package.json is packed');
    if (fs.existsSync(path.join(REPO_ROOT, 'dist', 'renderer', 'index.html'))) assert.ok(entries.has('dist/renderer/index.html'), 'the built renderer is packed');
    assert.deepEqual(packedDifferences(packaged), [], 'the packed files are the built ones (unless dist/ was rebuilt while packing)');

    const forbidden: [RegExp, string][] = [
      [/^dist\/(test|bench|scripts)(\/|$)/, 'compiled tests, benchmarks or build scripts'],
      [/\.test\.js$/, 'a test file'],
      [/^(test|bench|scripts|main|migrations|renderer|docs|build|release)\//, 'a source or build-resource folder'],
      [/^dist\/migrations\//, 'a second copy of the migrations (they live in resources/migrations)'],
      [/^(?!node_modules\/).*\.(ts|tsx|map)$/, 'TypeScript sources, declarations or source maps'],
      [/^node_modules\/better-sqlite3\/(deps|src)\//, "better-sqlite3's C sources"],
      [/^node_modules\/sqlite3\//, 'the sqlite3 package (a second SQLite)'],
    ];
    const devDependencies = Object.keys((JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies)
      // @types/node is also a production dependency of sequelize and umzug; node-abi (build/native-abi.js) of better-sqlite3's prebuild-install.
      .filter((name) => !name.startsWith('@types/') && name !== 'node-abi');
    for (const name of devDependencies) forbidden.push([new RegExp(`^node_modules/${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/`), `the dev dependency ${name}`]);
    for (const entry of packaged.entries) {
      for (const [pattern, what] of forbidden) assert.ok(!pattern.test(entry), `${what} is packed: ${entry}`);
    }
  });

  test('the engine from the packaged app, started in an unrelated folder, verifies its migrations and upgrades a 1.0 document', () => {
    const app = path.join(tempDir('fieldbook-extracted-'), 'app');
    asarArchiver().extractAll(packaged.archive, app);
    fs.cpSync(path.join(packaged.resources, 'app.asar.unpacked'), app, { recursive: true });

    const document = documentAt(1, tempDir(), 'field-season-2019.fieldbook');
    withDb(document, (db) =>
      db.exec(`
      INSERT INTO sites (id, name, lat, lon) VALUES (1, 'Ridge', 46.5, 7.9);
      INSERT INTO samples (id, site_id, code, collected, notes) VALUES (1, 1, 'R-1', '2019-06-01', 'moss');
      INSERT INTO measurements (id, sample_id, kind, value, unit) VALUES (1, 1, 'ph', '6.5', NULL);`),
    );
    const script = path.join(tempDir('fieldbook-probe-'), 'probe.js');
    fs.writeFileSync(script, PROBE);
    const backups = tempDir('fieldbook-backups-');
    const root = path.parse(process.cwd()).root;
    const run = spawnSync(process.execPath, [script, app, packaged.resources, document, backups], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', FIELDBOOK_DATA_DIR: tempDir('fieldbook-data-'), SYSTEMROOT: process.env.SYSTEMROOT ?? '' },
    });
    assert.equal(run.status, 0, `the probe failed:\n${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(report.cwd, root);
    assert.equal(
      report.engine,
      path.join(fs.realpathSync(app), 'node_modules', '@fieldbook', 'engine', 'package.json'),
      'the engine is the packaged copy, not a link back to the checkout',
    );
    assert.ok(String(report.sqlite).startsWith(app + path.sep), `better-sqlite3 comes from the packaged app: ${String(report.sqlite)}`);
    assert.equal(report.dir, path.join(packaged.resources, 'migrations'));
    assert.ok((report.paths as string[]).every((p) => p.startsWith(path.join(packaged.resources, 'migrations') + path.sep)));
    assert.deepEqual([report.from, report.to, report.head, report.status], [1, 6, 6, 'current']);
    assert.deepEqual(report.applied, ['0002-tags', '0003-numeric-values', '0004-instruments-dates', '0005-attachments-unique-codes', '0006-search-checked-values']);
    assert.deepEqual(rows(document, 'SELECT code, description, collected_on FROM samples'), [{ code: 'R-1', description: 'moss', collected_on: '2019-06-01' }]);
    assert.deepEqual(rows(document, 'SELECT value FROM measurements'), [{ value: 6.5 }]);
  });
});

/**
 * Runs in a child process with the working directory at the file-system root: loads the engine
 * from the extracted app and uses only the packaged resources folder as its root, as main.ts
 * does with `process.resourcesPath`.
 */
const PROBE = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [app, resources, document, backups] = process.argv.slice(2);
const fieldbook = require(path.join(app, 'dist', 'main', 'index.js'));
const set = fieldbook.loadBundledMigrations({ roots: [resources] });
set.verify();
const engine = fieldbook.fieldbookEngine({ migrations: { roots: [resources] }, backupDir: backups });
fieldbook.upgradeDocument(document, { engine, backup: false }).then((result) => {
  const after = fieldbook.classifyDocument(document, { engine });
  process.stdout.write(JSON.stringify({
    cwd: process.cwd(),
    engine: fs.realpathSync(require.resolve('@fieldbook/engine/package.json', { paths: [path.join(app, 'dist', 'main')] })),
    sqlite: require.resolve('better-sqlite3', { paths: [path.dirname(require.resolve('@fieldbook/engine', { paths: [path.join(app, 'dist', 'main')] }))] }),
    dir: set.dir, head: set.head, paths: set.migrations.map((m) => m.path),
    from: result.from, to: result.to, applied: result.applied.map((s) => s.name), status: after.status,
  }));
}, (error) => { console.error(error); process.exit(1); });
`;
