/**
 * A V8 code cache for the JavaScript a process loads: `@fieldbook/engine/compile-cache`. Without
 * one, every process compiles the engine's code again the first time it runs it, which is most of
 * what a small document's upgrade costs beyond its SQL. Node 22.1+ (and Electron 32+) have a code
 * cache of their own, `module.enableCompileCache`, which this uses when it is there; on Node 20
 * and 21 it keeps one itself for CommonJS modules (the engine, umzug, an app's own code).
 *
 * It loads nothing but Node's fs, path, os, vm and module, so a host can enable it first thing.
 * Safe by construction: an entry is used only for the exact source text it was made from (the
 * text is stored with it and compared), for the same Node, V8 and architecture; anything else
 * (a changed file, a torn or foreign entry, an entry V8 rejects) is compiled afresh. The
 * directory must be the user's own (a cache others can write could run their code).
 */
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import vm = require('node:vm');
import Module = require('node:module');
import { entryName, readEntry, removeStaleTemporaries, writeEntry } from './compile-cache-entries';

/** What enableCompileCache did. */
export interface CompileCacheResult {
  /** `enabled`; `already-enabled` (an earlier call, or NODE_COMPILE_CACHE); `disabled` (NODE_DISABLE_COMPILE_CACHE is set); `failed` (see `message`). */
  status: 'enabled' | 'already-enabled' | 'disabled' | 'failed';
  /** The cache's directory, when enabled. */
  directory?: string;
  /** Why it failed. */
  message?: string;
  /** `node`: Node's own cache (22.1+); `engine`: this module's, for CommonJS (Node 20 and 21). */
  via: 'node' | 'engine';
}

interface NodeCompileCache {
  enableCompileCache(directory?: string): { status: number; message?: string; directory?: string };
  constants: { compileCacheStatus: { ENABLED: number; ALREADY_ENABLED: number; DISABLED: number; FAILED: number } };
}

/** Internals of Node's CommonJS loader that a require function needs (stable since Node 12). */
interface Loader {
  prototype: { _compile(this: Module, content: string, filename: string): unknown; require(this: Module, id: string): unknown };
  wrap(script: string): string;
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: Module): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeJS.Module>;
}

/** What the engine's own cache did in this process (Node 20 and 21): modules compiled from an entry, compiled afresh, and entries written. */
export interface CompileCacheStats {
  /** Modules compiled with cached code. */
  hits: number;
  /** Modules compiled afresh: no entry, an entry for other source, or one V8 rejected. */
  misses: number;
  /** Modules compiled by Node as always (not CommonJS, a `#!` line, or `import(` in the text). */
  skipped: number;
  /** Entries written so far (they are written when the process exits). */
  written: number;
}

let engineCacheDir: string | null = null;
const stats: CompileCacheStats = { hits: 0, misses: 0, skipped: 0, written: 0 };

/** The engine's cache's counts for this process, or null when it is not the one in use (not enabled, or Node's own). */
export function compileCacheStats(): CompileCacheStats | null {
  return engineCacheDir === null ? null : { ...stats };
}

/**
 * Enables a code cache in `directory` for the modules this process loads from now on (call it
 * before loading them: a host's first lines). Best effort: it never throws, and a process without
 * it works the same, only slower to start. Honours `NODE_DISABLE_COMPILE_CACHE`.
 * @param directory created if missing (mode 0700); on POSIX it must be owned by this user and
 *   writable by no one else, else the result is `failed`
 * @example
 * const { enableCompileCache, defaultCompileCacheDir } = require('@fieldbook/engine/compile-cache');
 * enableCompileCache(defaultCompileCacheDir('Notes'));
 */
export function enableCompileCache(directory: string): CompileCacheResult {
  const node = Module as unknown as Partial<NodeCompileCache>;
  if (typeof node.enableCompileCache === 'function' && node.constants) {
    const { status, message, directory: dir } = node.enableCompileCache(directory);
    const codes = node.constants.compileCacheStatus;
    const named = status === codes.ENABLED ? 'enabled' : status === codes.ALREADY_ENABLED ? 'already-enabled' : status === codes.DISABLED ? 'disabled' : 'failed';
    return { status: named, via: 'node', ...(dir === undefined ? {} : { directory: dir }), ...(message === undefined ? {} : { message }) };
  }
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return { status: 'disabled', via: 'engine' };
  if (engineCacheDir !== null) return { status: 'already-enabled', directory: engineCacheDir, via: 'engine' };
  const dir = path.resolve(directory);
  try {
    ensureOwnDirectory(dir);
  } catch (error) {
    return { status: 'failed', message: error instanceof Error ? error.message : String(error), via: 'engine' };
  }
  engineCacheDir = dir;
  installCache(dir);
  return { status: 'enabled', directory: dir, via: 'engine' };
}

