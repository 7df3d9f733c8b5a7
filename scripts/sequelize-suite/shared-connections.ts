/**
 * A module with the sqlite3 API for the Sequelize suite's `--driver bound`: the engine's adapter
 * in its shared-connection form (`betterSqlite3Dialect(db)`), the way documents use it. Every
 * Database object of one file runs on one better-sqlite3 connection to it (opened by the first,
 * closed with the last, so a test that deletes the file between instances gets a fresh one); a
 * `':memory:'` object gets a connection of its own.
 */
import path = require('node:path');
import BetterSqlite3 from 'better-sqlite3';
import { betterSqlite3Dialect, type Sqlite3Module } from '@fieldbook/engine';

type Callback = (this: unknown, error: Error | null) => void;

interface Shared {
  db: BetterSqlite3.Database;
  module: Sqlite3Module;
  users: number;
}

const files = new Map<string, Shared>();
const OPEN = betterSqlite3Dialect();

function sharedFor(filename: string, mode: number): Shared {
  const memory = filename === ':memory:' || filename === '';
  const key = memory ? null : path.resolve(filename);
  let shared = key === null ? undefined : files.get(key);
  if (!shared) {
    const readonly = !memory && (mode & OPEN.OPEN_READWRITE) === 0;
    const db = new BetterSqlite3(filename, { readonly, fileMustExist: readonly || (mode & OPEN.OPEN_CREATE) === 0, timeout: 0 });
    if (!readonly) db.pragma('foreign_keys = OFF');
    shared = { db, module: betterSqlite3Dialect(db), users: 0 };
    if (key !== null) files.set(key, shared);
    const close = db.close.bind(db);
    db.close = () => {
      if (key !== null) files.delete(key);
      return close();
    };
  }
  shared.users++;
  return shared;
}

class Database {
  private readonly inner: { close(cb?: Callback): void } & Record<string, (...args: unknown[]) => unknown>;
  private readonly shared: Shared | null;

  constructor(
    readonly filename: string,
    mode?: number | Callback,
    callback?: Callback,
  ) {
    if (typeof mode === 'function') [callback, mode] = [mode, undefined];
    let shared: Shared | null = null;
    try {
      shared = sharedFor(filename, mode ?? OPEN.OPEN_READWRITE | OPEN.OPEN_CREATE);
    } catch {
      // The adapter's own form reports the open error in sqlite3's words.
    }
    this.shared = shared;
    this.inner = new (shared ?? { module: OPEN }).module.Database(filename, mode, callback) as Database['inner'];
  }

  serialize(fn?: () => void): this {
    fn?.();
    return this;
  }
  run(...args: unknown[]): this {
    this.inner.run!(...args);
    return this;
  }
  all(...args: unknown[]): this {
    this.inner.all!(...args);
    return this;
  }
  get(...args: unknown[]): this {
    this.inner.get!(...args);
    return this;
  }
  exec(...args: unknown[]): this {
    this.inner.exec!(...args);
    return this;
  }

  close(callback?: Callback): void {
    this.inner.close((error) => {
      if (this.shared && --this.shared.users === 0) this.shared.db.close();
      callback?.call(this, error);
    });
  }
}

export = { ...OPEN, Database };
