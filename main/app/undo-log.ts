import { FieldbookError, type DocumentHandle } from '@fieldbook/engine';

type Connection = DocumentHandle['db'];

/** The tables a user's edits change, and so the ones undo restores. */
export const UNDOABLE_TABLES = ['sites', 'samples', 'measurements', 'instruments', 'tags', 'sample_tags', 'attachments', 'data_issues'] as const;

/** How many edits a window can undo (the issue asks for at least 50). */
export const UNDO_DEPTH = 100;

/** One edit the user can undo (or redo): its name, and the rows of the change log it wrote. */
interface Step {
  label: string;
  from: number;
  to: number;
}

/** What the window can undo and redo next, by the edits' names; null where there is nothing. */
export interface UndoState {
  undo: string | null;
  redo: string | null;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Undo and redo for one connection, after sqlite.org's "Automatic Undo/Redo Using SQLite": TEMP
 * triggers on the document's tables log every change an edit makes (a row inserted, the old
 * values of a row updated or deleted, kept with their own types, so a REAL or a BLOB comes back
 * exactly), in TEMP tables of the connection, which the document never holds. The changes of one
 * edit form one step. Undoing a step makes its changes' inverses in one transaction, newest
 * first, with foreign keys checked at its commit; the triggers log those too, and that is the
 * step's redo. A failed edit or undo rolls its transaction back, log rows included, so the
 * stacks stay as they were. Cascades (a sample's measurements deleted with it) and the
 * document's own triggers (the search index) are logged or rerun like any change.
 */
export class UndoLog {
  private readonly undoSteps: Step[] = [];
  private readonly redoSteps: Step[] = [];

  constructor(private readonly db: Connection) {
    const statements = ['CREATE TEMP TABLE fieldbook_undo (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, op TEXT NOT NULL, rid INTEGER NOT NULL)'];
    for (const table of UNDOABLE_TABLES) statements.push(...this.triggersFor(table));
    db.exec(statements.join(';\n'));
  }

  /** The newest log row (0 when none): an edit's changes are the rows after the mark taken before it. */
  mark(): number {
    return (this.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM temp.fieldbook_undo').get() as { seq: number }).seq;
  }

  /** Records the changes made since `mark` (if any) as one step called `label`; a new edit ends what could be redone. */
  recorded(label: string, mark: number): void {
    const to = this.mark();
    if (to <= mark) return;
    this.undoSteps.push({ label, from: mark + 1, to });
    for (const step of this.redoSteps.splice(0)) this.forget(step);
    if (this.undoSteps.length > UNDO_DEPTH) this.forget(this.undoSteps.shift()!);
  }

  state(): UndoState {
    return { undo: this.undoSteps.at(-1)?.label ?? null, redo: this.redoSteps.at(-1)?.label ?? null };
  }

  /** Undoes the newest step; returns its label, or null when there is none. @throws the SQLite error of an inverse that failed (nothing is changed) */
  undo(): string | null {
    return this.replay(this.undoSteps, this.redoSteps);
  }

  redo(): string | null {
    return this.replay(this.redoSteps, this.undoSteps);
  }

  private replay(from: Step[], to: Step[]): string | null {
    const step = from.at(-1);
    if (!step) return null;
    const mark = this.mark();
    this.db
      .transaction(() => {
        this.db.pragma('defer_foreign_keys = ON');
        const rows = this.db.prepare('SELECT seq, tbl, op, rid FROM temp.fieldbook_undo WHERE seq BETWEEN ? AND ? ORDER BY seq DESC').all(step.from, step.to) as {
          seq: number;
          tbl: string;
          op: string;
          rid: number;
        }[];
        for (const row of rows) this.inverse(row, mark);
        this.forget(step);
      })
      .immediate();
    from.pop();
    to.push({ label: step.label, from: mark + 1, to: this.mark() });
    return step.label;
  }

  /**
   * Makes the inverse of one logged change. A row that is not where the log left it (another
   * program changed the notebook since) stops the undo: nothing of it is made. A row to delete
   * that an earlier inverse of this replay already deleted by cascade (a sample's measurements,
   * deleted with it) is no such row: the cascade is in the new log rows, after `mark`.
   */
  private inverse(row: { seq: number; tbl: string; op: string; rid: number }, mark: number): void {
    const table = this.columnsOf(row.tbl);
    const saved = `temp.${q(`fieldbook_undo_${row.tbl}`)}`;
    let changed: number;
    if (row.op === 'inserted') {
      changed = this.db.prepare(`DELETE FROM main.${q(row.tbl)} WHERE rowid = ?`).run(row.rid).changes;
    } else if (row.op === 'deleted') {
      changed = this.db.prepare(`INSERT INTO main.${q(row.tbl)} (rowid, ${table.list}) SELECT old_rowid, ${table.list} FROM ${saved} WHERE seq = ?`).run(row.seq).changes;
    } else {
      changed = this.db
        .prepare(`UPDATE main.${q(row.tbl)} SET (rowid, ${table.list}) = (SELECT old_rowid, ${table.list} FROM ${saved} WHERE seq = ?) WHERE rowid = ?`)
        .run(row.seq, row.rid).changes;
    }
    if (
      changed === 0 &&
      row.op === 'inserted' &&
      this.db.prepare("SELECT 1 FROM temp.fieldbook_undo WHERE seq > ? AND tbl = ? AND rid = ? AND op = 'deleted'").get(mark, row.tbl, row.rid)
    )
      return;
    if (changed !== 1) {
      throw new FieldbookError('INVALID_VALUE', 'this edit can no longer be undone: the notebook was changed since by another program; nothing was changed');
    }
  }

  /** Drops a step's log rows (and the old values they kept). */
  private forget(step: Step): void {
    for (const table of UNDOABLE_TABLES) this.db.prepare(`DELETE FROM temp.${q(`fieldbook_undo_${table}`)} WHERE seq BETWEEN ? AND ?`).run(step.from, step.to);
    this.db.prepare('DELETE FROM temp.fieldbook_undo WHERE seq BETWEEN ? AND ?').run(step.from, step.to);
  }

  private readonly columns = new Map<string, { names: string[]; list: string }>();

  /** A table's columns other than its rowid alias (the rowid is logged as such). */
  private columnsOf(table: string): { names: string[]; list: string } {
    let known = this.columns.get(table);
    if (!known) {
      const info = this.db.prepare("SELECT name, type, pk FROM pragma_table_info(?, 'main')").all(table) as { name: string; type: string; pk: number }[];
      const keys = info.filter((c) => c.pk > 0);
      const alias = keys.length === 1 && keys[0]!.type.toUpperCase() === 'INTEGER' ? keys[0]!.name : null;
      const names = info.map((c) => c.name).filter((n) => n !== alias);
      known = { names, list: names.map(q).join(', ') };
      this.columns.set(table, known);
    }
    return known;
  }

  private triggersFor(table: string): string[] {
    const { names, list } = this.columnsOf(table);
    const saved = `temp.${q(`fieldbook_undo_${table}`)}`;
    const keep = (row: 'old') =>
      `INSERT INTO ${saved} (seq, old_rowid, ${list}) VALUES ((SELECT max(seq) FROM temp.fieldbook_undo), ${row}.rowid, ${names.map((n) => `${row}.${q(n)}`).join(', ')});`;
    const log = (op: string, row: 'old' | 'new') => `INSERT INTO temp.fieldbook_undo (tbl, op, rid) VALUES ('${table}', '${op}', ${row}.rowid);`;
    const name = (what: string) => q(`fieldbook_undo_${table}_${what}`);
    return [
      // Untyped columns: values are kept exactly as the document stored them.
      `CREATE TEMP TABLE ${saved} (seq INTEGER PRIMARY KEY, old_rowid, ${list})`,
      `CREATE TEMP TRIGGER ${name('insert')} AFTER INSERT ON main.${q(table)} BEGIN ${log('inserted', 'new')} END`,
      `CREATE TEMP TRIGGER ${name('update')} AFTER UPDATE ON main.${q(table)} BEGIN ${log('updated', 'new')} ${keep('old')} END`,
      `CREATE TEMP TRIGGER ${name('delete')} BEFORE DELETE ON main.${q(table)} BEGIN ${log('deleted', 'old')} ${keep('old')} END`,
    ];
  }
}
