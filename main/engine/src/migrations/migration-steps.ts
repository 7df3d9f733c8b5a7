import type { MigrationContext } from './migration-context';
import { schemaOperations } from '../schema/schema-operations';
import { preservingQueryInterface } from '../sequelize/preserving-query-interface';
import { sequelizeFor } from '../sequelize/sequelize-for';
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
      queryInterface ??= preservingQueryInterface(sequelizeFor(x.db).getQueryInterface(), ops, x);
      return queryInterface;
    },
  };
}
