/**
 * What refused an edit of a document: the kind of rule (a constraint of the schema, or a
 * validation of the Sequelize models) and the error's own words.
 */
export interface WriteRefusal {
  kind: 'unique' | 'check' | 'not-null' | 'foreign-key' | 'validation' | 'constraint';
  message: string;
}

const CONSTRAINT_KINDS: Record<string, WriteRefusal['kind']> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_NOTNULL: 'not-null',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign-key',
};

/**
 * The refusal an error thrown by an edit stands for, or null when it is not one. Sequelize's
 * errors are recognised by name, so that reading them never loads Sequelize; SQLite's by the
 * extended result code, on the error itself (better-sqlite3) or on the one Sequelize wraps.
 */
export function writeRefusal(error: unknown): WriteRefusal | null {
  const e = error as { name?: unknown; message?: unknown; errors?: { message?: unknown }[]; code?: unknown; parent?: { code?: unknown } } | null;
  if (typeof e !== 'object' || e === null) return null;
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (e.name === 'SequelizeUniqueConstraintError') return { kind: 'unique', message };
  if (e.name === 'SequelizeValidationError') {
    const each = (e.errors ?? []).map((x) => x.message).filter((m): m is string => typeof m === 'string' && m !== '');
    return { kind: 'validation', message: each.join('; ') || message };
  }
  const code = typeof e.parent?.code === 'string' ? e.parent.code : typeof e.code === 'string' ? e.code : '';
  if (!code.startsWith('SQLITE_CONSTRAINT')) return null;
  return { kind: CONSTRAINT_KINDS[code] ?? 'constraint', message };
}
