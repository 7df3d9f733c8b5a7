/**
 * `npm test` in the package: runs the compiled test files beside this one with Node's test
 * runner, naming them (given the folder, Node 20 would run every file under a folder called
 * `test`, helpers included). Extra arguments are passed to the runner, e.g.
 * `npm test -- --test-name-pattern=rebuild`.
 */
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');

const files = fs
  .readdirSync(__dirname)
  .filter((name) => name.endsWith('.test.js'))
  .sort()
  .map((name) => path.join(__dirname, name));
if (files.length === 0) throw new Error(`no compiled test files in ${__dirname}`);
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
