import path = require('node:path');
import type { Engine } from '../engine';
import { FieldbookError } from '../errors';
import { resolveTarget, type Target } from '../migrations/targets';
import { assertSpaceFor, documentBytes } from '../sqlite/free-space';
import { backupFolderFor } from './backup';
import type { Classification } from './classify';

/* What bounds a migration before it runs: the versions it goes between, and the room it needs. */

/** The version a document counts as (a 0.9 one: the version it is adopted as) and the resolved target. */
export function versionsFor(before: Classification, engine: Engine, direction: 'up' | 'down', target: Target | undefined): { from: number; to: number } {
  const from = before.status === 'legacy' ? (engine.adoptUnversionedAs ?? 0) : (before.version ?? 0);
  const names = engine.migrations.migrations.map((m) => m.name);
  if (direction === 'down' && target === undefined) throw new FieldbookError('BAD_TARGET', 'a downgrade needs a target version (--to)');
  const to = resolveTarget(target ?? 'head', names, from);
  if (direction === 'up' && to < from) throw new FieldbookError('BAD_TARGET', `${before.path} is at version ${from}; use downgrade to go back to ${to}`);
  if (direction === 'down' && to > from) throw new FieldbookError('BAD_TARGET', `${before.path} is at version ${from}; use upgrade to go forward to ${to}`);
  return { from, to };
}

/**
 * Refuses, before anything is written, a migration the disks have no room for. Beside the
 * document it asks for twice its size and 256 KB: the rollback journal holds up to every page
 * once, rebuilt tables are written before the old ones are dropped, and new tables and indexes
 * start with pages of their own (measured: upgrading a 1.0 document to 6 takes 1.75 to 2 times
 * its size; one of long notes, whose full-text index is new, up to 2.3 times, and then fails
 * midway as safely: NO_SPACE with nothing changed). The backup takes the document's size in its folder.
 * @throws FieldbookError NO_SPACE
 */
export function assertRoomToMigrate(absolute: string, backupDir: string | null, direction: 'up' | 'down'): void {
  const bytes = documentBytes(absolute);
  const verb = direction === 'up' ? 'upgrade' : 'downgrade';
  assertSpaceFor(`${direction === 'up' ? 'upgrading' : 'downgrading'} ${absolute}`, [
    { folder: path.dirname(absolute), bytes: 2 * bytes + 256 * 1024, purpose: `the ${verb} (journal and rebuilt tables) needs up to` },
    ...(backupDir ? [{ folder: backupFolderFor(path.resolve(backupDir), absolute), bytes, purpose: 'its backup needs' }] : []),
  ]);
}
