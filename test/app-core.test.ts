import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { AppCore, type Shell } from '../main/app/app-core';
import { threadJobHost } from '../main/app/thread-jobs';
import type { Envelope, WindowDocument } from '../main/ipc/contract';
import { createHandlers, invoke } from '../main/ipc/handlers';
import { countClassifications } from './helpers/count-classifications';
import { documentAt, fileState, rows, tempDir, withDb } from './helpers/fixtures';
import { inThreadJobHost } from './helpers/in-thread-jobs';
import { richHeadDocument } from './helpers/rich-document';

function app(savePath: string | null = null) {
  const sent: { window: string; event: string; payload: unknown }[] = [];
  const shell: Shell = {
    chooseSavePath: async () => savePath,
    chooseOpenPaths: async () => [],
    showItemInFolder: () => {},
    openDocumentWindow: async () => {},
    send: (window, event, payload) => void sent.push({ window, event, payload }),
    jobs: threadJobHost(),
  };
  const core = new AppCore({ shell, engineSettings: { backupDir: path.join(tempDir(), 'backups') }, samplesFolder: tempDir() });
  const handlers = createHandlers(core);
  const call = <T>(window: string, operation: string, ...args: unknown[]) => invoke(handlers, { window }, operation, args) as Promise<Envelope<T>>;
  return { core, call, sent };
}

const value = <T>(e: Envelope<T>): T => {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value;
};

test('an outdated document is upgraded in a background job, with progress events, then opened for editing', async () => {
  const file = documentAt(3);
  withDb(file, (db) =>
    db.exec("INSERT INTO sites VALUES (1, 'S', 1, 1); INSERT INTO samples VALUES (1, 1, 'a', '2/3/2021', 'basalt'); INSERT INTO measurements VALUES (1, 1, 'pH', 7.5, NULL)"),
  );
  const { core, call, sent } = app();
  const id = await core.open(file, 'w1');
  const doc = value(await call<WindowDocument>('w1', 'windowDocument'));
  assert.deepEqual([doc.id, doc.state, doc.status, doc.readOnly, doc.upgraded?.from, doc.upgraded?.to], [id, 'ready', 'current', false, 3, 6]);
  assert.ok(
    sent.some((s) => s.event === 'document-changed' && (s.payload as WindowDocument).upgrading !== null),
    'progress was sent while upgrading',
  );
  const edited = value(await call<{ description: string }>('w1', 'updateSample', id, 1, { description: 'vesicular basalt' }));
  assert.equal(edited.description, 'vesicular basalt');
  const found = value(await call<{ samples: { code: string }[]; total: number }>('w1', 'listSamples', id, { search: 'vesic' }));
  assert.deepEqual([found.samples.map((s) => s.code), found.total], [['a'], 1]);
  core.closeAll();
  assert.equal(rows(file, 'SELECT description FROM samples')[0]!.description, 'vesicular basalt');
});

test('handlers validate arguments, keep windows to their own documents, and always answer with an envelope', async () => {
  const { core, call } = app();
  const id = await core.open(richHeadDocument(), 'w1');
  const bad: [string, unknown[]][] = [
    ['getSample', [id, '10']],
    ['listSamples', [id, { siteId: 'x' }]],
    ['listSamples', [id, { sql: 'DROP TABLE samples' }]],
    ['listSamples', [id, { sort: { column: 'code; DROP TABLE samples' } }]],
    ['listSamples', [id, { sort: { column: 'code', descending: 'yes' } }]],
    ['listSamples', [id, { collectedFrom: "2020' OR 1" }]],
    ['listSamples', [id, { tag: 5 }]],
    ['showLastExport', [42]],
    ['updateSample', [id, 10, { code: 5 }]],
    ['setSampleTags', [id, 10, 'sediment']],
    ['nonsense', []],
    ['listSites', [42]],
  ];
  for (const [operation, args] of bad) {
    const answer = await call('w1', operation, ...args);
    assert.equal(answer.ok, false, operation);
    assert.equal((answer as { error: { code: string } }).error.code, 'BAD_REQUEST', `${operation} ${JSON.stringify(args)}`);
  }
  const other = await call('w2', 'listSites', id);
  assert.deepEqual(other, { ok: false, error: { code: 'BAD_REQUEST', message: 'no such document in this window' } });
  const invalid = await call('w1', 'updateSample', id, 10, { code: 'R-2' });
  // The refusal names the form field it is about: the code (the site is not typed in the form).
  assert.deepEqual((invalid as { error: { code: string; field?: string } }).error, {
    code: 'INVALID_VALUE',
    message: 'another sample at this site already has that code',
    field: 'code',
  });
  const blank = await call('w1', 'updateSample', id, 10, { code: '   ' });
  assert.deepEqual([(blank as { error: { code: string } }).error.code, (blank as { error: { field?: string } }).error.field], ['INVALID_VALUE', 'code']);
  const notYet = await call('w1', 'showLastExport', id);
  assert.equal((notYet as { error: { code: string } }).error.code, 'NOT_FOUND', 'nothing exported from this window yet');
  const missing = await call('w1', 'getSample', id, 999);
  assert.equal((missing as { error: { code: string } }).error.code, 'NOT_FOUND');
  core.closeAll();
});

