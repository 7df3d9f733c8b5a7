import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

/**
 * The lower bound "the same SQL by hand": every call an engine operation makes into
 * better-sqlite3 (opening and closing connections, exec, pragma, prepare, and each run, get,
 * all or iterate of a prepared statement with its parameters), recorded once and then replayed
 * with nothing around it. The replay does all the SQLite work the engine did, checks included
 * (quick_check, foreign_key_check, the schema reads that prove nothing was lost or forged), and
 * none of the engine's own: no JavaScript deciding what to run, no module loading, no file
 * planning. A ratio against it is the engine's overhead over its SQL.
 */
export type RecordedCall =
  | { op: 'open'; connection: number; file: string; readonly: boolean }
  | { op: 'close'; connection: number }
  | { op: 'exec'; connection: number; sql: string; threw: boolean }
  | { op: 'pragma'; connection: number; source: string; simple: boolean; threw: boolean }
  | { op: 'prepare'; connection: number; statement: number; sql: string; threw: boolean }
  | { op: 'statement'; statement: number; method: StatementMethod; args: unknown[]; rows?: number; threw: boolean };

type StatementMethod = 'run' | 'get' | 'all' | 'iterate' | 'pluck' | 'raw' | 'expand' | 'bind' | 'columns' | 'safeIntegers';
const STATEMENT_METHODS: readonly StatementMethod[] = ['run', 'get', 'all', 'iterate', 'pluck', 'raw', 'expand', 'bind', 'columns', 'safeIntegers'];
/** Database methods an engine call could use that this recorder cannot replay: recording one fails the capture. */
const UNSUPPORTED = ['backup', 'serialize', 'function', 'aggregate', 'table', 'loadExtension', 'transaction', 'unsafeMode'] as const;

/** What the placeholder `file` of a recorded open stands for: the document the operation was given. */
const DOCUMENT = '<document>';

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
  /** Records `call`, then makes it, marking it when it throws (the replay expects the same). */
  const made = <T>(call: RecordedCall & { threw: boolean }, make: () => T): T => {
    calls.push(call);
    try {
      return make();
    } catch (error) {
      call.threw = true;
      throw error;
    }
  };
  patch(dbProto, 'exec', (original) => function (this: Database.Database, ...args) {
    return made({ op: 'exec', connection: connectionOf(this), sql: String(args[0]), threw: false }, () => original.apply(this, args));
  });
  patch(dbProto, 'pragma', (original) => function (this: Database.Database, ...args) {
    const simple = (args[1] as { simple?: boolean } | undefined)?.simple === true;
    return made({ op: 'pragma', connection: connectionOf(this), source: String(args[0]), simple, threw: false }, () => original.apply(this, args));
  });
  patch(dbProto, 'prepare', (original) => function (this: Database.Database, ...args) {
    const id = nextStatement++;
    const statement = made({ op: 'prepare', connection: connectionOf(this), statement: id, sql: String(args[0]), threw: false }, () => original.apply(this, args) as object);
    statements.set(statement, id);
    return statement;
  });
  patch(dbProto, 'close', (original) => function (this: Database.Database, ...args) {
    if (this.open) calls.push({ op: 'close', connection: connectionOf(this) });
    return original.apply(this, args);
  });
  for (const name of UNSUPPORTED) {
    patch(dbProto, name, () => () => {
      throw new Error(`the SQL recorder cannot replay Database#${name}: this operation has no "same SQL by hand" baseline`);
    });
  }
  for (const method of STATEMENT_METHODS) {
    patch(statementProto, method, (original) => function (this: object, ...args) {
      const statement = statements.get(this);
      if (statement === undefined) return original.apply(this, args);
      const call: RecordedCall & { op: 'statement' } = { op: 'statement', statement, method, args: args.map(encode), threw: false };
      const result = made(call, () => original.apply(this, args));
      if (method !== 'iterate') return result;
      call.rows = 0;
      const iterator = result as IterableIterator<unknown>;
      return {
        next: () => {
          const step = iterator.next();
          if (!step.done) call.rows! += 1;
          return step;
        },
        return: (value?: unknown) => iterator.return?.(value) ?? { done: true, value },
        [Symbol.iterator]() {
          return this;
        },
      };
    });
  }
  try {
    await operation();
  } finally {
    for (const [proto, name, original] of saved.reverse()) proto[name] = original;
  }
  return calls;
}

/** Replays recorded calls on `document` (a fresh copy of the one recorded), as fast as better-sqlite3 allows. */
export function replayCalls(document: string, calls: readonly RecordedCall[]): void {
  const connections = new Map<number, Database.Database>();
  const statements = new Map<number, Database.Statement>();
  const connection = (id: number) => connections.get(id) ?? fail(`connection ${id} was not opened`);
  for (const call of calls) {
    switch (call.op) {
      case 'open':
        connections.set(call.connection, new Database(call.file === DOCUMENT ? document : call.file, { readonly: call.readonly, fileMustExist: true }));
        break;
      case 'close':
        connection(call.connection).close();
        break;
      case 'exec':
        replayed(call, () => connection(call.connection).exec(call.sql));
        break;
      case 'pragma':
        replayed(call, () => connection(call.connection).pragma(call.source, { simple: call.simple }));
        break;
      case 'prepare':
        replayed(call, () => statements.set(call.statement, connection(call.connection).prepare(call.sql)));
        break;
      case 'statement': {
        const statement = statements.get(call.statement) ?? fail(`statement ${call.statement} was not prepared`);
        const method = statement[call.method] as (...args: unknown[]) => unknown;
        replayed(call, () => {
          const result = method.apply(statement, call.args.map(decode));
          if (call.method === 'iterate') {
            const iterator = result as IterableIterator<unknown>;
            for (let i = 0; i < (call.rows ?? 0); i++) iterator.next();
            iterator.return?.();
          }
        });
        break;
      }
    }
  }
  for (const db of connections.values()) if (db.open) db.close();
}

/** Makes a recorded call again; one that threw when recorded may throw again, and nothing else may. */
function replayed(call: { threw: boolean }, make: () => unknown): void {
  try {
    make();
  } catch (error) {
    if (!call.threw) throw error;
  }
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

function fail(message: string): never {
  throw new Error(`replay: ${message}`);
}
