/**
 * enableCompileCache on Node 20 and 21 (the engine's own cache; Node 22.1+ has its own): modules
 * run exactly as without it, an entry is used only for the very source it was made from, and a
 * directory others could write is refused. Each case runs real `node` processes over real module
 * files and cache entries in a temp folder (the cache changes how the process loads modules).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { test } from 'node:test';
import type { CompileCacheResult, CompileCacheStats } from '../src/compile-cache';

const ENGINE_CACHE = typeof (require('node:module') as { enableCompileCache?: unknown }).enableCompileCache !== 'function';
const MODULE = path.join(__dirname, '..', 'src', 'compile-cache.js');

interface Run {
  result: CompileCacheResult;
  output: unknown;
  stats: (CompileCacheStats & { written: number }) | null;
}

/** A folder with a program: main.js requires lib/b.js, which requires ./c.js; `b` is the value b.js exports. */
function program(b = '1'): { dir: string; cache: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-compile-cache-'));
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(
    path.join(dir, 'main.js'),
    "'use strict';\nconst b = require('./lib/b');\nmodule.exports = { b: b.value, c: b.c, file: b.file, dir: b.dir, resolved: b.resolved, self: b.self, main: b.main, cached: b.cached, stack: b.stack() };\n",
  );
  fs.writeFileSync(
    path.join(dir, 'lib', 'b.js'),
    "'use strict';\nexports.value = " +
      b +
      ";\nexports.c = require('./c.js');\nexports.file = __filename; exports.dir = __dirname; exports.resolved = require.resolve('./c');\nexports.self = this === module.exports; exports.main = require.main === process.mainModule; exports.cached = require.cache[__filename] === module;\nexports.stack = () => { try { throw new Error('here'); } catch (e) { return e.stack.split('\\n')[1]; } };\n",
  );
  fs.writeFileSync(path.join(dir, 'lib', 'c.js'), "module.exports = 'c';\n");
  return { dir, cache: path.join(dir, 'cache') };
}

/** Runs `entry` (a file in `dir`) in a new node process with the cache enabled in `cache`. */
function run(dir: string, cache: string, entry = 'main.js', env: NodeJS.ProcessEnv = {}): Run {
  const runner = path.join(dir, 'run.js');
  fs.writeFileSync(
    runner,
    `const cc = require(${JSON.stringify(MODULE)});
const result = cc.enableCompileCache(process.argv[2]);
const output = require(process.argv[3]);
process.on('exit', () => process.stdout.write(JSON.stringify({ result, output, stats: cc.compileCacheStats() })));
`,
  );
  const child = spawnSync(process.execPath, [runner, cache, path.join(dir, entry)], { encoding: 'utf8', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '', ...env } });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stderr, '', 'the cache prints nothing');
  return JSON.parse(child.stdout) as Run;
}

const entries = (cache: string) => fs.readdirSync(cache).filter((f) => f.endsWith('.v8cache'));
const entryOf = (cache: string, name: string) =>
  path.join(
    cache,
    entries(cache).find((f) => f.startsWith(`${name}-`))!,
  );

test('a module tree runs the same from its cache entries, and a second process compiles nothing afresh', { skip: !ENGINE_CACHE && 'Node has its own compile cache' }, () => {
  const { dir, cache } = program();
  const first = run(dir, cache);
  assert.equal(first.result.status, 'enabled');
  assert.equal(first.result.via, 'engine');
  assert.deepEqual({ hits: first.stats!.hits, misses: first.stats!.misses, written: first.stats!.written }, { hits: 0, misses: 3, written: 3 });
  const output = first.output as Record<string, unknown>;
  assert.deepEqual(
    { ...output, stack: undefined },
    {
      b: 1,
      c: 'c',
      file: path.join(dir, 'lib', 'b.js'),
      dir: path.join(dir, 'lib'),
      resolved: path.join(dir, 'lib', 'c.js'),
      self: true,
      main: true,
      cached: true,
      stack: undefined,
    },
  );
  assert.match(String(output.stack), /lib[/\\]b\.js:6:/, 'stack traces name the file and line');
  assert.equal(entries(cache).length, 3);
  assert.equal(fs.statSync(cache).mode & 0o777, 0o700);

  const second = run(dir, cache);
  assert.deepEqual(second.output, first.output);
  assert.deepEqual({ hits: second.stats!.hits, misses: second.stats!.misses, written: second.stats!.written }, { hits: 3, misses: 0, written: 0 });
  assert.equal(run(dir, cache).result.status, 'enabled');
});

