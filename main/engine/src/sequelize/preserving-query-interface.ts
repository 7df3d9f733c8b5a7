import type { QueryInterface } from 'sequelize';
import { parseColumnDefinition, parseTableConstraint } from '../schema/column-definition';
import type { SchemaOperations } from '../schema/schema-operations';
import { storedTableName } from '../schema/stored-table-name';
import type { SqlExecutor } from '../sqlite/sql-executor';
import { columnOfPart, identifierOf, sameName, splitCreateTable, tokenizeSql } from '../sqlite/sql-tokens';
import { changedDefinition, type AttributeWriter, type ForeignKey } from './changed-column-definition';

/** Sequelize's table argument: a name, or `{ tableName, schema, delimiter }` (SQLite has no schemas: they prefix the name). */
type TableArgument = string | { tableName: string; schema?: string; delimiter?: string };

/** The Sequelize internals used here (all public methods of its sqlite QueryInterface/QueryGenerator). */
interface Internals {
  normalizeAttribute(attribute: unknown): Record<string, unknown>;
  queryGenerator: AttributeWriter;
}

/**
 * Makes `qi` (the QueryInterface handed to migrations) keep everything a document holds: its
 * methods that Sequelize's sqlite dialect implements with a lossy table rebuild (`changeColumn`,
 * `removeColumn`, `renameColumn`, `addConstraint`, `removeConstraint`) and `renameTable` go through
 * the engine's SchemaOperations instead (native ALTER TABLE where SQLite has it, the preserving
 * rebuild otherwise). Sequelize's own rebuild recreates a table from `describeTable`, so it drops
 * non-unique indexes, triggers, CHECKs, AUTOINCREMENT and FK actions, rewrites `DEFAULT 0` as
 * `DEFAULT '0'`, splits composite UNIQUEs and (with foreign keys on) empties cascade children.
 * Every other method (createTable, addColumn, addIndex, bulkInsert, queries...) stays Sequelize's.
 *
 * `changeColumn(table, column, attribute)` is translated the way Sequelize's sqlite QueryGenerator
 * writes attributes (`attributesToSQL`: type, NOT NULL, DEFAULT, UNIQUE, REFERENCES ... ON DELETE/
 * ON UPDATE) and merged into the column's current definition like `ops.alterColumn` (constraints
 * kept unless stated), as Sequelize merges the attribute into `describeTable`'s: `allowNull: true`
 * drops NOT NULL (a bare DataType, e.g. `DataTypes.TEXT`, means `allowNull: true` to Sequelize); a
 * stated default Sequelize cannot write in the schema (`undefined`, NOW, UUIDV4, a function) leaves
 * no default (written `DEFAULT NULL`); a text default holding a NUL is written as its bytes;
 * `references` without `onDelete`/`onUpdate` keeps the current actions when it names the current
 * target, and `onDelete`/`onUpdate` alone keep the current target. The methods are patched on this
 * instance, so `sequelize.sync({ alter })` uses them too.
 *
 * Refused with an Error naming `ctx.ops` (nothing changed), where no faithful translation exists:
 * a `changeColumn` that adds or removes PRIMARY KEY or AUTOINCREMENT, gives the INTEGER PRIMARY KEY
 * (the rowid) another type, says `unique: false` for a
 * column that is UNIQUE alone (inline or table-level), states `onDelete`/`onUpdate` for a column that
 * references nothing, or `references` for one whose FOREIGN KEY is table-level (it would add a
 * second); an `addConstraint` of type DEFAULT (SQLite has none). Whatever `ops` refuses is refused as `ops` says
 * (e.g. removing a PRIMARY KEY column, or a column a multi-column constraint names). `options`
 * such as `transaction` are ignored: a migration runs in the engine's one transaction.
 */
