import Module = require('node:module');

type UmzugModule = typeof import('umzug/lib/umzug');

let loaded: UmzugModule | undefined;

/**
 * umzug's runner (`Umzug`, `MigrationError`) without the parts of umzug the engine never uses.
 *
 * `require('umzug')` loads umzug's whole index, and even `umzug/lib/umzug.js` (the class alone;
 * umzug has no exports map, so the file may be required) requires `./cli` at its top — the
 * command line, built on @rushstack/ts-command-line — and `tinyglobby` (globbing migration
 * files). Measured on this project's machine, `node -e "require('umzug')"` takes about 170 ms, of
 * which 130 ms are the CLI and 20 ms the globbing; the class alone about 15 ms. The engine gives
 * umzug its migrations as an array and never asks for a CLI, so both modules are deferred, with
 * the storages and the rerun modes the engine never passes: until
 * someone touches them they are placeholders in `require.cache` that load the real module on
 * first use (any property read, `in` or key listing). Code that does use them — `getCli()`,
 * `runAsCLI()`, a glob, or a later `require('umzug')` anywhere in the process — gets the real
 * module, so deferring changes nothing but when they load. Modules already loaded are left alone.
 */
export function loadUmzug(): UmzugModule {
  if (loaded) return loaded;
  const umzugFile = require.resolve('umzug/lib/umzug');
  if (!require.cache[umzugFile]) {
    // Resolved as umzug.js itself resolves them (the same requests from its folder), so its own
    // requires find them in Node's resolution cache instead of searching again.
    const fromUmzug = Module.createRequire(umzugFile);
    deferModule(fromUmzug.resolve('./cli'));
    deferModule(fromUmzug.resolve('tinyglobby'));
    // umzug.js reads only `verifyUmzugStorage` of its storage index (the engine passes its own
    // storage): that comes from the storage contract, and the JSON, memory, MongoDB and
    // Sequelize storages load only if something asks for one.
    deferModule(fromUmzug.resolve('./storage'), fromUmzug.resolve('./storage/contract'));
    // The rerun modes of `up({ migrations })`, which the engine never passes.
    deferModule(fromUmzug.resolve('./types'));
  }
  loaded = require(umzugFile) as UmzugModule;
  return loaded;
}

/**
 * Puts a placeholder for `file` into `require.cache` (unless the module is loaded already)
 * whose exports load the real module on first use and forward to it. Loading replaces the
 * placeholder in the cache with the real module. With `servedBy`, a module `file` re-exports,
 * the names that module exports are read from it without loading `file`.
 */
function deferModule(file: string, servedBy?: string): void {
  if (require.cache[file]) return;
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      if (require.cache[file] === placeholder) delete require.cache[file];
      real = require(file) as object;
    }
    return real;
  };
  const placeholder = new Module(file, module);
  placeholder.filename = file;
  placeholder.loaded = true;
  placeholder.exports = new Proxy({}, {
    get: (_, key) => {
      const served = servedBy === undefined || real ? undefined : (require(servedBy) as Record<PropertyKey, unknown>);
      return served && Object.hasOwn(served, key) && key !== '__esModule' ? served[key as string] : Reflect.get(load(), key);
    },
    has: (_, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    // Reported configurable: the placeholder's own target has none of these properties.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  require.cache[file] = placeholder;
}
