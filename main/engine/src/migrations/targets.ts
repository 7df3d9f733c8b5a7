import { classifyDocument, problemError } from '../documents/classify';
import type { Engine } from '../engine';
import { FieldbookError } from '../errors';

/** A migration target as users write it (see resolveTarget). */
export type Target = string | number;

/**
 * Resolves a target to a version number:
 * `head`, `base` (0), a version number, `+N`/`-N` relative to `current`, a unique prefix of a
 * migration name (`0003`, `0003-num`), or any of those followed by `+N`/`-N` (`3+1`, `head-2`).
 * @throws FieldbookError BAD_TARGET (unknown, ambiguous, out of range, relative without a current version)
 */
export function resolveTarget(target: Target, names: readonly string[], current: number | null): number {
  const head = names.length;
  const text = String(target).trim();
  const bad = (why: string) => new FieldbookError('BAD_TARGET', `bad target "${text}": ${why}`);
  let version: number;
  const relative = /^([+-])(\d+)$/.exec(text);
  const offset = /^(.+?)([+-])(\d+)$/.exec(text);
  if (relative) {
    if (current === null) throw bad(`a relative target counts from a document's version and there is no document here (write head${relative[1]}${relative[2]} to count from head)`);
    version = current + (relative[1] === '+' ? 1 : -1) * Number(relative[2]);
  } else if (offset && !names.some((n) => n.startsWith(text))) {
    const baseVersion = resolveTarget(offset[1]!, names, current);
    version = baseVersion + (offset[2] === '+' ? 1 : -1) * Number(offset[3]);
  } else if (text === 'head') {
    version = head;
  } else if (text === 'base') {
    version = 0;
  } else if (/^\d+$/.test(text) && !(text.length === 4 && names.some((n) => n.startsWith(text + '-')))) {
    version = Number(text);
  } else {
    const candidates = names.filter((n) => n.startsWith(text));
    if (candidates.length === 0) throw bad(`no migration is named like that (known: ${names.join(', ') || 'none'})`);
    if (candidates.length > 1) throw bad(`ambiguous, it could be ${candidates.join(', ')}`);
    version = names.indexOf(candidates[0]!) + 1;
  }
  if (!Number.isInteger(version) || version < 0 || version > head) throw bad(`versions go from 0 (base) to ${head} (head)`);
  return version;
}

/** Whether a target counts from a document's version (`-1`, `+2`), so resolving it needs one. */
export function isRelativeTarget(target: Target): boolean {
  return /^[+-]\d/.test(String(target).trim());
}

/**
 * The version a relative target given for `document` counts from: its version (an unversioned
 * 0.9 document counts as the version it is adopted as); null when the target is not relative
 * (the document is then not looked at).
 * @throws FieldbookError the document's own problem (NOT_FOUND, TOO_NEW, NOT_A_FIELDBOOK, ...), for a relative target
 */
export function relativeBase(target: Target, document: string, engine: Engine): number | null {
  if (!isRelativeTarget(target)) return null;
  const c = classifyDocument(document, { engine });
  const problem = problemError(c);
  if (problem) throw problem;
  return c.status === 'legacy' ? engine.adoptUnversionedAs ?? 0 : c.version ?? 0;
}
