/**
 * docs/embedding.md is a tutorial that builds a second app, "Notes", on the engine package. This
 * test writes out every file the tutorial prints (the code blocks whose info string names a path
 * under `notes/`) into a fresh folder, installs the package there as an app would (node_modules
 * links: the package is reached through its exports map), and runs them: the manifest build, the
 * engine, notebooks created, opened, upgraded and adopted, upgradeMany, Sequelize through the
 * adapter, the command line, and the app's own migration tests. Neither the tutorial's files nor
 * this test import anything of Fieldbook's but the package's public entries (checked first).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Model, ModelStatic } from 'sequelize';
import {
  FieldbookError,
  classifyDocument,
  createDocument,
  createEngine,
  type CreateResult,
  type DocumentHandle,
  type Engine,
  type EngineOptions,
  type UpgradeManySummary,
} from '@fieldbook/engine';

const REPO = path.resolve(__dirname, '..', '..');
const TUTORIAL = path.join(REPO, 'docs', 'embedding.md');
const NOTES_ID = 0x4e4f5445;
const NOTES_FILES = [
  'notes/bin/notes.js',
  'notes/migrations/0001-notes.js',
  'notes/migrations/0002-pinned.js',
  'notes/migrations/0003-titles.js',
  'notes/package.json',
  'notes/scripts/build-manifest.js',
  'notes/src/note-model.js',
  'notes/src/notebook.js',
  'notes/src/notes-engine.js',
  'notes/src/settings.js',
  'notes/test/migrations.test.js',
];

/** The files the tutorial prints: each fenced block whose info string is a language and a path under notes/. */
function tutorialFiles(): { file: string; code: string }[] {
  const files: { file: string; code: string }[] = [];
  let open: { file: string; lines: string[] } | null = null;
  for (const line of fs.readFileSync(TUTORIAL, 'utf8').split('\n')) {
    if (open) {
      if (/^```\s*$/.test(line)) {
        files.push({ file: open.file, code: `${open.lines.join('\n')}\n` });
        open = null;
      } else open.lines.push(line);
    } else {
      const start = /^```\w+ (notes\/\S+)\s*$/.exec(line);
      if (start) open = { file: start[1]!, lines: [] };
    }
  }
  return files;
}

interface Notebook {
  handle: DocumentHandle;
  Note: ModelStatic<Model>;
}
/** The Notes app, loaded from the files the tutorial prints. */
interface NotesApp {
  dir: string;
  buildOutput: string;
  notesEngine(overrides?: Partial<EngineOptions>): Engine;
  newNotebook(file: string, engine: Engine): CreateResult;
  openNotebook(file: string, engine: Engine): Promise<Notebook>;
  addNote(Note: ModelStatic<Model>, body: string): Promise<Model>;
  upgradeAll(paths: string[], engine: Engine): Promise<UpgradeManySummary>;
  openSettings(file: string): Promise<{ Recent: ModelStatic<Model>; close(): Promise<void> }>;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'notes-tutorial-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let loaded: NotesApp | undefined;

/** Writes the tutorial's files into `root`, links the packages it depends on, builds its manifest (once). */
function notesApp(): NotesApp {
  if (loaded) return loaded;
  for (const { file, code } of tutorialFiles()) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), code);
  }
  const dir = path.join(root, 'notes');
  const link = (name: string, target: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, 'node_modules', name)), { recursive: true });
    fs.symlinkSync(target, path.join(dir, 'node_modules', name), 'junction');
  };
  link('@fieldbook/engine', path.join(REPO, 'main', 'engine'));
  for (const name of ['better-sqlite3', 'sequelize']) link(name, fs.realpathSync(path.join(REPO, 'node_modules', name)));
  const build = spawnSync(process.execPath, ['scripts/build-manifest.js'], { cwd: dir, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const load = <T>(file: string) => require(path.join(dir, file)) as T;
  loaded = {
    dir,
    buildOutput: build.stdout,
    ...load<Pick<NotesApp, 'notesEngine'>>('src/notes-engine.js'),
    ...load<Pick<NotesApp, 'newNotebook' | 'openNotebook' | 'addNote' | 'upgradeAll'>>('src/notebook.js'),
    ...load<Pick<NotesApp, 'openSettings'>>('src/settings.js'),
  };
  return loaded;
}

/** A fresh folder inside this test's temporary root. */
function temp(name: string): string {
  return fs.mkdtempSync(path.join(root, `${name}-`));
}

/** A Notes 0.x file: the notes table of version 1, written by plain better-sqlite3, no versioning at all. */
function notes0x(file: string, bodies: string[]): string {
  const db = new Database(file);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  for (const body of bodies) db.prepare('INSERT INTO notes (body) VALUES (?)').run(body);
  db.close();
  return file;
}

/** Another app ("Tasks") on the same migrations: its documents are not Notes notebooks. */
function tasksEngine(app: NotesApp): Engine {
  return createEngine({
    applicationId: 0x5441534b,
    versionTable: 'tasks_migrations',
    appName: 'Tasks',
    appVersion: '1.0.0',
    migrations: { dir: path.join(app.dir, 'migrations') },
    documentExtension: '.notes',
  });
}

function rows<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

test('the tutorial prints every file of the Notes app, and they and this test import only the public entries', () => {
  const files = tutorialFiles();
  assert.deepEqual(files.map((f) => f.file).sort(), NOTES_FILES);
  const allowed = /^(node:.+|@fieldbook\/engine(\/testing|\/tooling)?|sequelize|better-sqlite3)$/;
  const specifiers = (code: string) => [...code.matchAll(/\brequire\(\s*'([^']+)'\s*\)|\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  const outside: string[] = [];
  for (const { file, code } of files.filter((f) => f.file.endsWith('.js'))) {
    for (const s of specifiers(code)) {
      const inApp = s.startsWith('.') && !path.posix.relative('notes', path.posix.join(path.posix.dirname(file), s)).startsWith('..');
      if (!allowed.test(s) && !inApp) outside.push(`${file}: ${s}`);
    }
  }
  const own = specifiers(fs.readFileSync(path.join(REPO, 'test', 'embedding.test.ts'), 'utf8'));
  assert.ok(own.includes('@fieldbook/engine'), 'the check reads this test');
  outside.push(...own.filter((s) => !allowed.test(s)).map((s) => `test/embedding.test.ts: ${s}`));
  assert.deepEqual(outside, []);
});

test('Notes builds its manifest, then creates, opens, upgrades and adopts notebooks through its own engine', async () => {
  const app = notesApp();
  assert.equal(app.buildOutput.trim(), 'manifest: 0001-notes, 0002-pinned, 0003-titles');
  const dir = temp('notebooks');
  const backupDir = path.join(dir, 'backups');
  const engine = app.notesEngine({ backupDir });

  const first = path.join(dir, 'first.notes');
  assert.deepEqual(app.newNotebook(first, engine), { path: first, version: 3 });
  assert.deepEqual([classifyDocument(first, { engine }).status, rows<{ application_id: number }>(first, 'PRAGMA application_id')[0]], ['current', { application_id: NOTES_ID }]);
  const opened = await app.openNotebook(first, engine);
  try {
    assert.deepEqual([opened.handle.readOnly, opened.handle.upgrade], [false, null]);
    const note = await app.addNote(opened.Note, 'Shopping\nmilk');
    assert.deepEqual([note.get('title'), note.get('pinned')], ['Shopping', false]);
    assert.equal(await opened.Note.count(), 1);
  } finally {
    opened.handle.close();
  }

  const old = path.join(dir, 'old.notes');
  createDocument(old, { engine, at: 1 });
  const db = new Database(old);
  db.prepare('INSERT INTO notes (body) VALUES (?)').run('Call Ann\nabout the trip');
  db.close();
  const upgraded = await app.openNotebook(old, engine);
  try {
    const upgrade = upgraded.handle.upgrade!;
    assert.deepEqual([upgrade.from, upgrade.to, upgrade.applied.map((s) => s.name)], [1, 3, ['0002-pinned', '0003-titles']]);
    assert.ok(upgrade.backup?.startsWith(backupDir) && fs.existsSync(upgrade.backup), `backup at ${upgrade.backup}`);
    const note = await upgraded.Note.findOne();
    assert.deepEqual([note?.get('title'), note?.get('pinned')], ['Call Ann', false]);
  } finally {
    upgraded.handle.close();
  }
  assert.deepEqual(
    rows<{ name: string }>(old, 'SELECT name FROM notes_migrations ORDER BY version').map((r) => r.name),
    ['0001-notes', '0002-pinned', '0003-titles'],
  );

  const legacy = notes0x(path.join(dir, 'from-0.4.notes'), ['Ideas\nmore']);
  assert.equal(classifyDocument(legacy, { engine }).status, 'legacy');
  const adopted = await app.openNotebook(legacy, engine);
  adopted.handle.close();
  assert.deepEqual([adopted.handle.upgrade?.adopted, adopted.handle.upgrade?.to, classifyDocument(legacy, { engine }).status], [true, 3, 'current']);

  const tasks = tasksEngine(app);
  const tasksFile = path.join(dir, 'tasks.notes');
  createDocument(tasksFile, { engine: tasks });
  const before = fs.readFileSync(tasksFile);
  assert.deepEqual([classifyDocument(tasksFile, { engine }).status, classifyDocument(first, { engine: tasks }).status], ['foreign', 'foreign']);
  await assert.rejects(app.openNotebook(tasksFile, engine), (e) => e instanceof FieldbookError && e.code === 'NOT_A_FIELDBOOK');
  assert.deepEqual(fs.readFileSync(tasksFile), before, "another app's document is left as it was");
  const plain = notes0x(path.join(dir, 'not-notes.notes'), []);
  const other = new Database(plain);
  other.exec('CREATE TABLE other (x)');
  other.close();
  await assert.rejects(app.openNotebook(plain, engine), (e) => e instanceof FieldbookError && e.code === 'UNKNOWN_SCHEMA');
});

test('upgradeAll upgrades every notebook in a folder in worker threads and skips other files', async () => {
  const app = notesApp();
  const dir = temp('folder');
  const engine = app.notesEngine({ backupDir: path.join(temp('folder-backups'), 'backups') });
  fs.mkdirSync(path.join(dir, 'archive'));
  createDocument(path.join(dir, 'one.notes'), { engine, at: 1 });
  createDocument(path.join(dir, 'archive', 'two.notes'), { engine, at: 2 });
  createDocument(path.join(dir, 'current.notes'), { engine });
  notes0x(path.join(dir, 'archive', 'beta.notes'), ['old']);
  createDocument(path.join(dir, 'tasks.notes'), { engine: tasksEngine(app) });
  fs.writeFileSync(path.join(dir, 'readme.txt'), 'not a notebook');
  const summary = await app.upgradeAll([dir], engine);
  assert.deepEqual([summary.ok, summary.totals], [true, { upgraded: 3, current: 1, skipped: 1, failed: 0 }], JSON.stringify(summary.files));
  assert.ok(summary.workers >= 1);
  for (const f of summary.files.filter((x) => x.outcome === 'upgraded')) assert.equal(classifyDocument(f.path, { engine }).status, 'current');
  assert.equal(
    summary.files.some((f) => f.path.endsWith('readme.txt')),
    false,
    'only *.notes files are looked at',
  );
});

test("Sequelize runs on a database of the app's own through betterSqlite3Dialect()", async () => {
  const app = notesApp();
  const file = path.join(temp('settings'), 'settings.db');
  const openedAt = new Date('2026-01-02T03:04:05.000Z');
  const settings = await app.openSettings(file);
  await settings.Recent.create({ path: '/home/ann/first.notes', openedAt });
  await settings.close();
  const again = await app.openSettings(file);
  try {
    const recent = await again.Recent.findAll();
    assert.deepEqual(
      recent.map((r) => [r.get('path'), (r.get('openedAt') as Date).toISOString()]),
      [['/home/ann/first.notes', openedAt.toISOString()]],
    );
  } finally {
    await again.close();
  }
  assert.deepEqual(rows(file, 'SELECT count(*) AS n FROM recent'), [{ n: 1 }]);
});

test('the Notes CLI is a thin adapter: JSON results, one-line errors, exit codes', () => {
  const app = notesApp();
  const dir = temp('cli');
  const notes = (...args: string[]) => {
    const run = spawnSync(process.execPath, [path.join(app.dir, 'bin', 'notes.js'), ...args], { encoding: 'utf8' });
    return { status: run.status, stderr: run.stderr, json: run.stdout ? (JSON.parse(run.stdout) as Record<string, unknown>) : null };
  };
  const fresh = path.join(dir, 'fresh.notes');
  assert.deepEqual(notes('new', fresh).json, { path: fresh, version: 3 });
  assert.equal(notes('info', fresh).json?.status, 'current');
  const old = path.join(dir, 'old.notes');
  createDocument(old, { engine: app.notesEngine(), at: 1 });
  const toTwo = notes('upgrade', old, '--to', '2', '--no-backup');
  assert.deepEqual([toTwo.status, toTwo.json?.from, toTwo.json?.to, toTwo.json?.backup], [0, 1, 2, null], toTwo.stderr);
  const backups = path.join(dir, 'backups');
  const toHead = notes('upgrade', old, '--backup-dir', backups);
  assert.deepEqual([toHead.status, toHead.json?.to], [0, 3], toHead.stderr);
  assert.ok(String(toHead.json?.backup).startsWith(backups));

  const tasksFile = path.join(dir, 'tasks.notes');
  createDocument(tasksFile, { engine: tasksEngine(app) });
  const refused = notes('upgrade', tasksFile, '--no-backup');
  assert.equal(refused.status, 3);
  assert.match(refused.stderr, /^error: NOT_A_FIELDBOOK: .*tasks\.notes belongs to another application \(application_id 0x5441534b\)\n$/);
  const batch = notes('upgrade', old, tasksFile, path.join(dir, 'missing.notes'), '--no-backup');
  assert.deepEqual([batch.status, batch.json?.ok, batch.json?.totals], [3, false, { upgraded: 0, current: 1, skipped: 1, failed: 1 }], batch.stderr);
  const badTarget = notes('upgrade', old, '--to', '9', '--no-backup');
  assert.deepEqual([badTarget.status, /^error: BAD_TARGET: /.test(badTarget.stderr)], [2, true], badTarget.stderr);
  const usage = notes('frobnicate', old);
  assert.deepEqual([usage.status, usage.stderr.startsWith('usage: notes ')], [2, true]);
});

test("Notes' own migration tests pass (createDocumentAt, migrateAndValidate)", () => {
  const app = notesApp();
  const tmp = temp('app-tmp');
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, TEMP: tmp, TMP: tmp };
  delete env.NODE_TEST_CONTEXT;
  const run = spawnSync(process.execPath, ['--test', 'test/'], { cwd: app.dir, encoding: 'utf8', env });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /# pass 2\n/);
  assert.match(run.stdout, /# fail 0\n/);
});
