import { jsString } from './sql-text';

export interface MigrationSourceOptions {
  /** The migration's one-line `message`. */
  message: string;
  /** Module specifier to import the `MigrationContext` type from. */
  contextImport: string;
  /** Comment lines (without `//`) written above `up`. */
  header?: readonly string[];
  /** Lines of `up`'s body (code or `//` comments); empty: a commented hint. */
  up?: readonly string[];
  down?: readonly string[];
}

/** Each statement indented; the continuation lines of multi-line SQL are left as written (they are inside string literals). */
const indent = (lines: readonly string[]) => lines.map((l) => (l ? `  ${l}` : l)).join('\n');

/** `{ exec, ops }` (or the part of it the body uses). */
function parameters(body: readonly string[]): string {
  const code = body.filter((l) => !l.trimStart().startsWith('//')).join('\n');
  const used = ['exec', 'ops'].filter((name) => new RegExp(`\\b${name}[(.]`).test(code));
  return `{ ${(used.length ? used : ['exec', 'ops']).join(', ')} }`;
}

/**
 * The TypeScript source of a migration module in the shape of the hand-written ones: a
 * `message`, and typed `up` and `down` taking a `MigrationContext`.
 */
export function migrationSource(options: MigrationSourceOptions): string {
  const up = options.up?.length
    ? options.up
    : [
        '// Change the schema with exec(sql) and ops (addColumn, renameColumn, renameTable, dropColumn,',
        '// alterColumn, rebuildTable): they keep indexes, triggers and rows on SQLite.',
      ];
  const down = options.down?.length ? options.down : ['// Undo up(), so documents can be downgraded.'];
  const header = options.header?.length ? `\n${options.header.map((l) => (l ? `// ${l}` : '//')).join('\n')}\n` : '';
  return `import type { MigrationContext } from ${jsString(options.contextImport)};

export const message = ${jsString(options.message)};
${header}
export function up(${parameters(up)}: MigrationContext): void {
${indent(up)}
}

export function down(${parameters(down)}: MigrationContext): void {
${indent(down)}
}
`;
}

/**
 * The file-name slug for a message: lower-case ASCII letters, digits and dashes (what migration
 * file names allow), at most 50 characters, cut at a word boundary; `revision` if nothing is left.
 */
export function slugFor(message: string): string {
  const words = message
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > 50) break;
    slug = next;
  }
  return slug || words[0]?.slice(0, 50) || 'revision';
}
