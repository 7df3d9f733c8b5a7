import path = require('node:path');

/**
 * Replaces each path in a message by the file name alone, and its folder where the message names
 * the folder itself (a full disk: "the file system of <folder>") by "its folder".
 */
export function withoutFolders(message: string, paths: readonly string[]): string {
  let out = message;
  for (const file of paths) {
    out = out.split(file).join(path.basename(file));
    out = out.split(path.dirname(file) + path.sep).join('');
    if (path.dirname(file) !== path.parse(file).root) out = out.split(path.dirname(file)).join('its folder');
  }
  return out;
}