/**
 * Where an app's code cache belongs: the per-user cache folder (`$XDG_CACHE_HOME/<app>`, default
 * `~/.cache/<app>`; `~/Library/Caches/<app>` on macOS; `%LOCALAPPDATA%\<app>\Cache` on Windows),
 * `compile-cache` inside it.
 */
export function defaultCompileCacheDir(appName: string): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), appName, 'Cache', 'compile-cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', appName, 'compile-cache');
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'), appName, 'compile-cache');
}

/** @throws Error when `dir` is not a directory of this user's that only this user can write */
function ensureOwnDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`the compile cache ${dir} is not a directory`);
  if (typeof process.getuid !== 'function') return;
  if (stat.uid !== process.getuid()) throw new Error(`the compile cache ${dir} belongs to another user`);
  if ((stat.mode & 0o022) !== 0) throw new Error(`the compile cache ${dir} can be written by other users`);
}

/**
 * A process that lived at least this long (ms) brings the entries it used up to date at exit:
 * an entry holds the code its first process compiled, and a later process that runs more of the
 * module compiles the rest afresh each time. The check costs about 0.05 ms a module: a process
 * that did real work (an upgrade: 0.3 s and more) pays about 1% of its time for it, a short
 * command (`info`, 0.1 s) nothing. Such a process also removes what writers killed mid-write
 * left behind (removeStaleTemporaries).
 */
const REFRESH_AFTER_MS = 250;

/**
 * Wraps CommonJS compilation so that each module is compiled with its cached code, and new code
 * is cached when the process exits (REFRESH_AFTER_MS: also code compiled since an entry was made).
 */
function installCache(dir: string): void {
  const loader = Module as unknown as Loader;
  const compile = loader.prototype._compile;
  // Every module compiled through the cache, with the length of the entry's data it was compiled with (0: compiled afresh).
  const compiled: { file: string; entry: string; source: string; script: vm.Script; cachedBytes: number }[] = [];
  loader.prototype._compile = function (this: Module, content: string, filename: string): unknown {
    if (!cacheable(filename, content)) {
      stats.skipped++;
      return compile.call(this, content, filename);
    }
    const entry = path.join(dir, entryName(filename));
    const cached = readEntry(entry, filename, content);
    let script: vm.Script;
    try {
      script = new vm.Script(loader.wrap(content), { filename, cachedData: cached });
    } catch {
      return compile.call(this, content, filename); // a syntax error, reported Node's way
    }
    const hit = cached !== undefined && script.cachedDataRejected !== true;
    if (hit) stats.hits++;
    else stats.misses++;
    compiled.push({ file: filename, entry, source: content, script, cachedBytes: hit ? cached.length : 0 });
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return run.call(this.exports, this.exports, requireFor(this, loader), this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    const refresh = process.uptime() * 1000 >= REFRESH_AFTER_MS;
    for (const c of compiled) {
      // A used entry is rewritten when it would grow by a tenth or more: code compiled since it was made.
      if ((c.cachedBytes === 0 || refresh) && writeEntry(c.entry, c.file, c.source, () => c.script.createCachedData(), c.cachedBytes * 1.1)) stats.written++;
    }
    if (refresh) removeStaleTemporaries(dir);
  });
}

/**
 * Whether a module can be compiled through the cache: CommonJS JavaScript without a `#!` line
 * and without `import(` anywhere in its text. A script compiled by `vm` has no dynamic import of
 * its own on Node 20 (the loader that gives it one is experimental, and lost when V8's cached
 * data is used), so a module that may import is compiled by Node as always.
 */
function cacheable(filename: string, content: string): boolean {
  return /\.c?js$/.test(filename) && !content.startsWith('#!') && !/\bimport\s*\(/.test(content);
}

/** A require function for `mod`, as Node's loader makes one. */
function requireFor(mod: Module, loader: Loader): NodeJS.Require {
  const require = ((id: string) => loader.prototype.require.call(mod, id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => loader._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = loader._extensions;
  require.cache = loader._cache;
  return require;
}
