/**
 * upgradeDocument's `classification` option (openDocument hands its own to the upgrade it runs
 * in a background job): the read-only pass is skipped, but the check under the write lock still
 * refuses a document that changed since, and a classification of another file is not used.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyDocument, isFieldbookError, upgradeDocument } from '@fieldbook/engine';
import { documentAt, fileState, tempDir, testEngine } from './helpers/fixtures';

test('a classification that no longer holds (the document moved on since) is refused with LOCKED and nothing is written', async () => {
  const engine = testEngine();
  const file = documentAt(3);
  const stale = classifyDocument(file, { engine });
  await upgradeDocument(file, { engine, to: 4, backup: false });
  const before = fileState(file);
  await assert.rejects(
    upgradeDocument(file, { engine, classification: stale }),
    (e: unknown) => isFieldbookError(e, 'LOCKED') && /changed while it was being opened/.test((e as Error).message),
  );
  assert.deepEqual(fileState(file), before, 'the document is byte for byte as it was');
  const fresh = await upgradeDocument(file, { engine, classification: classifyDocument(file, { engine }), backup: false });
  assert.deepEqual([fresh.from, fresh.to], [4, 6], 'a classification that holds is used');
});

test('a classification of another file is ignored: the document is classified itself', async () => {
  const engine = testEngine();
  const dir = tempDir();
  const current = documentAt(6, dir, 'current.fieldbook');
  const outdated = documentAt(2, dir, 'outdated.fieldbook');
  const result = await upgradeDocument(outdated, { engine, classification: classifyDocument(current, { engine }), backup: false });
  assert.deepEqual([result.from, result.to, result.applied.length], [2, 6, 4]);
  assert.equal(classifyDocument(outdated, { engine }).status, 'current');
});
