import type { MigrationContext } from './migration-context';
import { schemaOperations } from './schema-operations';
import { sequelizeFor } from './sequelize/sequelize-for';
import type { SqlExecutor } from './sql-executor';

/** The context handed to one migration step. */
export function createMigrationContext(x: SqlExecutor, appVersion: string, version: number, direction: 'up' | 'down'): MigrationContext {
  let queryInterface: MigrationContext['queryInterface'] | undefined;
  return {
    version,
    direction,
    appVersion,
    db: x.db,
    exec: (sql) => x.exec(sql),
    ops: schemaOperations(x),
    get queryInterface() {
      queryInterface ??= sequelizeFor(x.db).getQueryInterface();
      return queryInterface;
    },
  };
}
