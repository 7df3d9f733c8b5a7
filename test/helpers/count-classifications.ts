import path = require('node:path');

/** The entry points of the engine's classification: each call is one look at a document. */
const ENTRY_POINTS = ['classifyDocument', 'classifyForReading', 'inspectDocument'] as const;

/** One classification countClassifications saw. */
export interface ClassificationCall {
  name: (typeof ENTRY_POINTS)[number];
  /** The document's path as the caller gave it (inspectDocument: the path it reports). */
  file: string;
  /** What `during()` answered at the call (e.g. "inside a background job"). */
  during: boolean;
}

/**
 * Records every classification the engine makes on this thread while `run` runs: calls of
 * classifyDocument, classifyForReading and inspectDocument from any caller (the app, openDocument,
 * upgradeDocument), made through the classify module's exports, which is how the engine's own
 * modules call them. The real functions run; no document, file or SQLite call is replaced.
 * A call made from inside the classify module itself (classifyDocument reading through
 * classifyForReading) is part of the one classification and is not counted again.
 */
export async function countClassifications<T>(run: () => Promise<T>, during: () => boolean = () => false): Promise<{ value: T; calls: ClassificationCall[] }> {
  // The module the engine's own files require; the entry's exports map hides it, its file does not.
  const file = path.join(path.dirname(require.resolve('@fieldbook/engine/package.json')), 'dist', 'documents', 'classify.js');
  const classify = require(file) as Record<string, unknown>;
  const calls: ClassificationCall[] = [];
  const originals = new Map<string, unknown>();
  for (const name of ENTRY_POINTS) {
    const original = classify[name];
    if (typeof original !== 'function') throw new Error(`the engine's classify module no longer exports ${name}: update this counter`);
    originals.set(name, original);
    classify[name] = function (this: unknown, ...args: unknown[]) {
      calls.push({ name, file: String(name === 'inspectDocument' ? args[2] : args[0]), during: during() });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  try {
    return { value: await run(), calls };
  } finally {
    for (const [name, original] of originals) classify[name] = original;
  }
}
