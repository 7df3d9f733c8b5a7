/**
 * Attachments from files (issue 11, item 2): attached in one edit (one undo step), stored as the
 * spec says (filename, mime, data, sha256), previewed by their bytes, saved out as copies that
 * never land on a notebook. Real files and a real notebook, through the app core and its handlers.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { AppCore, type Shell } from '../main/app/app-core';
import { ATTACHMENT_MAX_BYTES, PREVIEW_MAX_BYTES } from '../main/app/attachment-files';
import { threadJobHost } from '../main/app/thread-jobs';
import type { AttachmentContent, Envelope, SampleDetail } from '../main/ipc/contract';
import { createHandlers, invoke } from '../main/ipc/handlers';
import { documentAt, fileState, rows, tempDir, withDb } from './helpers/fixtures';
import { pdfBytes } from './helpers/pdf';
import { pngBytes } from './helpers/png';
import { richHeadDocument } from './helpers/rich-document';

function app() {
  const openAnswers: string[][] = [];
  const saveAnswers: (string | null)[] = [];
  const asked: { title: string; multiple?: boolean }[] = [];
  const shell: Shell = {
    chooseSavePath: async () => saveAnswers.shift() ?? null,
    chooseOpenPaths: async (_window, options) => {
      asked.push(options);
      return openAnswers.shift() ?? [];
    },
    showItemInFolder: () => {},
    openDocumentWindow: async () => {},
    send: () => {},
    jobs: threadJobHost(),
  };
  const core = new AppCore({ shell, engineSettings: { backupDir: path.join(tempDir(), 'backups') }, samplesFolder: tempDir() });
  const handlers = createHandlers(core);
  const call = <T>(operation: string, ...args: unknown[]) => invoke(handlers, { window: 'w1' }, operation, args) as Promise<Envelope<T>>;
  return { core, call, openAnswers, saveAnswers, asked };
}

const value = <T>(e: Envelope<T>): T => {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value;
};
const failure = (e: Envelope<unknown>) => (e.ok ? null : e.error);
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function files(dir: string) {
  const photo = path.join(dir, 'outcrop photo.png');
  const scan = path.join(dir, "field sheet (Ann's).pdf");
  const notes = path.join(dir, 'notes.txt');
  fs.writeFileSync(photo, pngBytes(32));
  fs.writeFileSync(scan, pdfBytes(3));
  fs.writeFileSync(notes, 'pH 7,1 — taken at dawn\n\0 after a NUL? no: text only\n'.replace('\0', ''));
  return { photo, scan, notes };
}

test('files attach in one edit with the bytes, type and SHA-256 the spec asks for; one undo removes them all, redo brings back the same bytes', async () => {
  const dir = tempDir();
  const file = richHeadDocument();
  const { photo, scan, notes } = files(dir);
  const { core, call, openAnswers, asked } = app();
  const id = await core.open(file, 'w1');
  openAnswers.push([photo, scan, notes]);
  const sample = value(await call<SampleDetail>('attachFiles', id, 11));
  assert.equal(asked[0]!.multiple, true);
  assert.deepEqual(
    sample.attachments.map((a) => [a.filename, a.mime, a.bytes]),
    [
      ['outcrop photo.png', 'image/png', fs.statSync(photo).size],
      ["field sheet (Ann's).pdf", 'application/pdf', fs.statSync(scan).size],
      ['notes.txt', 'text/plain', fs.statSync(notes).size],
    ],
  );
  const stored = rows(file, 'SELECT filename, data, sha256 FROM attachments WHERE sample_id = 11 ORDER BY id');
  for (const [row, source] of stored.map((r, i) => [r, [photo, scan, notes][i]!] as const)) {
    assert.deepEqual(row.data, fs.readFileSync(source), `${row.filename} is stored byte for byte`);
    assert.equal(row.sha256, sha(fs.readFileSync(source)));
  }
  const state = value(await call<{ undo: string }>('undoState', id));
  assert.equal(state.undo, 'Attach 3 files to sample R-2');
  value(await call('undo', id));
  assert.equal(rows(file, 'SELECT count(*) AS n FROM attachments WHERE sample_id = 11')[0]!.n, 0);
  value(await call('redo', id));
  assert.deepEqual(rows(file, 'SELECT filename, data, sha256 FROM attachments WHERE sample_id = 11 ORDER BY id'), stored);
  // Cancelling the dialog changes nothing.
  assert.equal(value(await call('attachFiles', id, 11)), null);
  core.closeAll();
});

test('a file too large, a folder or a file that is gone attaches nothing, not even the good files chosen with it', async () => {
  const dir = tempDir();
  const file = richHeadDocument();
  const { photo } = files(dir);
  const big = path.join(dir, 'survey.tif');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, ATTACHMENT_MAX_BYTES + 1);
  const { core, call, openAnswers } = app();
  const id = await core.open(file, 'w1');
  const before = rows(file, 'SELECT id FROM attachments ORDER BY id');
  for (const [chosen, code, field] of [
    [[photo, big], 'INVALID_VALUE', 'file'],
    [[photo, dir], 'INVALID_VALUE', 'file'],
    [[photo, path.join(dir, 'gone.jpg')], 'NOT_FOUND', undefined],
  ] as const) {
    openAnswers.push([...chosen]);
    const refused = failure(await call('attachFiles', id, 10));
    assert.equal(refused?.code, code, String(chosen));
    assert.equal(refused?.field, field);
    assert.ok(!refused!.message.includes(dir), 'the message names the file, not its folder');
  }
  assert.match(
    failure(
      await (async () => {
        openAnswers.push([big]);
        return call('attachFiles', id, 10);
      })(),
    )!.message,
    /survey\.tif is too large to attach \(100 MB; files up to 100 MB can be attached\)/,
  );
  assert.deepEqual(rows(file, 'SELECT id FROM attachments ORDER BY id'), before);
  assert.equal(failure(await call('attachFiles', id, 999))?.code, 'NOT_FOUND', 'no dialog for a sample that does not exist');
  core.closeAll();
});

test('a notebook open read-only refuses attaching and removing', async () => {
  const dir = tempDir();
  const newer = documentAt(6, dir, 'newer.fieldbook');
  withDb(newer, (db) => {
    db.exec("INSERT INTO samples (id, code) VALUES (1, 'a'); INSERT INTO attachments VALUES (1, 1, 'a.txt', 'text/plain', x'41', 'x')");
    db.exec("INSERT INTO fieldbook_migrations VALUES (7, '0007-future', 'x', '2030-01-01', '3.0', 1, 'migrate')");
    db.pragma('user_version = 7');
  });
  const before = fileState(newer);
  const { core, call, openAnswers } = app();
  const id = await core.open(newer, 'w1');
  openAnswers.push([files(dir).photo]);
  assert.equal(failure(await call('attachFiles', id, 1))?.code, 'READ_ONLY_DOCUMENT');
  assert.equal(failure(await call('deleteAttachment', id, 1))?.code, 'READ_ONLY_DOCUMENT');
  assert.equal(value(await call<AttachmentContent>('attachmentContent', id, 1)).preview, 'text', 'a read-only notebook still shows its attachments');
  core.closeAll();
  assert.deepEqual(fileState(newer), before);
});

test('previews are chosen by the bytes, not the stored type; a file too large to show comes without its bytes', async () => {
  const file = richHeadDocument();
  const big = Buffer.alloc(PREVIEW_MAX_BYTES + 1, 0x41);
  withDb(file, (db) => {
    const insert = db.prepare('INSERT INTO attachments (id, sample_id, filename, mime, data, sha256) VALUES (?, 10, ?, ?, ?, ?)');
    insert.run(2000, 'mislabelled.doc', 'application/msword', pngBytes(8), 'x');
    insert.run(2001, 'scan', null, pdfBytes(1), 'x');
    insert.run(2002, 'log.csv', 'text/csv', Buffer.from('a;b\n1,5;2\n'), 'x');
    insert.run(2003, 'binary.txt', 'text/plain', Buffer.from([0x41, 0, 0x42]), 'x');
    insert.run(2004, 'latin1.txt', 'text/plain', Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'x');
    insert.run(2005, 'huge.txt', 'text/plain', big, 'x');
    insert.run(2006, 'fake.png', 'image/png', Buffer.from('<html><script>alert(1)</script>'), 'x');
    // An old notebook may hold an attachment's bytes as TEXT (the column's affinity keeps it so).
    db.exec("INSERT INTO attachments VALUES (2007, 10, 'typed.txt', 'text/plain', 'typed in, café', 'x')");
  });
  const { core, call } = app();
  const id = await core.open(file, 'w1');
  const shown = async (attachment: number) => value(await call<AttachmentContent>('attachmentContent', id, attachment));
  assert.deepEqual([(await shown(2000)).preview, (await shown(2001)).preview, (await shown(2002)).preview], ['image', 'pdf', 'text']);
  assert.deepEqual(Buffer.from((await shown(2000)).base64!, 'base64'), pngBytes(8));
  for (const attachment of [2003, 2004, 2006]) assert.deepEqual([(await shown(attachment)).preview, (await shown(attachment)).base64], [null, null], String(attachment));
  const typed = await shown(2007);
  assert.deepEqual([typed.preview, Buffer.from(typed.base64!, 'base64').toString('utf8'), typed.bytes], ['text', 'typed in, café', 15]);
  const huge = await shown(2005);
  assert.deepEqual([huge.preview, huge.base64, huge.bytes], [null, null, big.length]);
  assert.equal(failure(await call('attachmentContent', id, 424242))?.code, 'NOT_FOUND');
  core.closeAll();
});

test('saving a copy writes the same bytes where the user says, never onto an open notebook or its journal, and leaves nothing behind on a failure', async () => {
  const dir = tempDir();
  const file = richHeadDocument();
  const other = richHeadDocument();
  const { core, call, saveAnswers } = app();
  const id = await core.open(file, 'w1');
  await core.open(other, 'w2');
  const photoRow = rows(file, 'SELECT data FROM attachments WHERE id = 1000')[0]!.data as Buffer;
  saveAnswers.push(path.join(dir, 'copy.jpg'));
  assert.equal(value(await call('saveAttachment', id, 1000)), 'copy.jpg');
  assert.deepEqual(fs.readFileSync(path.join(dir, 'copy.jpg')), photoRow);
  // The dialog asked before replacing: the copy replaces the file.
  fs.writeFileSync(path.join(dir, 'old.jpg'), 'old');
  saveAnswers.push(path.join(dir, 'old.jpg'));
  value(await call('saveAttachment', id, 1000));
  assert.deepEqual(fs.readFileSync(path.join(dir, 'old.jpg')), photoRow);
  const states = [fileState(file), fileState(other)];
  for (const destination of [file, `${file}-wal`, `${file}-journal`, other, path.join(path.dirname(file), '.', path.basename(file))]) {
    saveAnswers.push(destination);
    assert.equal(failure(await call('saveAttachment', id, 1000))?.code, 'SAME_FILE', destination);
  }
  saveAnswers.push(path.join(dir, 'no such folder', 'copy.jpg'));
  assert.equal(failure(await call('saveAttachment', id, 1000))?.code, 'NOT_FOUND');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['copy.jpg', 'old.jpg'], 'no partial file is left');
  assert.equal(value(await call('saveAttachment', id, 1000)), null, 'a cancelled dialog writes nothing');
  core.closeAll();
  assert.deepEqual([fileState(file), fileState(other)], states);
});

test('removing an attachment is one edit that undo restores byte for byte, NULs and all', async () => {
  const file = richHeadDocument();
  const bytes = Buffer.from([0, 1, 2, 0, 255, 0]);
  withDb(file, (db) => db.prepare("INSERT INTO attachments VALUES (3000, 10, 'raw.bin', NULL, ?, ?)").run(bytes, sha(bytes)));
  const { core, call } = app();
  const id = await core.open(file, 'w1');
  const after = value(await call<SampleDetail>('deleteAttachment', id, 3000));
  assert.ok(!after.attachments.some((a) => a.id === 3000));
  assert.equal(value(await call<{ undo: string }>('undoState', id)).undo, 'Remove attachment raw.bin');
  value(await call('undo', id));
  assert.deepEqual(rows(file, 'SELECT filename, mime, data, sha256 FROM attachments WHERE id = 3000'), [{ filename: 'raw.bin', mime: null, data: bytes, sha256: sha(bytes) }]);
  assert.equal(failure(await call('deleteAttachment', id, 3000.5))?.code, 'BAD_REQUEST');
  core.closeAll();
});
