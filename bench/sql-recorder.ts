import fs = require('node:fs');
import path = require('node:path');
import Database from 'better-sqlite3';

/**
 * The lower bound "the same SQL by hand": every call an engine operation makes into
 * better-sqlite3 (opening and closing connections, exec, pragma, prepare, and each run, get,
 * all or iterate of a prepared statement with its parameters), recorded once and then replayed
 * with nothing around it. The replay does all the SQLite work the engine did, checks included
 * (quick_check, foreign_key_check, the schema reads that prove nothing was lost or forged), and
 * none of the engine's own: no JavaScript deciding what to run, no module loading.
 *
 * The file checks any correct reader of a document makes before SQLite opens it (the document's
 * stat, whether a `-journal`, `-wal` or `-shm` sits beside it, its 100-byte header, the free
 * space of its folder) are recorded too, as `file` calls, in their place among the SQL calls:
 * they are system work the engine cannot skip without risking a write beside the file or a
 * read of a half-written one, so they belong to the lower bound (`withFileChecks: false` leaves
 * them out, for the SQL-only note). File calls on anything else (module and manifest files,
 * temporary files) are the engine's own and are not recorded.
 */
export type RecordedCall =
  | { op: 'open'; connection: number; file: string; readonly: boolean }
  | { op: 'file'; call: FileCall; file?: string; fd?: number; bytes?: number; position?: number | null; threw: boolean }
  | { op: 'close'; connection: number }
  | { op: 'exec'; connection: number; sql: string; threw: boolean }
  | { op: 'pragma'; connection: number; source: string; simple: boolean; threw: boolean }
  | { op: 'prepare'; connection: number; statement: number; sql: string; threw: boolean }
  | { op: 'statement'; statement: number; method: StatementMethod; args: unknown[]; steps?: number; threw: boolean };

/** The node:fs calls recorded as the document's file checks (see RecordedCall). */
type FileCall = 'statSync' | 'lstatSync' | 'existsSync' | 'statfsSync' | 'openSync' | 'readSync' | 'fstatSync' | 'closeSync';
const FILE_CALLS: readonly FileCall[] = ['statSync', 'lstatSync', 'existsSync', 'statfsSync', 'openSync', 'readSync', 'fstatSync', 'closeSync'];
const FD_CALLS: ReadonlySet<FileCall> = new Set(['readSync', 'fstatSync', 'closeSync']);

type StatementMethod = 'run' | 'get' | 'all' | 'iterate' | 'pluck' | 'raw' | 'expand' | 'bind' | 'columns' | 'safeIntegers';
const STATEMENT_METHODS: readonly StatementMethod[] = ['run', 'get', 'all', 'iterate', 'pluck', 'raw', 'expand', 'bind', 'columns', 'safeIntegers'];
/** Database methods an engine call could use that this recorder cannot replay: recording one fails the capture. */
const UNSUPPORTED = ['backup', 'serialize', 'function', 'aggregate', 'table', 'loadExtension', 'transaction', 'unsafeMode'] as const;

/** What the placeholder `file` of a recorded open stands for: the document the operation was given. */
const DOCUMENT = '<document>';
/** ... and of its folder (free space). */
const FOLDER = '<folder>';

/**
 * Records every better-sqlite3 call made while `operation` runs, with the document's path
 * replaced by a placeholder so the calls can be replayed on a fresh copy. Patches the library's
 * prototypes for the duration (a bench trial process does nothing else meanwhile).
 * @throws Error when the operation uses a call the replay cannot make (a backup, a function)
 */
