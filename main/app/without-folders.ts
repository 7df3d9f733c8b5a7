import * as path from 'node:path';

/** Replaces each path (and its folder) in a message by the file name alone. */
export function withoutFolders(message: string, paths: readonly string[]): string {
  let out = message;
  for (const file of paths) {
    out = out.split(file).join(path.basename(file));
    out = out.split(path.dirname(file) + path.sep).join('');
  }
  return out;
}