test('a newer document opens read-only and refuses edits; a PNG shows an error and is never touched', async () => {
  const dir = tempDir();
  const newer = documentAt(6, dir, 'newer.fieldbook');
  withDb(newer, (db) => {
    db.exec("INSERT INTO samples (id, code) VALUES (1, 'a'); INSERT INTO fieldbook_migrations VALUES (7, '0007-future', 'x', '2030-01-01', '3.0', 1, 'migrate')");
    db.pragma('user_version = 7');
  });
  const png = path.join(dir, 'photo.fieldbook');
  fs.writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'));
  const before = fileState(png);
  const { core, call } = app();
  const id = await core.open(newer, 'w1');
  const doc = value(await call<WindowDocument>('w1', 'windowDocument'));
  assert.deepEqual([doc.state, doc.status, doc.readOnly], ['ready', 'newer', true]);
  assert.match(doc.readOnlyReason ?? '', /newer/);
  const refused = await call('w1', 'updateSample', id, 1, { description: 'x' });
  assert.equal((refused as { error: { code: string } }).error.code, 'READ_ONLY_DOCUMENT');
  await core.open(png, 'w2');
  const failed = value(await call<WindowDocument>('w2', 'windowDocument'));
  assert.deepEqual([failed.state, failed.error?.code], ['failed', 'NOT_SQLITE']);
  assert.ok(failed.error!.advice.length > 20);
  assert.ok(!failed.error!.message.includes(dir), 'no folder paths reach the renderer');
  assert.deepEqual(fileState(png), before);
  core.closeAll();
});

test('an export runs as a job with progress events and can be cancelled', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'subset.fieldbook');
  const { core, call, sent } = app(out);
  const id = await core.open(richHeadDocument(dir), 'w1');
  const outcome = value(await call<{ name: string; counts: Record<string, number> }>('w1', 'exportSubset', id, { siteIds: [1] }, 'job-1'));
  assert.deepEqual([outcome.name, outcome.counts.samples], ['subset.fieldbook', 2]);
  assert.ok(fs.existsSync(out));
  assert.ok(sent.some((s) => s.event === 'job-progress'));
  const version = value(await call<{ version: number; lost: unknown[] }>('w1', 'exportForVersion', id, 4, 'job-2'));
  assert.equal(version.version, 4);
  const { core: cancelling, call: callCancelling } = app(path.join(dir, 'cancelled.fieldbook'));
  const id2 = await cancelling.open(richHeadDocument(dir, 'second.fieldbook'), 'w1');
  const running = callCancelling('w1', 'exportSubset', id2, {}, 'job-3');
  await callCancelling('w1', 'cancelJob', 'job-3');
  const answer = await running;
  if (!answer.ok) assert.equal(answer.error.code, 'ABORTED');
  assert.equal(fs.existsSync(path.join(dir, 'cancelled.fieldbook')), answer.ok, 'a cancelled export leaves no file');
  core.closeAll();
  cancelling.closeAll();
});

