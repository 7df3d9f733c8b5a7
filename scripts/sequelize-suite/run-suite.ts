/**
 * `npm run test:sequelize -- PATH [--groups g1,g2|all] [--driver adapter|bound|sqlite3] [--json FILE]
 * [--baseline FILE] [--only FILE_SUBSTRING]`
 *
 * Runs Sequelize's own sqlite integration suite from a Sequelize source checkout at PATH (the tag
 * of the installed sequelize, e.g. `git archive v6.37.8 | tar -x -C PATH`) against the engine's
 * betterSqlite3Dialect(), one mocha process per test file (DIALECT=sqlite), and prints passed /
 * failed / pending per group. Nothing of Sequelize's is copied here: the checkout's tests run
 * from the checkout. The checkout needs its test dependencies (mocha 7, chai, chai-as-promised,
 * chai-datetime, sinon, sinon-chai, cls-hooked, delay, p-map, p-props, p-settle, p-timeout,
 * fs-jetpack, js-combinatorics, lodash, moment, semver, validator, uuid, sequelize-pool)
 * resolvable from PATH, e.g. `npm i --ignore-scripts` there; a checkout without `lib/` (it is
 * built) gets a link to the installed sequelize's `lib/`, which is the code under test anyway.
 * `--driver bound` runs them on the adapter's shared-connection form (one connection per file, as
 * documents use it: shared-connections.ts); `--driver sqlite3` runs the same files on the `sqlite3` package installed in the checkout
 * (never in this repo), for comparison (`--driver /abs/module.js`: on a module with the sqlite3
 * API, e.g. an earlier adapter); `--json` writes every test's outcome, `--baseline` reads
 * such a file and lists the tests that pass there and fail here. Exits 1 when a test fails (with
 * `--baseline`: when a test fails that passes in the baseline).
 */
import { spawn } from 'node:child_process';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { DEFAULT_GROUPS, suiteFiles, type SuiteFile } from './suite-files';

interface TestOutcome {
  state: 'passed' | 'failed' | 'pending';
  title: string;
  error?: string;
}

interface FileResult extends SuiteFile {
  exitCode: number | null;
  seconds: number;
  tests: TestOutcome[];
}

const FILE_TIMEOUT_MS = 20 * 60 * 1000;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
}

