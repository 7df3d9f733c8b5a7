/**
 * `npm test`: makes sure better-sqlite3 is built for this Node (after `npm start` it may have
 * been rebuilt for Electron), compiles the engine package's own tests (main/engine/test, what
 * `npm test` in main/engine runs), then runs every compiled test file of the app and of the
 * engine package with Node's test runner, in one run.
 * Extra arguments are passed through (e.g. `npm test -- --test-name-pattern=crash`).
 */
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

function nativeModuleLoads(): { ok: boolean; message: string } {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, encoding: 'utf8' });
  return { ok: probe.status === 0, message: probe.stderr };
}

function ensureNodeBuild(): void {
  const first = nativeModuleLoads();
  if (first.ok) return;
  if (!/NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|was compiled against|Could not locate the bindings/.test(first.message)) {
    throw new Error(`better-sqlite3 does not load:\n${first.message}`);
  }
  console.error('better-sqlite3 is built for another runtime (Electron?); rebuilding it for this Node...');
  // @electron/rebuild's marker would make the next `npm start` skip rebuilding for Electron.
  fs.rmSync(path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', '.forge-meta'), { force: true });
  const rebuild = spawnSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (rebuild.status !== 0 || !nativeModuleLoads().ok) throw new Error('could not rebuild better-sqlite3 for Node; run `npm rebuild better-sqlite3`');
}

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return testFiles(full);
      return entry.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}

/** Compiles the engine package's own tests into main/engine/dist-test and returns their files. */
function engineTestFiles(): string[] {
  const engine = path.join(root, 'main', 'engine');
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(engine, 'tsconfig.test.json')], {
    cwd: engine,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error("the engine package's tests do not compile");
  return testFiles(path.join(engine, 'dist-test', 'test'));
}

ensureNodeBuild();
const files = [...testFiles(__dirname), ...engineTestFiles()];
if (files.length === 0) throw new Error('no test files found');
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...process.argv.slice(2), ...files], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
