/**
 * What a Sequelize model cannot say about its SQLite table, declared beside it so the models
 * describe the schema completely (for `revision --autogenerate` and `check`).
 *
 * A model class declares it as a static property:
 *
 * ```ts
 * export class Site extends Model<...> {
 *   static readonly sqliteTable: SqliteTableOptions = {
 *     columnChecks: { lat: 'lat BETWEEN -90 AND 90' },
 *   };
 * }
 * ```
 *
 * or a config passes a map of table name → options (`DevtoolsConfig.tableOptions`); both are
 * merged, the config's entries last. Keys of `columnChecks` and `collations` are column names
 * (or attribute names, mapped through `field`).
 *
 * Everything else comes from Sequelize's own attribute and model options: `type` (see
 * model-schema.ts for how types map to SQLite declared types), `allowNull`, `defaultValue`
 * (the column's DEFAULT: `literal('(expr)')` for an expression), `primaryKey`, `unique`
 * (`true`, or a shared name for a composite UNIQUE), `references` with `onDelete`/`onUpdate`
 * (absent means NO ACTION, SQLite's default), and the model's `indexes` (`name`, `unique`,
 * `fields` with optional `collate`/`order`, `where`).
 */
export interface SqliteTableOptions {
  /** CHECK constraints written in a column's definition: column → expression(s), without the surrounding parentheses. */
  columnChecks?: Readonly<Record<string, string | readonly string[]>>;
  /** Table CHECK constraints (may use several columns), without the surrounding parentheses. */
  checks?: readonly string[];
  /** Collating sequence per column: `NOCASE`, `RTRIM` (`BINARY` is the default). */
  collations?: Readonly<Record<string, string>>;
  /** `INTEGER PRIMARY KEY AUTOINCREMENT`: row ids are never reused (default false). */
  autoincrement?: boolean;
  /** A WITHOUT ROWID table (default false). */
  withoutRowid?: boolean;
}

/** The static property a model class may carry (see SqliteTableOptions). */
export interface ModelWithSqliteTable {
  readonly sqliteTable?: SqliteTableOptions;
}
