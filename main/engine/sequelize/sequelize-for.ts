import type { Options, Sequelize as SequelizeType } from 'sequelize';
import type { Connection } from '../connection';
import { betterSqlite3Dialect } from './better-sqlite3-dialect';

/**
 * A Sequelize instance on an open document connection. Storage is `:memory:` only as a key:
 * it makes Sequelize keep one connection for everything, transactions included (on a file path
 * it would open one per transaction and deadlock against itself); the adapter ignores it and
 * uses `db`. Sequelize is loaded on first use, never on start-up paths that do not need it.
 */
export function sequelizeFor(db: Connection): SequelizeType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Sequelize } = require('sequelize') as typeof import('sequelize');
  return new Sequelize({
    dialect: 'sqlite',
    storage: ':memory:',
    dialectModule: betterSqlite3Dialect(db),
    logging: false,
    // The engine owns PRAGMA foreign_keys (it must be OFF during migrations).
    foreignKeys: false,
  } as Options);
}