test("exporting onto an open notebook (its own or another window's) is refused with SAME_FILE; the notebook stays intact and open", async () => {
  const dir = tempDir();
  const own = richHeadDocument(dir, 'My "Field" Notes.fieldbook');
  const other = richHeadDocument(dir, 'other window.fieldbook');
  let answer: string | null = null;
  const sent: unknown[] = [];
  const core = new AppCore({
    shell: {
      chooseSavePath: async () => answer,
      chooseOpenPaths: async () => [],
      showItemInFolder: () => {},
      openDocumentWindow: async () => {},
      send: (_w, _e, p) => void sent.push(p),
      jobs: threadJobHost(),
    },
    engineSettings: { backupDir: path.join(tempDir(), 'backups') },
    samplesFolder: tempDir(),
  });
  const handlers = createHandlers(core);
  const call = <T>(window: string, operation: string, ...args: unknown[]) => invoke(handlers, { window }, operation, args) as Promise<Envelope<T>>;
  const id = await core.open(own, 'w1');
  await core.open(other, 'w2');
  const before = [fileState(own), fileState(other)];
  const spellings = [own, path.join(dir, '.', path.basename(own)), path.join(dir, 'x', '..', path.basename(own)), other];
  fs.symlinkSync(own, path.join(dir, 'link.fieldbook'));
  spellings.push(path.join(dir, 'link.fieldbook'));
  for (const destination of spellings) {
    answer = destination;
    for (const [operation, args] of [
      ['exportForVersion', [id, 1]],
      ['exportSubset', [id, { siteIds: [1] }]],
    ] as const) {
      const refused = await call('w1', operation, ...args, `job-${operation}-${destination}`);
      assert.equal(refused.ok, false, `${operation} onto ${destination}`);
      const error = (refused as { error: { code: string; message: string } }).error;
      assert.equal(error.code, 'SAME_FILE', `${operation} onto ${destination}: ${error.message}`);
      assert.match(error.message, /open notebook.*Choose another name/);
      assert.ok(!error.message.includes(dir), 'no folder paths reach the renderer');
    }
  }
  assert.deepEqual([fileState(own), fileState(other)], before, 'neither notebook changed');
  const edited = value(await call<{ description: string }>('w1', 'updateSample', id, 10, { description: 'still the open file' }));
  assert.equal(edited.description, 'still the open file');
  core.closeAll();
  assert.equal(rows(own, 'SELECT description FROM samples WHERE id = 10')[0]!.description, 'still the open file', 'edits went to the file on disk');
  assert.equal(rows(own, 'PRAGMA user_version')[0]!.user_version, 6);
});

test('an existing file the save dialog asked about is replaced; the Electron dialog is told to ask on Linux too', async () => {
  const dir = tempDir();
  const existing = path.join(dir, 'older export.fieldbook');
  fs.writeFileSync(existing, 'an old export the user agreed to replace');
  const { core, call } = app(existing);
  const id = await core.open(richHeadDocument(dir), 'w1');
  const outcome = value(await call<{ version: number }>('w1', 'exportForVersion', id, 2, 'job-replace'));
  assert.equal(outcome.version, 2);
  assert.equal(rows(existing, 'PRAGMA user_version')[0]!.user_version, 2);
  core.closeAll();
  const shellSource = fs.readFileSync(path.join(__dirname, '..', '..', 'main', 'electron', 'main.ts'), 'utf8');
  const chooser = shellSource.slice(shellSource.indexOf('async chooseSavePath'), shellSource.indexOf('showItemInFolder:'));
  assert.match(chooser, /showOverwriteConfirmation/, 'chooseSavePath asks the dialog to confirm overwriting');
});

test('opening a current, an outdated or a newer document classifies it once; the upgrade job adds only its check under the write lock', async () => {
  const dir = tempDir();
  const current = documentAt(6, dir, 'current.fieldbook');
  const outdated = documentAt(3, dir, 'outdated.fieldbook');
  const newer = documentAt(6, dir, 'newer.fieldbook');
  withDb(newer, (db) => {
    db.exec("INSERT INTO fieldbook_migrations VALUES (7, '0007-future', 'x', '2030-01-01', '3.0', 1, 'migrate')");
    db.pragma('user_version = 7');
  });
  const jobs = inThreadJobHost();
  const core = new AppCore({
    shell: { chooseSavePath: async () => null, chooseOpenPaths: async () => [], showItemInFolder: () => {}, openDocumentWindow: async () => {}, send: () => {}, jobs },
    engineSettings: { backupDir: path.join(tempDir(), 'backups') },
    samplesFolder: tempDir(),
  });
  const opened: Record<string, { status: string | null; outside: string[]; inJob: string[] }> = {};
  for (const [label, file] of [
    ['current', current],
    ['outdated', outdated],
    ['newer', newer],
  ] as const) {
    const { value: id, calls } = await countClassifications(
      () => core.open(file, label),
      () => jobs.running,
    );
    assert.ok(
      calls.every((c) => c.file === file),
      `${label}: every classification is of the document, by its resolved path`,
    );
    opened[label] = {
      status: core.windowDocument(label).status,
      outside: calls.filter((c) => !c.during).map((c) => c.name),
      // The background check for damage (a quick_check classification, issue 10) is not part of the open.
      inJob: calls.filter((c) => c.during && c.name !== 'classifyDocument').map((c) => c.name),
    };
    assert.equal(core.windowDocument(label).id, id);
  }
  assert.deepEqual(
    Object.values(opened).map((o) => o.status),
    ['current', 'current', 'newer'],
  );
  for (const [label, o] of Object.entries(opened)) assert.deepEqual(o.outside, ['classifyForReading'], `${label}: the open path classifies once, and nothing else in the app does`);
  assert.deepEqual([opened.current!.inJob, opened.newer!.inJob], [[], []], 'no job for a document that needs no upgrade');
  // The open's classification travels with the job: the upgrade only re-checks under its write lock.
  assert.deepEqual(opened.outdated!.inJob, ['inspectDocument'], 'the upgrade job re-checks the document under its write lock and classifies nothing else');
  assert.equal(core.session('outdated', core.windowDocument('outdated').id).handle.classification.version, 6);
  core.closeAll();
});

