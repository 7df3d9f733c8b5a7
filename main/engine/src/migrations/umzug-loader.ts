import Module = require('node:module');

type UmzugModule = typeof import('umzug/lib/umzug');

/** Node's CommonJS loader, as far as deferring umzug's own requires needs it (stable since Node 12). */
interface Loader {
  _load(request: string, parent: NodeJS.Module | undefined, isMain: boolean): unknown;
}

let loaded: UmzugModule | undefined;

/**
 * What umzug.js requires at its top and the engine never uses, and for each, a module of umzug's
 * that serves some of its names without loading it (or null).
 */
const DEFERRED: ReadonlyMap<string, string | null> = new Map([
  // The command line, built on @rushstack/ts-command-line.
  ['./cli', null],
  // Globbing migration files: the engine gives umzug its migrations as an array.
  ['tinyglobby', null],
  // The JSON, memory, MongoDB and Sequelize storages: the engine passes its own, and umzug.js
  // reads only `verifyUmzugStorage` of the index, which comes from the storage contract.
  ['./storage', './storage/contract'],
  // The rerun modes of `up({ migrations })`, which the engine never passes.
  ['./types', null],
]);

/**
 * umzug's runner (`Umzug`, `MigrationError`) without the parts of umzug the engine never uses.
 *
 * `require('umzug')` loads umzug's whole index, and even `umzug/lib/umzug.js` (the class alone;
 * umzug has no exports map, so the file may be required) requires `./cli` at its top — the
 * command line, built on @rushstack/ts-command-line — and `tinyglobby` (globbing migration
 * files). Measured on this project's machine, `node -e "require('umzug')"` takes about 170 ms, of
 * which 130 ms are the CLI and 20 ms the globbing; the class alone about 15 ms. The engine gives
 * umzug its migrations as an array and never asks for a CLI, so while umzug.js loads, its own
 * requests for those modules (DEFERRED) get placeholders that load the real module on first use
 * (any property read, `in` or key listing), without even resolving it until then: finding a
 * package costs Node's loader about 0.2 ms a request. Code that does use them — `getCli()`,
 * `runAsCLI()`, a glob, or a later `require('umzug')` anywhere in the process — gets the real
 * module, so deferring changes nothing but when they load.
 */
export function loadUmzug(): UmzugModule {
  if (loaded) return loaded;
  const umzugFile = require.resolve('umzug/lib/umzug');
  if (require.cache[umzugFile]) return (loaded = require(umzugFile) as UmzugModule);
  const loader = Module as unknown as Loader;
  const load = loader._load;
  const deferring: Loader['_load'] = function (this: unknown, request, parent, isMain) {
    const servedBy = parent?.filename === umzugFile ? DEFERRED.get(request) : undefined;
    if (servedBy === undefined) return load.call(this, request, parent, isMain);
    // A deferred module loads when first used as Node loads it then: the same request, from umzug.js.
    const from = (name: string) => () => (loader._load === deferring ? load : loader._load).call(loader, name, parent, false) as object;
    return placeholder(from(request), servedBy === null ? null : from(servedBy));
  };
  loader._load = deferring;
  try {
    loaded = require(umzugFile) as UmzugModule;
  } finally {
    if (loader._load === deferring) loader._load = load;
  }
  return loaded;
}

/**
 * Exports that stand for a module until it is used: `load` gives the real module on first use
 * and they forward to it. With `servedBy`, a module the real one re-exports, the names that
 * module exports are read from it without loading the real one.
 */
function placeholder(load: () => object, servedBy: (() => object) | null): object {
  let real: object | undefined;
  const target = () => (real ??= load());
  return new Proxy({}, {
    get: (_, key) => {
      const served = servedBy === null || real ? undefined : (servedBy() as Record<PropertyKey, unknown>);
      return served && Object.hasOwn(served, key) && key !== '__esModule' ? served[key as string] : Reflect.get(target(), key);
    },
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    // Reported configurable: the placeholder's own target has none of these properties.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
