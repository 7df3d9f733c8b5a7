/**
 * Fieldbook's engine at other points of its migration history, for documents that travel
 * between app versions: a migrations folder holding Fieldbook's released migrations 1..5 or
 * 1..6, optionally followed by a test-only 7th migration of one class (test/fixtures/seventh/),
 * with its manifest built by the engine's own manifest writer, as `npm run build` builds the
 * app's. Documents made by one of these engines are real documents of that version.
 */
import fs = require('node:fs');
import path = require('node:path');
import { writeManifests } from '@fieldbook/engine/tooling';
import type { Compatibility, Engine } from '@fieldbook/engine';
import { fieldbookEngine } from '../../main/fieldbook/fieldbook-engine';
import { REPO_ROOT, tempDir } from './fixtures';

const roots = new Map<string, Promise<string>>();

/**
 * The compiled migrations folder of a Fieldbook whose head is `head` (5 or 6), or 7 with the
 * test-only 7th migration of class `seventh`. Built once per process.
 */
export function migrationsRoot(head: 5 | 6, seventh?: Compatibility): Promise<string> {
  const key = `${head}:${seventh ?? ''}`;
  let root = roots.get(key);
  if (!root) {
    root = buildRoot(head, seventh);
    roots.set(key, root);
  }
  return root;
}

/** Fieldbook's engine over migrationsRoot(head, seventh), backups in a temp folder. */
export async function engineAt(head: 5 | 6, seventh?: Compatibility, backupDir = path.join(tempDir('fieldbook-backups-'), 'backups')): Promise<Engine> {
  return fieldbookEngine({ migrations: { dir: await migrationsRoot(head, seventh) }, backupDir });
}

async function buildRoot(head: 5 | 6, seventh?: Compatibility): Promise<string> {
  const dir = tempDir(`fieldbook-head-${head}${seventh ? `-7-${seventh}` : ''}-`);
  const source = path.join(dir, 'source');
  const compiled = path.join(dir, 'migrations');
  fs.mkdirSync(source);
  fs.mkdirSync(compiled);
  const names: string[] = [];
  for (const file of fs
    .readdirSync(path.join(REPO_ROOT, 'migrations'))
    .filter((f) => /^\d{4}-.*\.ts$/.test(f))
    .sort()
    .slice(0, head)) {
    fs.copyFileSync(path.join(REPO_ROOT, 'migrations', file), path.join(source, file));
    fs.copyFileSync(path.join(REPO_ROOT, 'dist', 'migrations', file.replace(/\.ts$/, '.js')), path.join(compiled, file.replace(/\.ts$/, '.js')));
    names.push(file.replace(/\.ts$/, ''));
  }
  if (seventh) {
    const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'seventh', seventh);
    const file = fs.readdirSync(fixtures).find((f) => f.endsWith('.ts'))!;
    fs.copyFileSync(path.join(fixtures, file), path.join(source, file));
    fs.copyFileSync(path.join(REPO_ROOT, 'dist', 'test', 'fixtures', 'seventh', seventh, file.replace(/\.ts$/, '.js')), path.join(compiled, file.replace(/\.ts$/, '.js')));
  }
  const only = (file: string, pick: (entries: Record<string, unknown>) => Record<string, unknown>) => {
    const json = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'migrations', file), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(source, file), JSON.stringify(pick(json), null, 2));
  };
  const known = (entries: Record<string, unknown>) => Object.fromEntries(Object.entries(entries).filter(([name]) => names.includes(name)));
  only('compatibility.json', known);
  only('released.json', (ledger) => Object.fromEntries(Object.entries(ledger).map(([release, entries]) => [release, known(entries as Record<string, unknown>)])));
  await writeManifests({ sourceDir: source, compiledDir: compiled, versionTable: fieldbookEngine().versionTable });
  return compiled;
}
