/**
 * Loaded into each mocha process of the Sequelize suite (`--require`): makes `require('sqlite3')`
 * (Sequelize's sqlite connection manager and the tests that read `sqlite3.OPEN_*`) give the
 * driver under test. `SEQUELIZE_SUITE_DRIVER=adapter` (default): the engine's betterSqlite3Dialect(),
 * one module for the whole process as the `sqlite3` package would be; the real package is then
 * never loaded. `=bound`: its shared-connection form, one connection per file (shared-connections.ts).
 * `=sqlite3`: the `sqlite3` package installed in the Sequelize checkout
 * (`SEQUELIZE_SUITE_CHECKOUT`), for figures to compare with; it is never a dependency of this repo.
 * An absolute path: that module (another build of an adapter, to compare with).
 */
import Module from 'node:module';
import path = require('node:path');
import { betterSqlite3Dialect } from '@fieldbook/engine';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const load = loader._load;
const driver = process.env.SEQUELIZE_SUITE_DRIVER ?? 'adapter';
const checkout = process.env.SEQUELIZE_SUITE_CHECKOUT ?? process.cwd();

let sqlite3: unknown;
if (driver === 'adapter') sqlite3 = betterSqlite3Dialect();
else if (driver === 'bound') sqlite3 = require('./shared-connections');
else if (path.isAbsolute(driver)) sqlite3 = require(driver);
else if (driver !== 'sqlite3') throw new Error(`SEQUELIZE_SUITE_DRIVER must be adapter, bound, sqlite3 or the absolute path of a module with the sqlite3 API, not ${driver}`);

// The tests' `instanceof Pool` must see Sequelize's own copy of sequelize-pool, not the checkout's.
const sequelizePool = require.resolve('sequelize-pool', { paths: [path.dirname(require.resolve('sequelize'))] });

loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
  if (request === 'sequelize-pool') return load.call(this, sequelizePool, parent, isMain);
  if (request !== 'sqlite3') return load.call(this, request, parent, isMain);
  if (sqlite3 === undefined) sqlite3 = load.call(this, require.resolve('sqlite3', { paths: [checkout] }), parent, isMain);
  return sqlite3;
};
