import fs = require('node:fs');
import path = require('node:path');

let addon: object | null | undefined;

/**
 * better-sqlite3's native addon for `new Database(file, { nativeBinding })`, loaded from where its
 * build puts it (`build/Release/better_sqlite3.node` in its package), or null to let better-sqlite3
 * find it itself. Its own search (the `bindings` package: a stack trace to find the package, then
 * up to a dozen paths tried in turn) costs every process about 2 ms; this is two checks and a
 * require. Only when `bindings` would choose the very same file (no addon in the two places it
 * tries before build/Release), so that the process loads SQLite once: the connections better-sqlite3
 * opens itself (Sequelize's, a host's) get the same module from require's cache. Null, and
 * better-sqlite3 searches as always, when the addon is elsewhere or does not load (its error is
 * then better-sqlite3's own).
 */
export function sqliteAddon(): object | null {
  if (addon !== undefined) return addon;
  addon = null;
  try {
    const build = path.join(path.dirname(path.dirname(require.resolve('better-sqlite3'))), 'build');
    const release = path.join(build, 'Release', 'better_sqlite3.node');
    const tried = [path.join(build, 'better_sqlite3.node'), path.join(build, 'Debug', 'better_sqlite3.node')];
    if (!tried.some((file) => fs.existsSync(file)) && fs.existsSync(release)) addon = require(release) as object;
  } catch {
    addon = null;
  }
  return addon;
}