export function preservingQueryInterface(qi: QueryInterface, ops: SchemaOperations, x: SqlExecutor): QueryInterface {
  const internals = qi as unknown as Internals;
  const generator = internals.queryGenerator;

  const tableName = (table: TableArgument): string => (typeof table === 'string' ? table : `${table.schema ? table.schema + (table.delimiter ?? '.') : ''}${table.tableName}`);
  const createSql = (stored: string): string => (x.db.prepare("SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?").get(stored) as { sql: string }).sql;
  /** The column's stored spelling, or Sequelize's own error for a missing column. */
  const storedColumn = (stored: string, column: string): string => {
    const names = x.db.prepare("SELECT name FROM pragma_table_xinfo(?, 'main')").pluck().all(stored) as string[];
    const found = names.find((n) => sameName(n, column));
    if (found === undefined) throw new Error(`Table ${stored} doesn't have the column ${column}`);
    return found;
  };
  const refuse = (method: string, why: string): Error => new Error(`queryInterface.${method}: ${why}; write this change with ctx.ops (docs/schema-operations.md)`);

  const methods = {
    async renameTable(before: TableArgument, after: TableArgument): Promise<void> {
      ops.renameTable(tableName(before), tableName(after));
    },

    async renameColumn(table: TableArgument, before: string, after: string): Promise<void> {
      const stored = storedTableName(x, tableName(table));
      ops.renameColumn(stored, storedColumn(stored, before), after);
    },

    async removeColumn(table: TableArgument, column: string): Promise<void> {
      const stored = storedTableName(x, tableName(table));
      ops.dropColumn(stored, storedColumn(stored, column));
    },

    async changeColumn(table: TableArgument, column: string, dataTypeOrOptions: unknown): Promise<void> {
      const stored = storedTableName(x, tableName(table));
      const name = storedColumn(stored, column);
      const part = splitCreateTable(createSql(stored)).parts.find((p) => {
        const own = columnOfPart(p);
        return own !== null && sameName(own, name);
      });
      if (part === undefined) throw refuse('changeColumn', `${stored}.${name} is not a column of the table's CREATE TABLE`);
      const current = parseColumnDefinition(part);
      const info = x.db.prepare("SELECT name, pk FROM pragma_table_xinfo(?, 'main')").all(stored) as { name: string; pk: number }[];
      const fk = (
        x.db.prepare('SELECT "table", "to", on_update, on_delete, "from" FROM pragma_foreign_key_list(?, \'main\')').all(stored) as (ForeignKey & { from: string })[]
      ).find((f) => sameName(f.from, name));
      const definition = changedDefinition(`changeColumn(${JSON.stringify(stored)}, ${JSON.stringify(name)})`, {
        attribute: { ...internals.normalizeAttribute(dataTypeOrOptions) },
        current,
        primaryKey: info.some((c) => c.name === name && c.pk > 0),
        rowidAlias:
          info.filter((c) => c.pk > 0).length === 1 &&
          info.some((c) => c.name === name && c.pk > 0) &&
          /^integer$/i.test(current.type) &&
          !/without\s+rowid/i.test(splitCreateTable(createSql(stored)).tail),
        uniqueAlone:
          x.db
            .prepare(
              "SELECT il.name FROM pragma_index_list(?, 'main') il WHERE il.origin = 'u' AND (SELECT count(*) FROM pragma_index_info(il.name, 'main')) = 1 AND (SELECT name FROM pragma_index_info(il.name, 'main')) = ?",
            )
            .all(stored, name).length > 0,
        foreignKey: fk,
        generator,
        refuse: (why) => refuse('changeColumn', why),
      });
      ops.alterColumn(stored, name, definition);
    },

    async addConstraint(table: TableArgument, options: Record<string, unknown>): Promise<void> {
      if (!options?.fields) throw new Error('Fields must be specified through options.fields');
      if (!options.type) throw new Error('Constraint type must be specified through options.type');
      if (String(options.type).toUpperCase() === 'DEFAULT')
        throw refuse('addConstraint', "SQLite has no DEFAULT constraints; change the column's DEFAULT with changeColumn or ops.alterColumn");
      const stored = storedTableName(x, tableName(table));
      const snippet = generator.getConstraintSnippet(tableName(table), structuredCloneOptions(options));
      const { head, parts, tail } = splitCreateTable(createSql(stored));
      ops.rebuildTable(stored, { create: `${head} (${[...parts, snippet].join(', ')})${tail ? ' ' + tail : ''}` });
    },

    async removeConstraint(table: TableArgument, constraintName: string): Promise<void> {
      const stored = storedTableName(x, tableName(table));
      const { head, parts, tail } = splitCreateTable(createSql(stored));
      let found = false;
      const kept: string[] = [];
      for (const part of parts) {
        if (columnOfPart(part) === null) {
          const c = parseTableConstraint(part);
          if (!found && c.name !== null && sameName(c.name, constraintName)) {
            found = true;
            continue;
          }
          kept.push(part);
          continue;
        }
        const def = parseColumnDefinition(part);
        const rest = def.constraints.filter((c) => found || !namedConstraint(c.text, constraintName));
        if (rest.length === def.constraints.length) {
          kept.push(part);
          continue;
        }
        found = true;
        kept.push([def.nameSql, def.type, ...rest.map((c) => c.text)].filter((s) => s !== '').join(' '));
      }
      if (!found) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { UnknownConstraintError } = require('sequelize') as typeof import('sequelize');
        const index = x.db.prepare("SELECT name FROM main.sqlite_schema WHERE type = 'index' AND tbl_name = ?").pluck().all(stored) as string[];
        const hint = index.some((n) => sameName(n, constraintName)) ? ` (${constraintName} is an index: use removeIndex)` : '';
        throw new UnknownConstraintError({ message: `Constraint ${constraintName} on table ${stored} does not exist${hint}`, constraint: constraintName, table: stored });
      }
      ops.rebuildTable(stored, { create: `${head} (${kept.join(', ')})${tail ? ' ' + tail : ''}` });
    },
  };
  Object.assign(qi, methods);
  return qi;
}