test(
  'an entry is used only for the very source it was made from: a same-length edit, a torn or foreign entry is compiled afresh',
  { skip: !ENGINE_CACHE && 'Node has its own compile cache' },
  () => {
    const { dir, cache } = program('1');
    run(dir, cache);
    // The same length, other code: V8's own check (the source's length) would take the old entry.
    fs.writeFileSync(path.join(dir, 'lib', 'b.js'), fs.readFileSync(path.join(dir, 'lib', 'b.js'), 'utf8').replace('value = 1', 'value = 2'));
    const edited = run(dir, cache);
    assert.equal((edited.output as { b: number }).b, 2);
    assert.deepEqual({ hits: edited.stats!.hits, misses: edited.stats!.misses, written: edited.stats!.written }, { hits: 2, misses: 1, written: 1 });
    assert.equal((run(dir, cache).output as { b: number }).b, 2, 'the rewritten entry is for the new source');

    const entry = entryOf(cache, 'b.js');
    const whole = fs.readFileSync(entry);
    fs.writeFileSync(entry, Buffer.concat([whole.subarray(0, whole.length - 64), Buffer.alloc(64, 0xa5)])); // V8's data damaged
    const damaged = run(dir, cache);
    assert.equal((damaged.output as { b: number }).b, 2);
    assert.equal(damaged.stats!.misses, 1);
    fs.writeFileSync(entry, whole.subarray(0, 40)); // torn inside the header
    assert.equal((run(dir, cache).output as { b: number }).b, 2);
    fs.copyFileSync(entryOf(cache, 'c.js'), entry); // another module's entry in b.js's place
    const foreign = run(dir, cache);
    assert.equal((foreign.output as { b: number; c: string }).b, 2);
    assert.equal(foreign.stats!.misses, 1);
  },
);

test(
  'a cache folder others can write, a symlink or a file is refused, and the modules load as they would without it',
  { skip: !ENGINE_CACHE && 'Node has its own compile cache' },
  () => {
    const { dir, cache } = program();
    fs.mkdirSync(cache, { mode: 0o700 });
    fs.chmodSync(cache, 0o777);
    const open = run(dir, cache);
    assert.equal(open.result.status, 'failed');
    assert.match(open.result.message!, /can be written by other users/);
    assert.equal(open.stats, null);
    assert.equal((open.output as { b: number }).b, 1);
    assert.deepEqual(entries(cache), []);

    const real = path.join(dir, 'real-cache');
    fs.mkdirSync(real, { mode: 0o700 });
    const link = path.join(dir, 'linked-cache');
    fs.symlinkSync(real, link);
    assert.match(run(dir, link).result.message!, /is not a directory/);
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    assert.equal(run(dir, path.join(dir, 'a-file')).result.status, 'failed');
    assert.deepEqual(fs.readdirSync(real), []);
  },
);

test('a module that may import(), and a #! script, are compiled by Node as always; their import() works', { skip: !ENGINE_CACHE && 'Node has its own compile cache' }, () => {
  const { dir, cache } = program();
  fs.writeFileSync(path.join(dir, 'dynamic.js'), "module.exports = import('./lib/c.js').then((c) => c.default);\n");
  fs.writeFileSync(path.join(dir, 'script.js'), "#!/usr/bin/env node\nmodule.exports = 'script';\n");
  fs.writeFileSync(path.join(dir, 'both.js'), "module.exports = [require('./script.js'), require('./dynamic.js')];\n");
  const runner = path.join(dir, 'await.js');
  fs.writeFileSync(runner, "module.exports = 'both';\nrequire('./both.js')[1].then((c) => { if (c !== 'c') process.exit(3); });\n");
  const both = run(dir, cache, 'await.js');
  assert.equal(both.stats!.skipped, 2);
  assert.equal(both.stats!.misses, 3, 'await.js, both.js and lib/c.js');
});

