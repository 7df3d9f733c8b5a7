import Database from 'better-sqlite3';
import type { MigrationModule } from '../migrations/migration-context';
import { offlineContext } from '../migrations/offline-sql';
import { runSteps, type RunnableMigration } from '../migrations/step-runner';
import { REPLAY_VERSION_TABLE } from '../migrations/schema-replay';
import { versionTableStorage } from '../migrations/version-storage';
import type { SchemaObject } from '../schema/schema-fingerprint';
import { connectionExecutor, type SqlExecutor } from '../sqlite/sql-executor';

/**
 * The `down` step of one migration as SQL, the way an older app will run it from a document's
 * way-back table: the step runs on an in-memory replica of `schema` (the schema at `version`,
 * as the manifest records it) and every statement it executes is kept, each ending with `;`.
 * Bookkeeping (version rows, user_version) is left out: whoever runs the script does that.
 * Null when the step cannot be rendered: no `down`, or one that reads in JavaScript
 * (`ctx.db`, `ctx.queryInterface`), or one that fails on its own version's schema.
 */
export async function renderDownStep(module: MigrationModule, schema: readonly SchemaObject[], version: number, name: string): Promise<string | null> {
  if (typeof module.down !== 'function') return null;
  const replica = new Database(':memory:');
  try {
    replica.pragma('foreign_keys = OFF');
    for (const object of schema) replica.exec(object.sql);
    const statements: string[] = [];
    const bookkeeping = connectionExecutor(replica);
    const x: SqlExecutor = {
      db: replica,
      exec: (sql) => {
        statements.push(terminated(sql));
        replica.exec(sql);
      },
    };
    const migration: RunnableMigration = { version, name, checksum: '', load: () => module };
    const storage = versionTableStorage({ executor: bookkeeping, table: REPLAY_VERSION_TABLE, schema: 'temp', appVersion: 'render', migrations: [migration] });
    replica.exec('BEGIN');
    storage.createTable();
    storage.record(migration, 'create');
    await runSteps({
      executor: x,
      migrations: [migration],
      storage,
      from: version,
      to: version - 1,
      appVersion: 'render',
      recordDurations: false,
      context: (m, direction) => offlineContext(x, 'render', m.name, m.version, direction),
    });
    replica.exec('ROLLBACK');
    return statements.join('\n');
  } catch {
    return null;
  } finally {
    replica.close();
  }
}

function terminated(sql: string): string {
  const trimmed = sql.trim();
  return trimmed.endsWith(';') ? trimmed : `${trimmed};`;
}
