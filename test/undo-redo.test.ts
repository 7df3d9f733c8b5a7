/**
 * Undo and redo of a window's edits (main/app/undo-log.ts through DocumentSession) on real
 * notebooks: every kind of edit comes back exactly (REAL values to the last bit, attachments'
 * bytes, the search index, cascaded rows), redo makes it again, at least 50 steps are kept, a
 * refused edit leaves the stacks as they were, a new edit ends redo, and an undo the notebook no
 * longer allows (another program changed it) changes nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDocument } from '@fieldbook/engine';
import { DocumentSession } from '../main/app/document-session';
import { UNDOABLE_TABLES } from '../main/app/undo-log';
import { rows, tempDir, testEngine, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';

async function sessionOn(file: string): Promise<DocumentSession> {
  return new DocumentSession(await openDocument(file, { engine: testEngine() }));
}

/** Every row of every table an edit can change, values with their types (blobs as hex), from another connection. */
function snapshot(file: string): string {
  return JSON.stringify(
    UNDOABLE_TABLES.map((table) =>
      rows(file, `SELECT rowid AS _rowid, * FROM "${table}" ORDER BY rowid`).map((row) =>
        Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? `x'${v.toString('hex')}'` : typeof v === 'number' && !Number.isInteger(v) ? `real ${v}` : v]),
      ),
    ),
  );
}

function searchFinds(file: string, word: string): number[] {
  return rows(file, `SELECT rowid FROM samples_fts WHERE samples_fts MATCH '"${word}"*' ORDER BY rowid`).map((r) => r.rowid as number);
}

test('each kind of edit is undone exactly and redone, the search index with it', async () => {
  const file = richHeadDocument(tempDir());
  withDb(file, (db) => db.exec('UPDATE measurements SET value = 0.1 + 0.2 WHERE id = 100'));
  const original = snapshot(file);
  const session = await sessionOn(file);
  try {
    const edits: [string, () => Promise<unknown>][] = [
      ['Edit sample R-9', () => session.updateSample(10, { code: 'R-9', description: 'sieved', tags: ['lab'] })],
      ['Add sample N-1', () => session.addSample({ siteId: 2, code: 'N-1', description: 'new core', tags: ['Water', 'fresh'] })],
      ['Delete sample G-1', () => session.deleteSample(12)],
      ['Add site Moor', () => session.addSite({ name: 'Moor', lat: 47.25, lon: -8.5 })],
      ['Rename site Ridge', () => session.updateSite(2, { name: 'High ridge', lat: 46.3 })],
      ['Add conductivity', () => session.addMeasurement(11, { kind: 'conductivity', value: 1e-7, unit: 'S/m', instrument: 'Probe X' })],
      ['Edit measurement', () => session.updateMeasurement(100, { value: 7.25, instrument: null })],
      ['Delete measurement', () => session.deleteMeasurement(101)],
      ['Delete site River', () => session.deleteSite(1)],
      ['Mark issue resolved', () => session.setIssueResolved(1, true)],
    ];
    const states: string[] = [original];
    for (const [label, edit] of edits) {
      await edit();
      assert.equal(session.undoState().undo, label);
      states.push(snapshot(file));
      assert.notEqual(states.at(-1), states.at(-2), `${label} changed the notebook`);
    }
    assert.deepEqual(searchFinds(file, 'sieved'), [], 'River, with R-9, was deleted');
    for (let i = edits.length - 1; i >= 0; i--) {
      const outcome = await session.undo();
      assert.equal(outcome.done, edits[i]![0]);
      assert.equal(snapshot(file), states[i], `after undoing ${edits[i]![0]} the notebook is as before it, to the byte`);
    }
    assert.deepEqual(session.undoState(), { undo: null, redo: 'Edit sample R-9' });
    assert.deepEqual(searchFinds(file, 'sediment'), [10, 14], 'the search index is back too');
    assert.equal(rows(file, 'SELECT value FROM measurements WHERE id = 100')[0]!.value, 0.1 + 0.2, 'a REAL comes back to the last bit');
    for (let i = 0; i < edits.length; i++) {
      assert.equal((await session.redo()).done, edits[i]![0]);
      assert.equal(snapshot(file), states[i + 1], `redoing ${edits[i]![0]}`);
    }
    assert.equal((await session.redo()).done, null, 'nothing more to redo');
  } finally {
    session.close();
  }
  assert.deepEqual(rows(file, 'PRAGMA foreign_key_check'), []);
  assert.equal(rows(file, 'PRAGMA integrity_check')[0]!.integrity_check, 'ok');
});

test('a deleted sample comes back with its measurements, tags and attachments; at least 50 edits can be undone', async () => {
  const file = richHeadDocument(tempDir());
  const original = snapshot(file);
  const session = await sessionOn(file);
  try {
    assert.deepEqual(await session.deletionCounts({ sampleId: 10 }), { samples: 1, measurements: 2, tags: 1, attachments: 1 });
    await session.deleteSample(10);
    assert.equal(rows(file, 'SELECT count(*) AS n FROM attachments WHERE sample_id = 10')[0]!.n, 0);
    for (let i = 0; i < 55; i++) await session.updateSample(11, { description: `pass ${i}` });
    for (let i = 0; i < 56; i++) assert.notEqual((await session.undo()).done, null, `undo ${i + 1} of 56`);
    assert.equal(snapshot(file), original, 'all 56 edits undone: the sample, its photo bytes, tags and measurements are back');
  } finally {
    session.close();
  }
});

test('a refused edit leaves the notebook and the undo stack as they were; a new edit ends redo', async () => {
  const file = richHeadDocument(tempDir());
  const session = await sessionOn(file);
  try {
    await session.updateSample(10, { description: 'first' });
    const before = snapshot(file);
    // Code R-2 is taken at this site, and the tags would have been written in the same edit.
    await assert.rejects(
      session.updateSample(10, { code: 'R-2', tags: ['never'] }),
      (e: { code?: string; details?: { field?: string } }) => e.code === 'INVALID_VALUE' && e.details?.field === 'code',
    );
    await assert.rejects(
      session.addSite({ name: 'Nowhere', lat: 91, lon: 0 }),
      (e: { code?: string; message: string; details?: { field?: string } }) => e.code === 'INVALID_VALUE' && e.details?.field === 'lat' && /latitude/.test(e.message),
    );
    assert.equal(snapshot(file), before, 'nothing of the refused edits was written (the tags neither)');
    assert.deepEqual(session.undoState(), { undo: 'Edit sample R-1', redo: null });
    await session.undo();
    assert.equal(session.undoState().redo, 'Edit sample R-1');
    await session.updateSample(11, { description: 'another' });
    assert.deepEqual(session.undoState(), { undo: 'Edit sample R-2', redo: null }, 'a new edit ends what could be redone');
  } finally {
    session.close();
  }
});

test('an undo the notebook no longer allows changes nothing and stays available', async () => {
  const file = richHeadDocument(tempDir());
  const session = await sessionOn(file);
  try {
    await session.updateSample(13, { description: 'changed here' });
    // Another program deletes the sample meanwhile.
    withDb(file, (db) => db.exec('DELETE FROM samples WHERE id = 13'));
    const before = snapshot(file);
    await assert.rejects(session.undo(), (e: { code?: string; message: string }) => e.code === 'INVALID_VALUE' && /can no longer be undone/.test(e.message));
    assert.equal(snapshot(file), before);
    assert.equal(session.undoState().undo, 'Edit sample Q-1');
  } finally {
    session.close();
  }
});
