/**
 * The chart's read (main/app/measurement-series.ts) on real notebooks: one series per kind and
 * unit at a site (mixed units never share an axis), values that are NULL and dates that are NULL,
 * kept as typed, impossible or full ISO, a sample against its site's history, a sample without a
 * site, and the operation's validation across IPC.
 */
import assert from 'node:assert/strict';
import path = require('node:path');
import { test } from 'node:test';
import { openDocument } from '@fieldbook/engine';
import { AppCore, type Shell } from '../main/app/app-core';
import { DocumentSession } from '../main/app/document-session';
import { usableTime } from '../main/app/measurement-series';
import { threadJobHost } from '../main/app/thread-jobs';
import type { Envelope, MeasurementSeriesSet } from '../main/ipc/contract';
import { createHandlers, invoke } from '../main/ipc/handlers';
import { tempDir, testEngine } from './helpers/fixtures';
import { surveyDocument } from './helpers/survey-document';

async function sessionOn(file: string): Promise<DocumentSession> {
  return new DocumentSession(await openDocument(file, { engine: testEngine() }));
}

/** Each series as `kind (unit)`: [codes of its points, without value, without date]. */
function summary(set: MeasurementSeriesSet): Record<string, [string[], number, number]> {
  return Object.fromEntries(set.series.map((s) => [`${s.kind} (${s.unit ?? '-'})`, [s.points.map((p) => p.code), s.withoutValue, s.withoutDate]]));
}

test('usableTime: ISO days and full ISO dates and times; anything else is no date', () => {
  assert.equal(usableTime('2023-05-10'), Date.UTC(2023, 4, 10));
  assert.equal(usableTime(' 2023-05-10 '), Date.UTC(2023, 4, 10));
  assert.equal(usableTime('2023-05-10T09:30:00Z'), Date.UTC(2023, 4, 10, 9, 30));
  assert.equal(usableTime('2023-05-10T09:30'), Date.UTC(2023, 4, 10, 9, 30), 'no zone: UTC');
  assert.equal(usableTime('2023-05-10T09:30:15.250+02:00'), Date.UTC(2023, 4, 10, 7, 30, 15, 250));
  for (const unusable of ['2023-02-30', '2023-13-01', '2023-05-10T24:00', '14/7/2018', '15.7.2018', 'wet season', '', '2023-5-1', '2023-05-10 09:30', null, 20230510]) {
    assert.equal(usableTime(unusable), null, JSON.stringify(unusable));
  }
});

test("a site's measurements: one series per kind and unit, by date, with what was left out counted", async () => {
  const session = await sessionOn(surveyDocument(tempDir()));
  try {
    const lagoon = await session.measurementSeries({ siteId: 1 });
    assert.deepEqual([lagoon.site, lagoon.sample, lagoon.mixedUnits], [{ id: 1, name: 'Lagoon' }, null, ['depth']]);
    assert.deepEqual(summary(lagoon), {
      'depth (cm)': [['L-4', 'L-6'], 0, 0],
      'depth (m)': [['L-1', 'L-2', 'L-8'], 0, 0], // L-8's 'depth ' in ' m' is depth in m
      'pH (-)': [['L-1', 'L-2', 'L-6', 'L-8'], 1, 1], // L-4's is NULL, L-3's date is no day; L-8's '' unit is none
      'temperature (C)': [['L-1', 'L-2', 'L-4', 'L-6', 'L-8'], 0, 3], // L-3 (2023-02-30), L-5 (wet season), L-7 (no date)
    });
    const temperature = lagoon.series.find((s) => s.kind === 'temperature')!;
    assert.deepEqual(
      temperature.points.map((p) => [p.collectedOn, p.time, p.value]),
      [
        ['2022-03-01', Date.UTC(2022, 2, 1), 27.5],
        ['2022-09-14', Date.UTC(2022, 8, 14), 26.1],
        ['2023-05-10T09:30:00Z', Date.UTC(2023, 4, 10, 9, 30), 28.4],
        ['2023-11-20', Date.UTC(2023, 10, 20), 27.9],
        ['2024-04-02', Date.UTC(2024, 3, 2), 26.8],
      ],
    );
    const suva = await session.measurementSeries({ siteId: 5 });
    assert.deepEqual(summary(suva), {}, 'a site whose sample has no measurements');
    const ramp = await session.measurementSeries({ siteId: 6 });
    assert.deepEqual([ramp.site?.name, ramp.series], ['Boat ramp', []]);
  } finally {
    session.close();
  }
});