test(
  'NODE_DISABLE_COMPILE_CACHE turns it off; a second call reports the first; a syntax error is reported as Node reports it',
  { skip: !ENGINE_CACHE && 'Node has its own compile cache' },
  () => {
    const { dir, cache } = program();
    const off = run(dir, cache, 'main.js', { NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.deepEqual(off.result, { status: 'disabled', via: 'engine' });
    assert.equal(off.stats, null);
    assert.equal(fs.existsSync(cache), false);

    const twice = path.join(dir, 'twice.js');
    fs.writeFileSync(twice, `module.exports = require(${JSON.stringify(MODULE)}).enableCompileCache(${JSON.stringify(path.join(dir, 'other'))});\n`);
    const again = run(dir, cache, 'twice.js');
    assert.deepEqual(again.output, { status: 'already-enabled', directory: cache, via: 'engine' });

    fs.writeFileSync(path.join(dir, 'broken.js'), 'module.exports = (;\n');
    fs.writeFileSync(path.join(dir, 'run-broken.js'), `require(${JSON.stringify(MODULE)}).enableCompileCache(${JSON.stringify(cache)});\nrequire('./broken.js');\n`);
    const broken = spawnSync(process.execPath, [path.join(dir, 'run-broken.js')], { encoding: 'utf8' });
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /broken\.js:1\n[^\n]*\n[^\n]*\n\nSyntaxError: Unexpected token/);
  },
);

test("the entries' checksum is FNV-1 over little-endian words, zero-padded, for any length (memory grows past 64 KiB)", () => {
  const { checksum } = require('../src/word-checksum') as typeof import('../src/word-checksum');
  const reference = (data: Buffer) => {
    const padded = Buffer.alloc((data.length + 3) & ~3);
    data.copy(padded);
    let h = 0x811c9dc5;
    for (let i = 0; i < padded.length; i += 4) h = Math.imul(h ^ padded.readInt32LE(i), 0x01000193);
    return (h >>> 0).toString(16).padStart(8, '0');
  };
  const big = Buffer.alloc(200_003);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
  for (const data of [Buffer.alloc(0), Buffer.from('a'), Buffer.from('abcde'), big, Buffer.from('abcde')]) assert.equal(checksum(data), reference(data), `${data.length} bytes`);
  const flipped = Buffer.from(big);
  flipped[123_457]! ^= 1;
  assert.notEqual(checksum(flipped), checksum(big));
});

test(
  'a process that lived a quarter of a second or more brings the entries it used up to date with the code it compiled since, and only those',
  { skip: !ENGINE_CACHE && 'Node has its own compile cache' },
  () => {
    const { dir, cache } = program();
    // b() is large: its code is not in an entry made by a process that never called it.
    const cases = Array.from({ length: 300 }, (_, i) => `    case ${i}: return 'v${i}' + n * ${i};`).join('\n');
    fs.writeFileSync(path.join(dir, 'lib', 'two.js'), `exports.a = () => 1;\nexports.b = (n) => {\n  switch (n) {\n${cases}\n  }\n  return null;\n};\n`);
    const sleep = (ms: number) => `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});`;
    fs.writeFileSync(path.join(dir, 'a.js'), "module.exports = require('./lib/two').a();\n");
    fs.writeFileSync(path.join(dir, 'b-long.js'), `module.exports = require('./lib/two').b(3);\nwhile (process.uptime() < 0.3) ${sleep(20)}\n`);
    run(dir, cache, 'a.js');
    const made = fs.statSync(entryOf(cache, 'two.js')).size;
    const long = run(dir, cache, 'b-long.js');
    assert.deepEqual([long.output, long.stats!.misses, long.stats!.written], ['v39', 1, 2], "b-long.js's new entry, and two.js's brought up to date");
    assert.ok(fs.statSync(entryOf(cache, 'two.js')).size > made, 'the entry now holds b()');
    const again = run(dir, cache, 'b-long.js');
    assert.deepEqual([again.output, again.stats!.misses, again.stats!.written], ['v39', 0, 0], 'an up-to-date entry is not rewritten');
  },
);

test(
  'a temporary entry a killed writer left behind is removed by a later long process once it is ten minutes old; a recent one, and other files, are kept',
  { skip: !ENGINE_CACHE && 'Node has its own compile cache' },
  () => {
    const { dir, cache } = program();
    const sleep = (ms: number) => `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});`;
    fs.writeFileSync(path.join(dir, 'long.js'), `module.exports = require('./lib/c');\nwhile (process.uptime() < 0.3) ${sleep(20)}\n`);
    fs.writeFileSync(path.join(dir, 'short.js'), "module.exports = require('./lib/c');\n");
    run(dir, cache, 'short.js');
    const left = (name: string, ageMinutes: number) => {
      const file = path.join(cache, name);
      fs.writeFileSync(file, 'half an entry');
      const when = new Date(Date.now() - ageMinutes * 60_000);
      fs.utimesSync(file, when, when);
      return file;
    };
    const stale = left('c.js-0badf00d.v8cache.4242.tmp', 11);
    const recent = left('b.js-0badf00d.v8cache.4343.tmp', 2);
    const other = left('notes.tmp', 60);
    run(dir, cache, 'short.js');
    assert.ok(fs.existsSync(stale), 'a short process does not look');
    const long = run(dir, cache, 'long.js');
    assert.equal(long.output, 'c');
    assert.deepEqual([stale, recent, other].map(fs.existsSync), [false, true, true]);
    assert.ok(entries(cache).length >= 2, 'the entries themselves are kept');
  },
);
