/**
 * The map's read (main/app/site-map.ts) on real notebooks: sites with and without coordinates
 * (missing, half known, and out of range in a 1.0 notebook, kept as data issues by its upgrade),
 * sample counts, and the frame: across the antimeridian, around a single site, at the poles.
 */
import assert from 'node:assert/strict';
import path = require('node:path');
import { test } from 'node:test';
import { openDocument } from '@fieldbook/engine';
import { DocumentSession } from '../main/app/document-session';
import { FRAME_MARGIN, MIN_FRAME_DEGREES, mapFrame } from '../main/app/site-map';
import { writeDemoNotebook } from '../main/fieldbook/demo-notebook';
import { documentAt, tempDir, testEngine, withDb } from './helpers/fixtures';
import { surveyDocument } from './helpers/survey-document';

async function sessionOn(file: string): Promise<DocumentSession> {
  return new DocumentSession(await openDocument(file, { engine: testEngine() }));
}

const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`);

test('sites with coordinates are on the map with their sample counts; the others are listed, with the ones an upgrade kept as issues marked', async () => {
  const session = await sessionOn(surveyDocument(tempDir()));
  try {
    const map = await session.siteMap();
    assert.deepEqual(
      map.sites.map((s) => [s.name, s.lat, s.lon, s.samples]),
      [
        ['Apia harbour', -13.83, -171.76, 1],
        ['Lagoon', -16.87, 179.98, 8],
        ["Nuku'alofa", -21.14, -175.2, 0],
        ['Rabi reef', -16.48, -179.98, 1],
        ['Suva', -18.14, 178.44, 1],
      ],
    );
    assert.deepEqual(
      map.withoutCoordinates.map((s) => [s.name, s.samples, s.keptAsIssues]),
      [
        ['Boat ramp', 1, false],
        ['Half known', 0, false],
        ['Old mooring', 1, true],
      ],
    );
    assert.equal(map.samplesWithoutSite, 1);
    // Fiji (178° E to 180°) and Tonga and Samoa (west of 180°): one band 9.8° wide across the antimeridian.
    const frame = map.frame!;
    near(frame.west, 178.44 - 9.8 * FRAME_MARGIN, 'west');
    near(frame.east, 188.24 + 9.8 * FRAME_MARGIN, 'east (past 180: 171.76° W)');
    near(frame.center.lon, 183.34 - 360, 'centre longitude, in −180…180');
    near(frame.south, -21.14 - 7.31 * FRAME_MARGIN, 'south');
    near(frame.north, -13.83 + 7.31 * FRAME_MARGIN, 'north');

    // Once the issues are resolved, the site is no longer marked.
    withDb(session.handle.path, (db) => db.exec("UPDATE data_issues SET resolved = 1 WHERE table_name = 'sites'"));
    assert.deepEqual((await session.siteMap()).withoutCoordinates.find((s) => s.name === 'Old mooring')?.keptAsIssues, false);
  } finally {
    session.close();
  }
});

test('a 1.0 notebook with coordinates out of range: upgraded, the site is listed without coordinates, its originals kept as issues', async () => {
  const file = path.join(tempDir(), 'glacier.fieldbook');
  writeDemoNotebook(file, testEngine());
  const session = await sessionOn(file);
  try {
    assert.equal(session.handle.upgrade?.from, 1, 'the notebook was upgraded on open');
    const map = await session.siteMap();
    assert.deepEqual(
      map.sites.map((s) => s.name),
      ['Meltwater stream', 'Moraine crest', 'Outwash plain'],
    );
    assert.deepEqual(map.withoutCoordinates, [{ id: 4, name: 'Erratic boulder', samples: 1, keptAsIssues: true }]);
    assert.equal(map.samplesWithoutSite, 1);
    // Three sites within a kilometre: the frame is the minimum, centred on them.
    const frame = map.frame!;
    near(frame.east - frame.west, MIN_FRAME_DEGREES, 'longitudes across');
    near(frame.north - frame.south, MIN_FRAME_DEGREES, 'latitudes across');
    near(frame.center.lat, (46.4392 + 46.4455) / 2, 'centre latitude');
    near(frame.center.lon, (8.0321 + 8.0402) / 2, 'centre longitude');
  } finally {
    session.close();
  }
});

test('a notebook without sites, or with none placed, has no frame', async () => {
  const file = documentAt(6, tempDir(), 'empty.fieldbook');
  let session = await sessionOn(file);
  try {
    assert.deepEqual(await session.siteMap(), { sites: [], withoutCoordinates: [], samplesWithoutSite: 0, frame: null });
  } finally {
    session.close();
  }
  withDb(file, (db) => db.exec("INSERT INTO sites (id, name, lat, lon) VALUES (1, 'Nowhere', NULL, 3)"));
  session = await sessionOn(file);
  try {
    const map = await session.siteMap();
    assert.deepEqual([map.sites, map.withoutCoordinates.map((s) => s.name), map.frame], [[], ['Nowhere'], null]);
  } finally {
    session.close();
  }
});

test('the frame: one site at ±180°, sites spread round the globe, and sites at the poles', () => {
  for (const lon of [180, -180]) {
    const frame = mapFrame([{ lat: -17, lon }])!;
    near(frame.east - frame.west, MIN_FRAME_DEGREES, `a single site at ${lon}: the minimum across`);
    near(Math.abs(frame.center.lon), 180, `centred on the antimeridian (${lon})`);
    near(frame.center.lat, -17, 'centred on the site');
  }
  // Both sides of the antimeridian, a hair apart: 0.04° wide, not 359.96°.
  const pair = mapFrame([
    { lat: 0, lon: 179.98 },
    { lat: 0, lon: -179.98 },
  ])!;
  near(pair.east - pair.west, MIN_FRAME_DEGREES, 'two sites across 180°');
  near(Math.abs(pair.center.lon), 180, 'their centre');
  // Four sites a quarter of the globe apart: 270° and the margins; six, 60° apart: the whole globe, no more.
  const quarters = mapFrame([0, 90, 180, -90].map((lon) => ({ lat: 10, lon })))!;
  near(quarters.east - quarters.west, 270 * (1 + 2 * FRAME_MARGIN), 'four sites');
  const world = mapFrame([0, 60, 120, 180, -120, -60].map((lon) => ({ lat: 10, lon })))!;
  near(world.east - world.west, 360, 'all longitudes');
  // Both poles: latitudes never pass ±90.
  const poles = mapFrame([
    { lat: 90, lon: 0 },
    { lat: -90, lon: 0 },
  ])!;
  assert.deepEqual([poles.south, poles.north, poles.center.lat], [-90, 90, 0]);
  // A site at the South Pole: the frame slides north rather than past the pole, still the minimum high.
  const southPole = mapFrame([{ lat: -90, lon: 0 }])!;
  assert.deepEqual([southPole.south, southPole.north], [-90, -90 + MIN_FRAME_DEGREES]);
  assert.equal(mapFrame([]), null);
});