export async function recordCalls(document: string, operation: () => Promise<unknown> | unknown): Promise<RecordedCall[]> {
  const calls: RecordedCall[] = [];
  const connections = new WeakMap<object, number>();
  const statements = new WeakMap<object, number>();
  let nextConnection = 0;
  let nextStatement = 0;
  const absolute = path.resolve(document);
  const connectionOf = (db: Database.Database): number => {
    let id = connections.get(db);
    if (id === undefined) {
      id = nextConnection++;
      connections.set(db, id);
      calls.push({ op: 'open', connection: id, file: path.resolve(db.name) === absolute ? DOCUMENT : db.name, readonly: db.readonly });
    }
    return id;
  };
  const dbProto = Database.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  const saved: [Record<string, unknown>, string, unknown][] = [];
  const patch = (proto: Record<string, (...args: unknown[]) => unknown>, name: string, wrap: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown) => {
    const original = proto[name]!;
    saved.push([proto, name, original]);
    proto[name] = wrap(original);
  };
  /** Inside a better-sqlite3 call: its own file calls are the library's, made again by the replay of that call. */
  let inLibrary = 0;
  /** Records `call`, then makes it, marking it when it throws (the replay expects the same). */
  const made = <T>(call: RecordedCall & { threw: boolean }, make: () => T): T => {
    calls.push(call);
    inLibrary++;
    try {
      return make();
    } catch (error) {
      call.threw = true;
      throw error;
    } finally {
      inLibrary--;
    }
  };
  // The document's file checks (see RecordedCall): calls on the document, its companions and
  // (free space) its folder, and on descriptors opened on those.
  // node:fs itself (the engine's `import * as fs` reads its functions through getters), not this file's namespace object.
  const fsModule = require('node:fs') as Record<string, (...args: unknown[]) => unknown>;
  const folder = path.dirname(absolute);
  const placeholder = (file: unknown): string | null => {
    if (typeof file !== 'string') return null;
    const resolved = path.resolve(file);
    if (resolved === absolute || (/^-(journal|wal|shm)$/.test(resolved.slice(absolute.length)) && resolved.startsWith(absolute))) return DOCUMENT + resolved.slice(absolute.length);
    return resolved === folder ? FOLDER : null;
  };
  const descriptors = new Map<number, number>();
  let nextDescriptor = 0;
  for (const name of FILE_CALLS) {
    patch(
      fsModule,
      name,
      (original) =>
        function (this: unknown, ...args) {
          if (inLibrary > 0) return original.apply(this, args);
          if (FD_CALLS.has(name)) {
            const fd = descriptors.get(args[0] as number);
            if (fd === undefined) return original.apply(this, args);
            if (name === 'closeSync') descriptors.delete(args[0] as number);
            const bytes = name === 'readSync' ? readLength(args) : undefined;
            const position = name === 'readSync' ? readPosition(args) : undefined;
            return made({ op: 'file', call: name, fd, bytes, position, threw: false }, () => original.apply(this, args));
          }
          const file = placeholder(args[0]);
          if (file === null || (file === FOLDER && name !== 'statfsSync')) return original.apply(this, args);
          const result = made({ op: 'file', call: name, file, threw: false }, () => original.apply(this, args));
          if (name === 'openSync') descriptors.set(result as number, nextDescriptor++);
          return result;
        },
    );
  }
  patch(
    dbProto,
    'exec',
    (original) =>
      function (this: Database.Database, ...args) {
        return made({ op: 'exec', connection: connectionOf(this), sql: String(args[0]), threw: false }, () => original.apply(this, args));
      },
  );
  patch(
    dbProto,
    'pragma',
    (original) =>
      function (this: Database.Database, ...args) {
        const simple = (args[1] as { simple?: boolean } | undefined)?.simple === true;
        return made({ op: 'pragma', connection: connectionOf(this), source: String(args[0]), simple, threw: false }, () => original.apply(this, args));
      },
  );
  patch(
    dbProto,
    'prepare',
    (original) =>
      function (this: Database.Database, ...args) {
        const id = nextStatement++;
        const statement = made({ op: 'prepare', connection: connectionOf(this), statement: id, sql: String(args[0]), threw: false }, () => original.apply(this, args) as object);
        statements.set(statement, id);
        return statement;
      },
  );
  patch(
    dbProto,
    'close',
    (original) =>
      function (this: Database.Database, ...args) {
        if (this.open) calls.push({ op: 'close', connection: connectionOf(this) });
        return original.apply(this, args);
      },
  );
  for (const name of UNSUPPORTED) {
    patch(dbProto, name, () => () => {
      throw new Error(`the SQL recorder cannot replay Database#${name}: this operation has no "same SQL by hand" baseline`);
    });
  }
  for (const method of STATEMENT_METHODS) {
    patch(
      statementProto,
      method,
      (original) =>
        function (this: object, ...args) {
          const statement = statements.get(this);
          if (statement === undefined) return original.apply(this, args);
          const call: RecordedCall & { op: 'statement' } = { op: 'statement', statement, method, args: args.map(encode), threw: false };
          const result = made(call, () => original.apply(this, args));
          if (method !== 'iterate') return result;
          // Every next() is recorded, the one that finds no more rows too: that one runs the
          // statement to its end (the whole scan of a PRAGMA foreign_key_check that finds nothing).
          call.steps = 0;
          const iterator = result as IterableIterator<unknown>;
          return {
            next: () => {
              call.steps! += 1;
              return iterator.next();
            },
            return: (value?: unknown) => iterator.return?.(value) ?? { done: true, value },
            [Symbol.iterator]() {
              return this;
            },
          };
        },
    );
  }
  try {
    await operation();
  } finally {
    for (const [proto, name, original] of saved.reverse()) proto[name] = original;
  }
  return calls;
}

/**
 * Replays recorded calls on `document` (a fresh copy of the one recorded), as fast as
 * better-sqlite3 allows; `withFileChecks: false` skips the document's file checks.
 */
export function replayCalls(document: string, calls: readonly RecordedCall[], options: ReplayOptions = {}): void {
  compileReplay(document, calls, options)();
}

export interface ReplayOptions {
  /** Make the document's file checks too (default true). */
  withFileChecks?: boolean;
}

/**
 * replayCalls, prepared: every recorded call turned into a function with its arguments bound, so
 * that a run does only the calls themselves (no decoding, dispatch or path building), like code
 * written by hand. Each run of the result replays all the calls once.
 */