test("a sample's measurements against its site's history; a sample without a date or a site", async () => {
  const session = await sessionOn(surveyDocument(tempDir()));
  try {
    const l8 = await session.measurementSeries({ sampleId: 8 });
    assert.deepEqual([l8.site?.name, l8.sample], ['Lagoon', { id: 8, code: 'L-8', dated: true }]);
    assert.deepEqual(Object.keys(summary(l8)), ['depth (cm)', 'depth (m)', 'pH (-)', 'temperature (C)'], 'its kinds, in every unit the site has');
    assert.deepEqual(l8.mixedUnits, ['depth']);

    const l7 = await session.measurementSeries({ sampleId: 7 });
    assert.deepEqual([l7.sample, summary(l7)], [{ id: 7, code: 'L-7', dated: false }, { 'temperature (C)': [['L-1', 'L-2', 'L-4', 'L-6', 'L-8'], 0, 3] }]);

    const loose = await session.measurementSeries({ sampleId: 14 });
    assert.deepEqual([loose.site, loose.sample, summary(loose)], [null, { id: 14, code: 'X-1', dated: true }, { 'mass (g)': [['X-1'], 0, 0] }]);

    const none = await session.measurementSeries({ sampleId: 11 });
    assert.deepEqual([none.site?.name, none.series], ['Suva', []], 'a sample without measurements: nothing to chart');
    await assert.rejects(session.measurementSeries({ sampleId: 999 }), { code: 'NOT_FOUND' });
    await assert.rejects(session.measurementSeries({ siteId: 999 }), { code: 'NOT_FOUND' });
  } finally {
    session.close();
  }
});

test('the map and chart operations across IPC: answers, and arguments that are refused', async () => {
  const shell: Shell = {
    chooseSavePath: async () => null,
    chooseOpenPaths: async () => [],
    showItemInFolder: () => {},
    openDocumentWindow: async () => {},
    send: () => {},
    jobs: threadJobHost(),
  };
  const core = new AppCore({ shell, engineSettings: { backupDir: path.join(tempDir(), 'backups') }, samplesFolder: tempDir() });
  const handlers = createHandlers(core);
  const call = (operation: string, ...args: unknown[]) => invoke(handlers, { window: 'w1' }, operation, args) as Promise<Envelope<unknown>>;
  try {
    const id = await core.open(surveyDocument(tempDir()), 'w1');
    const map = await call('siteMap', id);
    assert.ok(map.ok && (map.value as { sites: unknown[] }).sites.length === 5, JSON.stringify(map));
    const series = await call('measurementSeries', id, { sampleId: 8 });
    assert.ok(series.ok && (series.value as MeasurementSeriesSet).sample?.code === 'L-8', JSON.stringify(series));
    for (const scope of [undefined, null, {}, { siteId: '1' }, { siteId: 1.5 }, { siteId: 1, sampleId: 8 }, { site: 1 }, [1]]) {
      const answer = await call('measurementSeries', id, scope);
      assert.deepEqual(answer.ok ? 'ok' : answer.error.code, 'BAD_REQUEST', JSON.stringify(scope));
    }
    const missing = await call('measurementSeries', id, { siteId: 999 });
    assert.deepEqual(missing.ok ? 'ok' : missing.error.code, 'NOT_FOUND');
    const other = await call('siteMap', 'no such document');
    assert.equal(other.ok, false);
  } finally {
    core.closeAll();
  }
});
