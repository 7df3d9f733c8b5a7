import fs = require('node:fs');
import path = require('node:path');

/** The groups of Sequelize's sqlite integration suite run by default (test/integration/...). */
export const DEFAULT_GROUPS = [
  'model',
  'query-interface',
  'transaction',
  'sequelize',
  'associations',
  'data-types',
  'dialects/sqlite',
  'instance',
  'include',
  'hooks',
  'cls',
  'configuration',
] as const;

/** One test file of the suite and its group. */
export interface SuiteFile {
  /** Relative to test/integration, with `/`. */
  file: string;
  group: string;
}

/**
 * The group of a file in test/integration: its first folder (`model/create.test.js` → model),
 * or for a file at the top its name up to the first dot (`model.test.js`, and
 * `sequelize.transaction.test.js` → sequelize); under dialects/ the dialect's folder too.
 */
export function groupOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'dialects' && parts.length > 2) return `dialects/${parts[1]}`;
  return parts.length > 1 ? parts[0]! : parts[0]!.split('.')[0]!;
}

/** The test files of `groups` (or of every group, for `all`) in the checkout, in a stable order. */
export function suiteFiles(checkout: string, groups: readonly string[]): SuiteFile[] {
  const root = path.join(checkout, 'test', 'integration');
  const found: SuiteFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.js')) {
        const file = path.relative(root, full).split(path.sep).join('/');
        found.push({ file, group: groupOf(file) });
      }
    }
  };
  walk(root);
  if (groups.includes('all')) return found;
  const unknown = groups.filter((g) => !found.some((f) => f.group === g));
  if (unknown.length > 0) throw new Error(`no test files for group(s) ${unknown.join(', ')} under ${root}`);
  return groups.flatMap((g) => found.filter((f) => f.group === g));
}