/** A copy of addConstraint's options (Sequelize's getConstraintSnippet writes into them). */
function structuredCloneOptions(options: Record<string, unknown>): Record<string, unknown> {
  return {
    ...options,
    fields: Array.isArray(options.fields) ? options.fields.map((f) => (typeof f === 'object' && f !== null && f.constructor === Object ? { ...f } : f)) : options.fields,
  };
}

/** True when a column constraint's text starts `CONSTRAINT <name>`. */
function namedConstraint(text: string, name: string): boolean {
  const tokens = tokenizeSql(text);
  const id = tokens[1] ? identifierOf(tokens[1]) : null;
  return tokens[0]?.kind === 'word' && tokens[0].text === 'constraint' && id !== null && sameName(id, name);
}

/** The QueryInterface methods that change a table's schema in place on SQLite (Sequelize rebuilds for most). */
export const SCHEMA_CHANGING_METHODS = ['changeColumn', 'removeColumn', 'renameColumn', 'renameTable', 'addConstraint', 'removeConstraint'] as const;

/**
 * Makes `qi` (the QueryInterface of an open document's Sequelize, outside migrations) reject the
 * schema-changing methods: there they would run Sequelize's lossy rebuild on a connection with
 * foreign keys ON (its DROP TABLE empties ON DELETE CASCADE children), outside any migration and
 * version record. Each rejects with an Error saying to write the change as a migration.
 */
export function refuseSchemaChanges(qi: QueryInterface): QueryInterface {
  for (const method of SCHEMA_CHANGING_METHODS) {
    Object.assign(qi, {
      [method]: async () => {
        throw new Error(`queryInterface.${method} is refused on an open document: change the schema in a migration (ctx.queryInterface or ctx.ops)`);
      },
    });
  }
  return qi;
}
