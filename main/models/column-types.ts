import { DataTypes, type AbstractDataType } from 'sequelize';

/**
 * Sequelize column types for document columns whose stored form Sequelize's own types would
 * change. Other tools read Fieldbook documents, so what Sequelize writes must be byte-for-byte
 * the format of SCHEMA-HISTORY.md.
 *
 * Custom types follow Sequelize v6's documented recipe: extend the raw ABSTRACT class
 * (`DataTypes.ABSTRACT.prototype.constructor`; the exported `DataTypes.ABSTRACT` is a proxy whose
 * `construct` trap drops subclasses) and use a `key` no dialect maps, so `normalizeDataType` keeps
 * the instance instead of replacing it with the dialect's class of the same key.
 */
const AbstractType = (DataTypes.ABSTRACT as unknown as { prototype: { constructor: new () => AbstractDataType } }).prototype.constructor;

/** `YYYY-MM-DDTHH:MM:SS.sssZ`, what `strftime('%Y-%m-%dT%H:%M:%fZ','now')` stores. */
const ISO_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The stored text of a timestamp column (`samples.created_at`) for a Date or an ISO string.
 * @throws TypeError for anything that is not a valid point in time (nothing invalid is written)
 */
export function toIsoTimestamp(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new TypeError(`not a valid timestamp: ${JSON.stringify(value)}`);
  return date.toISOString();
}

/**
 * The Date a stored timestamp text means; `null`/`undefined` pass through (an unsaved row, a
 * column left out of a query). Text in another format is still parsed when JavaScript can.
 */
export function fromIsoTimestamp(stored: unknown): Date | null | undefined {
  if (stored === null || stored === undefined) return stored;
  if (stored instanceof Date) return stored;
  return new Date(String(stored));
}

class IsoTimestampType extends AbstractType {
  static readonly key = 'FIELDBOOK_ISO_TIMESTAMP';
  override key = IsoTimestampType.key;

  override toSql(): string {
    return 'TEXT';
  }

  validate(value: unknown): boolean {
    toIsoTimestamp(value);
    return true;
  }

  /** Model.set(): strings become Dates (reads from the database bypass this; see the getter). */
  _sanitize(value: unknown): unknown {
    if (typeof value === 'string' && ISO_TIMESTAMP_PATTERN.test(value)) return new Date(value);
    return value;
  }

  _isChanged(value: unknown, original: unknown): boolean {
    if (value instanceof Date && original instanceof Date) return value.getTime() !== original.getTime();
    return value !== original;
  }

  /** Used for both inline values (WHERE) and bind parameters (INSERT/UPDATE). */
  _stringify(value: unknown): string {
    return toIsoTimestamp(value);
  }
}

/**
 * A TEXT timestamp stored as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, milliseconds), exposed as a Date.
 * Sequelize's DATE would write `YYYY-MM-DD HH:mm:ss.SSS +00:00`, which breaks the file format and
 * compares wrongly against stored values (`' '` sorts before `'T'`). Pair it with a getter using
 * `fromIsoTimestamp`: Sequelize builds instances from query rows raw, so no type converts on read.
 */
export function isoTimestamp(): AbstractDataType {
  return new IsoTimestampType();
}

class UntypedValueType extends AbstractType {
  static readonly key = 'FIELDBOOK_UNTYPED';
  override key = UntypedValueType.key;

  override toSql(): string {
    return '';
  }
}

/**
 * A column declared without a type (`data_issues.original_value`): it keeps each value's own
 * storage class, so values pass through unconverted both ways (TEXT would be a lie that
 * validation could act on; BLOB would turn strings into Buffers).
 */
export function untypedValue(): AbstractDataType {
  return new UntypedValueType();
}

/**
 * Sequelize validator for ISO calendar dates (`samples.collected_on`): `YYYY-MM-DD` naming a day
 * that exists: the only form the version-4 migration stores. SQLite does not check it, so the
 * model does. (Sequelize's DATEONLY is not used: it would write `'Invalid date'` for 2023-02-30.)
 * @throws Error for anything else
 */
export function isIsoDate(value: unknown): void {
  if (value === null || value === undefined) return;
  const text = String(value);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : null;
  if (!day || Number.isNaN(day.getTime()) || !day.toISOString().startsWith(text)) {
    throw new Error(`not an ISO date (YYYY-MM-DD, a day that exists): ${JSON.stringify(value)}`);
  }
}
