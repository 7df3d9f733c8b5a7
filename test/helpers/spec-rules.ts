/**
 * Reference implementations of shared/SCHEMA-HISTORY.md's conversion rules, written from the
 * spec's prose in plain JS (regular expressions, calendar arithmetic), so the SQL migrations can
 * be checked against an independent reading on generated data.
 */
import { seededRandom } from './seeded-random';

/** What migrations trim around values: JS's whitespace plus NEL (U+0085). */
const SPACE = '[\\s\\u0085]';
const TRIM = new RegExp(`^${SPACE}+|${SPACE}+$`, 'gu');

/**
 * The issue's reading: text holding a NUL character (U+0000) anywhere is neither a number nor a
 * date, even where the rest of it would be (`'12.5\0abc'`, `'2014-02-16 \0'`).
 */
const hasNul = (text: string) => text.includes('\0');

/** Version 3: the number a measurement value becomes, and whether a data issue records the original. */
export function specNumber(value: unknown): { value: number | null; issue: boolean } {
  if (value === null || value === undefined) return { value: null, issue: false };
  if (typeof value !== 'string' || hasNul(value)) return { value: null, issue: true };
  let t = value.replace(TRIM, '');
  if ((t.match(/,/g) ?? []).length === 1 && !t.includes('.')) t = t.replace(',', '.');
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) return { value: Number(t), issue: false };
  return { value: null, issue: true };
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** The ISO date of year `y` (0001–9999: four digits, and there is no year 0), month `m`, day `d`, if it exists. */
function isoIfReal(y: number, m: number, d: number): string | null {
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days[m - 1]!) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Version 4: the ISO date free text becomes, and whether a data issue records the original. */
export function specDate(value: unknown): { value: string | null; issue: boolean } {
  if (value === null || value === undefined) return { value: null, issue: false };
  if (typeof value !== 'string' || hasNul(value)) return { value: null, issue: true };
  const t = value.replace(TRIM, '');
  let iso: string | null = null;
  const isoForm = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][\s\S]*)?$/.exec(t);
  const dmy = /^([0-9]{1,2})([/.])([0-9]{1,2})\2([0-9]{4})$/.exec(t);
  if (isoForm) iso = isoIfReal(Number(isoForm[1]), Number(isoForm[2]), Number(isoForm[3]));
  else if (dmy) iso = isoIfReal(Number(dmy[4]), Number(dmy[3]), Number(dmy[1]));
  return iso === null ? { value: null, issue: true } : { value: iso, issue: false };
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

/** Strings built from the characters that matter to the number rule, mostly number-like. */
export function randomValueTexts(count: number, seed: number): string[] {
  const r = seededRandom(seed);
  const parts = ['0', '1', '7', '42', '.', ',', 'e', 'E', '+', '-', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', 'x', '١', '..', '5', '\0'];
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(r() * 7);
    return Array.from({ length: n }, () => pick(r, parts)).join('');
  });
}

/** Strings around the date rule's forms: real and impossible dates, years 0000 and 0001, separators, suffixes, NULs. */
export function randomDateTexts(count: number, seed: number): string[] {
  const r = seededRandom(seed);
  const num = (max: number, width: number) => String(Math.floor(r() * max)).padStart(width, '0');
  const withNul = (text: string) => {
    if (r() >= 0.1) return text;
    const at = Math.floor(r() * (text.length + 1));
    return text.slice(0, at) + '\0' + text.slice(at);
  };
  return Array.from({ length: count }, () => withNul(dateText(r, num)));
}

function dateText(r: () => number, num: (max: number, width: number) => string): string {
  const y = pick(r, ['2020', '2021', '1999', '2000', '1900', '0000', '0001', '9999', '20', '12345']);
  const m = pick(r, [num(14, 1), num(14, 2), '2', '02', '13', '00']);
  const d = pick(r, [num(33, 1), num(33, 2), '29', '30', '31', '0']);
  const form = Math.floor(r() * 6);
  const pad = pick(r, ['', ' ', '\t', '  ']);
  if (form === 0) return `${pad}${y}-${m}-${d}${pad}`;
  if (form === 1) return `${y}-${m}-${d}${pick(r, ['T10:00', ' 08:30', 't10', 'x', 'T', ' '])}`;
  if (form === 2) return `${pad}${d}/${m}/${y}`;
  if (form === 3) return `${d}.${m}.${y}${pad}`;
  if (form === 4) return `${d}${pick(r, ['/', '.'])}${m}${pick(r, ['/', '.'])}${y}`;
  return pick(r, ['', 'spring', 'n/a', '2021', '1/1', '--']);
}

/** A `samples.code` as SQLite holds it: text, or a BLOB (a Buffer). */
export type CodeValue = string | Buffer;

/** The identity of a code for "already a code at that site": its type and its bytes (SQLite's BINARY comparison). */
const codeKey = (code: CodeValue) => (typeof code === 'string' ? `t:${Buffer.from(code).toString('hex')}` : `b:${code.toString('hex')}`);

/**
 * Version 5, read one row at a time as the spec says: per site, in ascending id order, the first
 * sample with a code keeps it; each later one with the same code gets the text `code-k` with the
 * smallest k >= 2 that is not already a code at that site (pre-existing or just assigned).
 * Returns the new code of each renamed sample, by id.
 */
export function specCodeRenames(samples: readonly { id: number; siteId: number | null; code: CodeValue }[]): Map<number, string> {
  const renames = new Map<number, string>();
  const taken = new Map<number, Set<string>>();
  const sorted = [...samples].filter((s) => s.siteId !== null).sort((a, b) => a.id - b.id);
  for (const s of sorted) {
    const codes = taken.get(s.siteId!) ?? new Set<string>();
    taken.set(s.siteId!, codes);
    for (const other of sorted) if (other.siteId === s.siteId) codes.add(codeKey(other.code));
  }
  const seen = new Set<string>();
  for (const s of sorted) {
    const pair = `${s.siteId}|${codeKey(s.code)}`;
    if (!seen.has(pair)) {
      seen.add(pair);
      continue;
    }
    const codes = taken.get(s.siteId!)!;
    const text = typeof s.code === 'string' ? s.code : s.code.toString('utf8');
    let k = 2;
    while (codes.has(codeKey(`${text}-${k}`))) k++;
    codes.add(codeKey(`${text}-${k}`));
    renames.set(s.id, `${text}-${k}`);
  }
  return renames;
}

/** Sample codes around the version-5 rule: few stems, suffixes that collide, NULs, BLOBs with the bytes of a text code. */
export function randomCodes(count: number, seed: number): CodeValue[] {
  const r = seededRandom(seed);
  const stems = ['A', 'a', 'A-2', '\0', 'A\0', 'A\0x', '\0-2', 'é', 'A-', ''];
  return Array.from({ length: count }, () => {
    let text = pick(r, stems);
    if (r() < 0.4) text += `-${1 + Math.floor(r() * 4)}`;
    return r() < 0.15 ? Buffer.from(text) : text;
  });
}
