import fs = require('node:fs');
import path = require('node:path');
import { FieldbookError, type MigrationModule } from '@fieldbook/engine';
import { MIGRATION_FILE } from '@fieldbook/engine/tooling';

/** One `NNNN-slug.ts` (or `.js`) file of a migrations folder. */
export interface MigrationFile {
  number: number;
  /** File name without extension (`0003-numeric-values`), as the manifest and documents record it. */
  name: string;
  /** File name (`0003-numeric-values.ts`). */
  file: string;
  path: string;
}

/**
 * The migration files of a folder, ordered by name. A folder holding both `.ts` and `.js`
 * versions of a migration lists the `.ts` one (the source).
 * @throws FieldbookError NOT_FOUND when the folder does not exist
 */
export function listMigrationFiles(dir: string): MigrationFile[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    throw new FieldbookError('NOT_FOUND', `no migrations folder ${dir}`);
  }
  const byName = new Map<string, MigrationFile>();
  for (const entry of entries.sort()) {
    const match = MIGRATION_FILE.exec(entry);
    if (!match) continue;
    const name = `${match[1]}-${match[2]}`;
    if (byName.has(name) && match[3] === 'js') continue;
    byName.set(name, { number: Number(match[1]), name, file: entry, path: path.join(dir, entry) });
  }
  return [...byName.values()];
}

export const pad = (n: number): string => String(n).padStart(4, '0');

/** The file renamed to another number (`0007-b.ts` → `0008-b.ts`). */
export function renumbered(file: MigrationFile, number: number): string {
  return pad(number) + file.file.slice(4);
}

/**
 * What is wrong with a folder's numbering (migrations must be numbered 0001, 0002, ... with no
 * gap and no number used twice), each as a message that says how to fix it. `inManifest` names
 * the migrations the manifest already lists: of two files with the same number, those are kept
 * and the others renumbered (a collision usually means two branches each added the next number).
 */
export function numberingProblems(files: readonly MigrationFile[], inManifest: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const byNumber = new Map<number, MigrationFile[]>();
  for (const f of files) byNumber.set(f.number, [...(byNumber.get(f.number) ?? []), f]);
  let nextFree = Math.max(0, ...files.map((f) => f.number)) + 1;
  for (const [number, group] of byNumber) {
    if (group.length < 2) continue;
    const kept = group.find((f) => inManifest.has(f.name)) ?? group[0]!;
    const moves = group.filter((f) => f !== kept).map((f) => `${f.file} → ${renumbered(f, nextFree++)}`);
    problems.push(
      `${group.length} migrations are numbered ${pad(number)} (${group.map((f) => f.file).join(', ')}), ` +
        `probably added on two branches. Keep ${kept.file}${inManifest.has(kept.name) ? ' (it is in the manifest)' : ''} and give the other ` +
        `the next free number: rename ${moves.join(', ')}, check that it still applies after ${kept.file}, then rebuild the manifest (npm run build).`,
    );
  }
  let previous = 0;
  for (const number of [...byNumber.keys()].sort((x, y) => x - y)) {
    const missing = previous + 1;
    previous = number;
    if (number === missing) continue;
    const first = byNumber.get(number)![0]!;
    const several = number - missing > 1;
    problems.push(
      `migration numbers must run 0001, 0002, ... without gaps: ${pad(missing)}${several ? `–${pad(number - 1)} are` : ' is'} ` +
        `missing before ${first.file}. Rename ${first.file} → ${renumbered(first, missing)} (and the files after it down by the same ` +
        `amount), then rebuild the manifest (npm run build).`,
    );
  }
  return problems;
}

/**
 * Loads a module from its file as it is now (a file edited since the last load is read again,
 * with the `.ts` files it imports): `.js` with Node's require, `.ts` through tsx (a development
 * dependency), so source folders work without a build. `what` names the files in the error.
 * @throws FieldbookError BAD_MIGRATIONS when TypeScript cannot be loaded
 */
export function loadSourceModule(file: string, what: string): unknown {
  for (const key of Object.keys(require.cache)) {
    if (key === file || key.startsWith(file + '?')) delete require.cache[key];
  }
  if (!file.endsWith('.ts')) {
    return require(file);
  }
  if (!tsx) {
    try {
      tsx = require('tsx/cjs/api') as TsxRequire;
    } catch (error) {
      throw new FieldbookError('BAD_MIGRATIONS', `loading TypeScript ${what} needs the tsx package (a development dependency): ${(error as Error).message}`, { cause: error });
    }
  }
  return tsx.require(file, __filename);
}

interface TsxRequire {
  require(id: string, fromFile: string): unknown;
}

let tsx: TsxRequire | undefined;

/**
 * Loads a migration module from its file, fresh (a file edited since the last load is read
 * again): `.js` with Node's require, `.ts` through tsx (a development dependency), so source
 * folders work without a build.
 * @throws FieldbookError BAD_MIGRATIONS when the file exports no `up()` or TypeScript cannot be loaded
 */
export function loadMigrationModule(file: string): MigrationModule {
  const loaded = loadSourceModule(file, 'migrations') as MigrationModule & { default?: MigrationModule };
  const mod = typeof loaded.up === 'function' ? loaded : loaded.default;
  if (!mod || typeof mod.up !== 'function') throw new FieldbookError('BAD_MIGRATIONS', `migration ${path.basename(file)} exports no up() function`);
  return mod;
}
