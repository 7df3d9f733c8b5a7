import type { MigrationContext } from './migration-context';
import { schemaOperations } from '../schema/schema-operations';
import type { SqlExecutor } from '../sqlite/sql-executor';

/** The context handed to one migration step. */
export function createMigrationContext(x: SqlExecutor, appVersion: string, version: number, direction: 'up' | 'down'): MigrationContext {
  let queryInterface: MigrationContext['queryInterface'] | undefined;
  const ops = schemaOperations(x);
  return {
    version,
    direction,
    appVersion,
    db: x.db,
    exec: (sql) => x.exec(sql),
    ops,
    get queryInterface() {
      if (!queryInterface) {
        // Sequelize and the engine's adapters load only for a migration that uses them.
        const { preservingQueryInterface } = require('../sequelize/preserving-query-interface') as typeof import('../sequelize/preserving-query-interface');
        const { sequelizeFor } = require('../sequelize/sequelize-for') as typeof import('../sequelize/sequelize-for');
        queryInterface = preservingQueryInterface(sequelizeFor(x.db).getQueryInterface(), ops, x);
      }
      return queryInterface;
    },
  };
}
