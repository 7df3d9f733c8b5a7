import fs = require('node:fs');
import { listMigrations, resolveTarget, type Engine } from '@fieldbook/engine';
import { usage } from './command';

/** Whether `text` is written as a TARGET (head, base, a number, +N/-N, a migration's name prefix, any of those with +N/-N). */
function isTarget(text: string, engine: Engine): boolean {
  if (/^(head|base|\d+)?([+-]\d+)?$/.test(text) && text !== '') return true;
  try {
    resolveTarget(
      text,
      listMigrations({ engine }).map((m) => m.name),
      null,
    );
    return true;
  } catch {
    return false;
  }
}

const exists = (file: string) => fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined;

/**
 * Alembic's `upgrade head` / `downgrade -1`, with the document first: `upgrade PATH... TARGET`
 * and `downgrade FILE TARGET`. For upgrade the last of two or more positionals is the target when
 * no file or folder of that name exists and it is written as a target; a target-shaped name that
 * also exists is ambiguous and refused (`--to 3`, or `./3` for the folder), and so is a
 * target-shaped, absent name anywhere else (the target goes last). For downgrade, which takes one
 * document, a second positional is always the target. Either way the target may be given once:
 * positionally or with `--to`.
 * @throws FieldbookError USAGE for the ambiguous and misplaced cases, with the spelling that works
 */
export function splitTarget(command: 'upgrade' | 'downgrade', positionals: string[], toOption: string | undefined, engine: Engine): { paths: string[]; to: string | undefined } {
  const last = positionals.length - 1;
  let to: string | undefined;
  if (command === 'downgrade') {
    if (positionals.length === 2) to = positionals[1];
  } else if (last > 0 && isTarget(positionals[last]!, engine)) {
    const name = positionals[last]!;
    if (exists(name)) throw usage(`"${name}" is both a file or folder here and a target: write --to ${name} for the target, or ./${name} for the file`);
    to = name;
  }
  const paths = to === undefined ? positionals : positionals.slice(0, -1);
  if (paths.length === 1 && !exists(paths[0]!) && isTarget(paths[0]!, engine)) {
    throw usage(`"${paths[0]}" is a target, not a document: ${command} needs the document first (fieldbook ${command} FILE ${paths[0]})`);
  }
  const misplaced = paths.find((p) => !exists(p) && isTarget(p, engine));
  if (misplaced !== undefined) throw usage(`"${misplaced}" is no file or folder here; a target goes last (fieldbook ${command} PATH... ${misplaced}) or in --to`);
  if (to !== undefined && toOption !== undefined) throw usage(`the target is given twice (--to ${toOption} and ${to}): give it once`);
  return { paths, to: to ?? toOption };
}