test('a writable notebook is checked for damage in the background once per content: verified, remembered, checked again after a change', async () => {
  const file = richHeadDocument(tempDir());
  const states = path.join(tempDir(), 'verified-notebooks.json');
  let started = 0;
  const jobs = threadJobHost();
  const shell: Shell = {
    chooseSavePath: async () => null,
    chooseOpenPaths: async () => [],
    showItemInFolder: () => {},
    openDocumentWindow: async () => {},
    send: () => {},
    jobs: {
      start: () => {
        started++;
        return jobs.start();
      },
    },
  };
  const core = new AppCore({ shell, engineSettings: { backupDir: path.join(tempDir(), 'backups') }, verifiedStatesFile: states, samplesFolder: tempDir() });
  const settled = async (window: string) => {
    for (let i = 0; i < 200 && core.windowDocument(window).check !== 'verified' && core.windowDocument(window).check !== 'damaged'; i++)
      await new Promise((r) => setTimeout(r, 25));
    return core.windowDocument(window);
  };
  const first = await core.open(file, 'w1');
  assert.equal((await settled('w1')).check, 'verified');
  assert.equal(started, 1, 'one background check');
  assert.ok(Object.keys(JSON.parse(fs.readFileSync(states, 'utf8')) as object).includes(file), 'remembered');
  core.close(first);
  const second = await core.open(file, 'w2');
  assert.equal((await settled('w2')).check, 'verified');
  assert.equal(started, 1, 'the same content is not checked again');
  core.close(second);
  withDb(file, (db) => db.exec("UPDATE samples SET description = 'changed' WHERE id = (SELECT min(id) FROM samples)"));
  const third = await core.open(file, 'w3');
  assert.equal((await settled('w3')).check, 'verified');
  assert.equal(started, 2, 'a changed file is checked again');
  core.close(third);
});

test('a damaged notebook: edits are refused after its check; the latest backup opens in a new window; salvage writes a new notebook', async () => {
  const dir = tempDir();
  const file = documentAt(3, dir, 'old notes.fieldbook');
  withDb(file, (db) => db.exec("INSERT INTO sites VALUES (1, 'S', 1, 1); INSERT INTO samples VALUES (1, 1, 'a', '2/3/2021', 'basalt')"));
  const opened: string[] = [];
  const salvageTo = path.join(dir, 'rescued.fieldbook');
  const backupDir = path.join(tempDir(), 'backups');
  const shell: Shell = {
    chooseSavePath: async () => salvageTo,
    chooseOpenPaths: async () => [],
    showItemInFolder: () => {},
    openDocumentWindow: async (f) => void opened.push(f),
    send: () => {},
    jobs: threadJobHost(),
  };
  const core = new AppCore({ shell, engineSettings: { backupDir }, samplesFolder: tempDir() });
  const id = await core.open(file, 'w1');
  for (let i = 0; i < 200 && core.windowDocument('w1').check !== 'verified'; i++) await new Promise((r) => setTimeout(r, 25));
  core.close(id);
  // Damage the (now upgraded, backed-up) notebook where only a check sees it, and open it again.
  const pages = rows(file, "SELECT pageno FROM dbstat WHERE name = 'samples' AND pagetype = 'leaf'").map((r) => r.pageno as number);
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(200, 0xff), 0, 200, (pages[0]! - 1) * 4096 + 8);
  fs.closeSync(fd);
  const again = await core.open(file, 'w2');
  for (let i = 0; i < 200 && core.windowDocument('w2').check !== 'damaged'; i++) await new Promise((r) => setTimeout(r, 25));
  const view = core.windowDocument('w2');
  assert.deepEqual([view.check, view.readOnly], ['damaged', true]);
  assert.match(view.damage ?? '', /damaged/);
  await assert.rejects(core.session('w2', again).updateSample(1, { description: 'x' }), (e: unknown) => (e as { code?: string }).code === 'READ_ONLY_DOCUMENT');
  await core.openLatestBackup('w2', again);
  assert.equal(opened.length, 1);
  assert.match(path.basename(opened[0]!), /^old notes\.v3\..*\.fieldbook$/, 'the backup taken before the upgrade');
  const outcome = await core.exports.salvage('w2', again, 'job-1');
  assert.equal(outcome?.name, 'rescued.fieldbook');
  assert.ok(fs.existsSync(salvageTo));
  core.closeAll();
});