/** Makes the checkout runnable, or explains what is missing. @throws Error */
function prepareCheckout(checkout: string): void {
  const installed = require.resolve('sequelize/package.json');
  const version = (JSON.parse(fs.readFileSync(installed, 'utf8')) as { version: string }).version;
  const own = JSON.parse(fs.readFileSync(path.join(checkout, 'package.json'), 'utf8')) as { name: string; version: string };
  if (own.name !== 'sequelize') throw new Error(`${checkout} is not a Sequelize checkout`);
  // A tag's package.json says 0.0.0-development; the tag is what matters.
  if (own.version !== version && own.version !== '0.0.0-development') throw new Error(`${checkout} is Sequelize ${own.version}; the installed one is ${version}`);
  const lib = path.join(checkout, 'lib');
  if (!fs.existsSync(lib)) fs.symlinkSync(path.join(path.dirname(installed), 'lib'), lib, 'dir');
  fs.mkdirSync(path.join(checkout, 'test', 'tmp'), { recursive: true });
  const needed = [
    'mocha/bin/mocha',
    'chai',
    'chai-as-promised',
    'chai-datetime',
    'sinon',
    'sinon-chai',
    'cls-hooked',
    'delay',
    'p-map',
    'p-props',
    'p-settle',
    'p-timeout',
    'fs-jetpack',
    'lodash',
    'moment',
  ];
  const missing = needed.filter((name) => {
    try {
      require.resolve(name, { paths: [checkout] });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) throw new Error(`install the suite's test dependencies in ${checkout} (npm i --ignore-scripts); missing: ${missing.join(', ')}`);
}

function runFile(checkout: string, entry: SuiteFile, driver: string, logDir: string): Promise<FileResult> {
  const results = path.join(logDir, entry.file.replace(/\//g, '__') + '.jsonl');
  fs.rmSync(results, { force: true });
  const log = fs.openSync(path.join(logDir, entry.file.replace(/\//g, '__') + '.log'), 'w');
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      require.resolve('mocha/bin/mocha', { paths: [checkout] }),
      '--require',
      path.join(__dirname, 'driver-hook.js'),
      '--reporter',
      path.join(__dirname, 'result-reporter.js'),
      path.join('test', 'integration', entry.file),
    ],
    {
      cwd: checkout,
      stdio: ['ignore', log, log],
      env: { ...process.env, DIALECT: 'sqlite', SEQUELIZE_SUITE_DRIVER: driver, SEQUELIZE_SUITE_CHECKOUT: checkout, SEQUELIZE_SUITE_RESULTS: results },
    },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), FILE_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      fs.closeSync(log);
      const lines = fs.existsSync(results) ? fs.readFileSync(results, 'utf8').split('\n').filter(Boolean) : [];
      resolve({ ...entry, exitCode: code, seconds: (Date.now() - started) / 1000, tests: lines.map((l) => JSON.parse(l) as TestOutcome) });
    });
  });
}

const count = (tests: TestOutcome[], state: TestOutcome['state']) => tests.filter((t) => t.state === state).length;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const groups = (option(args, '--groups') ?? DEFAULT_GROUPS.join(',')).split(',').filter(Boolean);
  const driver = option(args, '--driver') ?? 'adapter';
  const jsonOut = option(args, '--json');
  const baselineFile = option(args, '--baseline');
  const only = option(args, '--only');
  const checkout = args[0] ? path.resolve(args[0]) : undefined;
  if (!checkout || args.length !== 1) {
    console.error('usage: npm run test:sequelize -- PATH [--groups g1,g2|all] [--driver adapter|bound|sqlite3] [--json FILE] [--baseline FILE] [--only FILE_SUBSTRING]');
    return 2;
  }
  prepareCheckout(checkout);
  const files = suiteFiles(checkout, groups).filter((f) => only === undefined || f.file.includes(only));
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sequelize-suite-'));
  console.log(`Sequelize suite at ${checkout}: ${files.length} files, driver ${driver}, logs in ${logDir}`);
  const results: FileResult[] = [];
  for (const entry of files) {
    const result = await runFile(checkout, entry, driver, logDir);
    results.push(result);
    const crashed = result.exitCode !== 0 && count(result.tests, 'failed') === 0 ? ` (exit ${result.exitCode}: see the log)` : '';
    console.log(
      `${entry.file}: ${count(result.tests, 'passed')} passed, ${count(result.tests, 'failed')} failed, ${count(result.tests, 'pending')} pending, ${result.seconds.toFixed(1)} s${crashed}`,
    );
  }

  console.log('\ngroup                 files  passed  failed  pending');
  const totals = { files: 0, passed: 0, failed: 0, pending: 0 };
  for (const group of [...new Set(results.map((r) => r.group))]) {
    const of = results.filter((r) => r.group === group);
    const tests = of.flatMap((r) => r.tests);
    const row = { files: of.length, passed: count(tests, 'passed'), failed: count(tests, 'failed'), pending: count(tests, 'pending') };
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += row[key];
    console.log(`${group.padEnd(20)} ${String(row.files).padStart(6)} ${String(row.passed).padStart(7)} ${String(row.failed).padStart(7)} ${String(row.pending).padStart(8)}`);
  }
  console.log(
    `${'total'.padEnd(20)} ${String(totals.files).padStart(6)} ${String(totals.passed).padStart(7)} ${String(totals.failed).padStart(7)} ${String(totals.pending).padStart(8)}`,
  );
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ driver, checkout, results }, null, 1));

  const failed = results.flatMap((r) => r.tests.filter((t) => t.state === 'failed').map((t) => ({ ...t, file: r.file })));
  const crashedFiles = results.filter((r) => r.exitCode !== 0 && count(r.tests, 'failed') === 0);
  for (const r of crashedFiles) console.log(`CRASHED ${r.file} (exit ${r.exitCode}; a file that cannot load, e.g. another dialect's)`);
  if (!baselineFile) {
    for (const t of failed) console.log(`FAILED ${t.file}: ${t.title}\n    ${t.error ?? ''}`);
    return failed.length > 0 || crashedFiles.length > 0 ? 1 : 0;
  }
  const baseline = JSON.parse(fs.readFileSync(baselineFile, 'utf8')) as { results: FileResult[] };
  const ran = new Set(results.map((r) => r.file));
  const passedThere = new Set(baseline.results.filter((r) => ran.has(r.file)).flatMap((r) => r.tests.filter((t) => t.state === 'passed').map((t) => `${r.file}\0${t.title}`)));
  const regressions = failed.filter((t) => passedThere.has(`${t.file}\0${t.title}`));
  const here = new Set(results.flatMap((r) => r.tests.filter((t) => t.state === 'passed').map((t) => `${r.file}\0${t.title}`)));
  const gains = [...passedThere].filter((k) => !here.has(k) && !regressions.some((t) => `${t.file}\0${t.title}` === k));
  console.log(
    `\nagainst ${baselineFile} (the same files): ${regressions.length} fail here that pass there; ${gains.length} other tests pass there but did not run here (a hook failed, or the file died)`,
  );
  for (const t of regressions) console.log(`REGRESSION ${t.file}: ${t.title}\n    ${t.error ?? ''}`);
  for (const k of gains) console.log(`NOT PASSED ${k.replace('\0', ': ')}`);
  return regressions.length > 0 || gains.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
