/**
 * A runnable copy of the built project in a temp folder, for what a test must change around the
 * code rather than in a document: the model sources (edited without a build), or better-sqlite3's
 * native binary (missing, or a file that is no library). It holds bin/, package.json, the built
 * dist/main and dist/migrations, the migration and model sources, the engine package (its
 * package.json and dist) and node_modules as links to this checkout's packages, except the
 * engine (linked to the copy's) and, when asked, better-sqlite3 (a copy whose binary can be
 * taken away).
 */
import fs = require('node:fs');
import path = require('node:path');
import { REPO_ROOT, tempDir } from './fixtures';

export interface ProjectCopyOptions {
  /** `linked` (default) uses this checkout's; `no-binary` copies it without build/; `not-a-library` copies it with a text file as its binary; `absent` leaves it out. */
  betterSqlite3?: 'linked' | 'no-binary' | 'not-a-library' | 'absent';
}

function copy(relative: string, root: string): void {
  fs.cpSync(path.join(REPO_ROOT, relative), path.join(root, relative), { recursive: true });
}

/** Makes the copy and returns its root; `node <root>/bin/fieldbook.js` runs it. */
export function projectCopy(options: ProjectCopyOptions = {}): string {
  const root = tempDir('fieldbook-project-');
  for (const part of ['bin', 'package.json', 'dist/main', 'dist/migrations', 'migrations', 'main/models', 'main/engine/package.json', 'main/engine/dist']) copy(part, root);
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(path.join(modules, '@fieldbook'), { recursive: true });
  fs.symlinkSync(path.join(root, 'main', 'engine'), path.join(modules, '@fieldbook', 'engine'));
  const ours = path.join(REPO_ROOT, 'node_modules');
  for (const name of fs.readdirSync(ours)) {
    if (name === '@fieldbook' || name === '.bin' || name === 'fieldbook' || name === 'better-sqlite3') continue;
    fs.symlinkSync(path.join(ours, name), path.join(modules, name));
  }
  const mode = options.betterSqlite3 ?? 'linked';
  const sqlite = path.join(modules, 'better-sqlite3');
  if (mode === 'linked') fs.symlinkSync(path.join(ours, 'better-sqlite3'), sqlite);
  if (mode === 'no-binary' || mode === 'not-a-library') {
    for (const part of ['package.json', 'lib']) fs.cpSync(path.join(ours, 'better-sqlite3', part), path.join(sqlite, part), { recursive: true });
  }
  if (mode === 'not-a-library') {
    fs.mkdirSync(path.join(sqlite, 'build', 'Release'), { recursive: true });
    fs.writeFileSync(path.join(sqlite, 'build', 'Release', 'better_sqlite3.node'), 'not a shared library\n');
  }
  return root;
}
