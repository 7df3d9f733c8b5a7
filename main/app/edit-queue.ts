import type { Sequelize, Transaction } from 'sequelize';
import { FieldbookError, type DocumentHandle, type WriteRefusal } from '@fieldbook/engine';
import type { UndoOutcome, UndoState } from '../ipc/contract';
import { inFieldbookWords, withField } from './edit-refusals';
import { UndoLog } from './undo-log';

/**
 * How an open document is changed: every edit is one transaction and one undo step (UndoLog),
 * run one at a time (edits, undos, redos and reads that must see one state queue up), through
 * the handle's `write`: a read-only document (from a newer app, or found damaged) refuses them
 * with READ_ONLY_DOCUMENT, and what the document's rules refuse is INVALID_VALUE, in
 * Fieldbook's words, with the form field it is about. DocumentSession builds its edits on it.
 */
export class EditQueue {
  readonly handle: DocumentHandle;
  protected readonly sequelize: Sequelize;
  private readonly undoLog: UndoLog | null;
  /** Edits, undos and redos, one after another (an edit's transaction spans several awaits). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(handle: DocumentHandle) {
    this.handle = handle;
    this.sequelize = handle.sequelize();
    this.undoLog = handle.readOnly ? null : new UndoLog(handle.db);
  }

  close(): void {
    this.handle.close();
  }

  /** Refuses every edit from now on with READ_ONLY_DOCUMENT saying `reason` (the notebook was found damaged). */
  refuseEdits(reason: string): void {
    this.refusal = reason;
  }

  private refusal: string | null = null;

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private refuseIfDamaged(): void {
    if (this.refusal) throw new FieldbookError('READ_ONLY_DOCUMENT', `This notebook is damaged, so it is open read-only: ${this.refusal}`);
  }

  /**
   * One edit called `label` (or what `label` reads, before the change): one transaction, one undo
   * step; refused as a whole or made as a whole. App features that change the notebook (an
   * import) make their whole change through here, with the transaction it is given.
   */
  edit<T>(label: string | (() => Promise<string>), change: (transaction: Transaction) => Promise<T>, describe: (refusal: WriteRefusal) => string = inFieldbookWords): Promise<T> {
    return this.serial(async () => {
      this.refuseIfDamaged();
      // A read-only handle refuses (READ_ONLY_DOCUMENT) before the change would run.
      if (this.handle.readOnly) return this.handle.write(() => change(undefined as never), describe);
      const name = typeof label === 'string' ? label : await label();
      const mark = this.undoLog?.mark() ?? 0;
      let result: T;
      try {
        result = await this.handle.write(() => this.sequelize.transaction((transaction) => change(transaction)), describe);
      } catch (error) {
        throw withField(error);
      }
      this.undoLog?.recorded(name, mark);
      return result;
    });
  }

  /**
   * Runs `read` between edits: no edit, undo or redo of this session starts until it settles, so
   * a read made in several steps that lets the process breathe in between (the CSV export) sees
   * one state of the notebook.
   */
  betweenEdits<T>(read: () => Promise<T>): Promise<T> {
    return this.serial(read);
  }

  undoState(): UndoState {
    return this.undoLog?.state() ?? { undo: null, redo: null };
  }

  /** Undoes the last edit (nothing when there is none). @throws FieldbookError READ_ONLY_DOCUMENT, INVALID_VALUE when the notebook no longer allows it (nothing is changed) */
  undo(): Promise<UndoOutcome> {
    return this.replay((log) => log.undo());
  }

  redo(): Promise<UndoOutcome> {
    return this.replay((log) => log.redo());
  }

  private replay(run: (log: UndoLog) => string | null): Promise<UndoOutcome> {
    return this.serial(async () => {
      this.refuseIfDamaged();
      if (!this.undoLog) throw new FieldbookError('READ_ONLY_DOCUMENT', 'this notebook is open read-only; nothing can be changed');
      const log = this.undoLog;
      let done: string | null;
      try {
        done = await this.handle.write(async () => run(log), inFieldbookWords);
      } catch (error) {
        throw withField(error);
      }
      return { done, state: log.state() };
    });
  }
}