export function compileReplay(document: string, calls: readonly RecordedCall[], options: ReplayOptions = {}): () => void {
  const connections: Database.Database[] = [];
  const statements: Database.Statement[] = [];
  const descriptors: number[] = [];
  const buffer = Buffer.alloc(65536);
  const fileChecks = options.withFileChecks ?? true;
  const steps: (() => unknown)[] = [];
  let opened = 0;
  for (const call of calls) {
    const step = compileCall(call);
    if (step !== null) steps.push(call.op === 'open' || call.op === 'close' || !call.threw ? step : mayThrow(step));
  }
  return () => {
    for (let i = 0; i < steps.length; i++) steps[i]!();
    for (const db of connections) if (db.open) db.close();
    connections.length = 0;
  };

  function compileCall(call: RecordedCall): (() => unknown) | null {
    switch (call.op) {
      case 'open': {
        const file = call.file === DOCUMENT ? document : call.file;
        const openOptions = { readonly: call.readonly, fileMustExist: true };
        return () => (connections[call.connection] = new Database(file, openOptions));
      }
      case 'close':
        return () => connections[call.connection]!.close();
      case 'exec':
        return () => connections[call.connection]!.exec(call.sql);
      case 'pragma': {
        const pragmaOptions = { simple: call.simple };
        return () => connections[call.connection]!.pragma(call.source, pragmaOptions);
      }
      case 'prepare':
        return () => (statements[call.statement] = connections[call.connection]!.prepare(call.sql));
      case 'statement': {
        const args = call.args.map(decode);
        const method = call.method;
        if (method === 'iterate') {
          const steps = call.steps ?? 0;
          return () => {
            const iterator = statements[call.statement]!.iterate(...args);
            for (let i = 0; i < steps; i++) iterator.next();
            iterator.return?.();
          };
        }
        return () => (statements[call.statement]![method] as (...a: unknown[]) => unknown)(...args);
      }
      case 'file':
        return fileChecks ? compileFileCall(call) : null;
    }
  }

  function compileFileCall(call: RecordedCall & { op: 'file' }): () => unknown {
    const file = call.file === FOLDER ? path.dirname(document) : document + (call.file ?? '').slice(DOCUMENT.length);
    const fd = call.fd ?? -1;
    const noThrow = { throwIfNoEntry: false } as const;
    switch (call.call) {
      case 'statSync':
        return () => fs.statSync(file, noThrow);
      case 'lstatSync':
        return () => fs.lstatSync(file, noThrow);
      case 'existsSync':
        return () => fs.existsSync(file);
      case 'statfsSync':
        return () => fs.statfsSync(file);
      case 'openSync': {
        const id = opened++; // descriptors are numbered in the order they were opened, as recorded
        return () => (descriptors[id] = fs.openSync(file, 'r'));
      }
      case 'readSync': {
        const bytes = Math.min(call.bytes ?? 0, buffer.length);
        const position = call.position ?? null;
        return () => fs.readSync(descriptors[fd]!, buffer, 0, bytes, position);
      }
      case 'fstatSync':
        return () => fs.fstatSync(descriptors[fd]!);
      case 'closeSync':
        return () => fs.closeSync(descriptors[fd]!);
    }
  }
}

/** A recorded call that threw when recorded: it may throw again, and nothing else may. */
function mayThrow(step: () => unknown): () => void {
  return () => {
    try {
      step();
    } catch {
      // as recorded
    }
  };
}

/** The length and position of a recorded fs.readSync(fd, buffer, offset, length, position) or (fd, buffer, options). */
function readLength(args: unknown[]): number {
  const options = args[2];
  if (options !== null && typeof options === 'object') return (options as { length?: number }).length ?? (args[1] as Buffer).length;
  return typeof args[3] === 'number' ? args[3] : (args[1] as Buffer).length;
}

function readPosition(args: unknown[]): number | null {
  const options = args[2];
  if (options !== null && typeof options === 'object') return (options as { position?: number | null }).position ?? null;
  return typeof args[4] === 'number' ? args[4] : null;
}

/** How many recorded calls ran SQL (everything but opening and closing connections). */
export function sqlCallCount(calls: readonly RecordedCall[]): number {
  return calls.filter((c) => c.op === 'exec' || c.op === 'pragma' || (c.op === 'statement' && ['run', 'get', 'all', 'iterate'].includes(c.method))).length;
}

export function writeCalls(file: string, calls: readonly RecordedCall[]): void {
  fs.writeFileSync(file, JSON.stringify(calls));
}

export function readCalls(file: string): RecordedCall[] {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RecordedCall[];
}

/** Bound parameters as JSON: Buffers and BigInts tagged, named-parameter objects walked. */
function encode(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { $buffer: value.toString('base64') };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  if (Array.isArray(value)) return value.map(encode);
  return value;
}

function decode(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as { $buffer?: string; $bigint?: string };
    if (typeof tagged.$buffer === 'string') return Buffer.from(tagged.$buffer, 'base64');
    if (typeof tagged.$bigint === 'string') return BigInt(tagged.$bigint);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  if (Array.isArray(value)) return value.map(decode);
  return value;
}
