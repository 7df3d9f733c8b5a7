import type { Options, Sequelize as SequelizeType } from 'sequelize';
import type { Connection } from '../sqlite/connection';
import { betterSqlite3Dialect } from './better-sqlite3-dialect';

/** Options of sequelizeFor. */
export interface SequelizeForOptions {
  /** As betterSqlite3Dialect's `busyTimeoutMs` (default 1000). */
  busyTimeoutMs?: number;
  /** The earlier name of `busyTimeoutMs`, still accepted. */
  transactionWaitMs?: number;
}

/**
 * A Sequelize instance on an open document connection (betterSqlite3Dialect(db)). Storage is the
 * document's path, used only as a key: Sequelize then keeps one connection object per
 * transaction, which lets the adapter tell a transaction's statements from others (reads outside
 * it go to a read-only second connection, writes wait as for a lock; with `:memory:` Sequelize
 * would share one object, and a write sent without `{ transaction }` would silently join, and
 * roll back with, whatever transaction is open). Every object runs on `db`. Sequelize is loaded
 * on first use, never on start-up paths that do not need it.
 */
export function sequelizeFor(db: Connection, options: SequelizeForOptions = {}): SequelizeType {
  const { Sequelize } = require('sequelize') as typeof import('sequelize');
  return new Sequelize({
    dialect: 'sqlite',
    storage: db.memory ? ':memory:' : db.name,
    dialectModule: betterSqlite3Dialect(db, { busyTimeoutMs: options.busyTimeoutMs ?? options.transactionWaitMs }),
    logging: false,
    // The engine owns PRAGMA foreign_keys (it must be OFF during migrations).
    foreignKeys: false,
  } as Options);
}
