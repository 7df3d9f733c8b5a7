import { COMPATIBILITIES, compatibilityOf, declaredCompatibility, embeddedStatements, renderDownStep, type SchemaObject, wayBackTableName } from '@fieldbook/engine/tooling';
import { describeCause, type MigrationModule } from '@fieldbook/engine';
import type { CheckProblem } from './check-project';
import type { MigrationFile } from './migration-files';

/**
 * The `compatibility` check: every migration declares a class (its `compatibility` export, or
 * the folder's compatibility.json for released migrations whose files are frozen); a
 * declaration the schema diff of its step disproves is refused (`additive` with a dropped or
 * renamed column, a changed type, a new NOT NULL column without a default, a dropped index, a
 * new trigger or UNIQUE index on an older table...: see compatibilityOf); and its `down` step
 * renders as SQL that an older app's allow-list accepts (what documents carry as their way back).
 * `schemas[i]` is the replayed schema at version i (0 = empty).
 */
export async function checkCompatibility(
  dir: string,
  versionTable: string,
  files: readonly MigrationFile[],
  modules: readonly MigrationModule[],
  schemas: readonly SchemaObject[][],
  problems: CheckProblem[],
): Promise<void> {
  let declared: ReturnType<typeof declaredCompatibility>;
  try {
    declared = declaredCompatibility(
      dir,
      files.map((f) => f.name),
      modules,
    );
  } catch (error) {
    problems.push({ check: 'compatibility', message: describeCause(error) });
    return;
  }
  for (const [i, file] of files.entries()) {
    const own = declared[i];
    const proven = compatibilityOf(schemas[i]!, schemas[i + 1]!);
    if (!own) {
      problems.push({
        check: 'compatibility',
        migration: file.name,
        message: `${file.file} declares no class: export const compatibility = '${proven.compatibility}' (or more severe); its schema diff allows no less`,
      });
    } else if (COMPATIBILITIES.indexOf(own) < COMPATIBILITIES.indexOf(proven.compatibility)) {
      problems.push({
        check: 'compatibility',
        migration: file.name,
        message: `${file.file} declares ${own}, but its schema diff makes it ${proven.compatibility}: ${proven.reasons.join('; ')}`,
      });
    }
    if (typeof modules[i]!.down !== 'function') continue;
    const sql = await renderDownStep(modules[i]!, schemas[i + 1]!, i + 1, file.name);
    if (sql === null) {
      problems.push({
        check: 'compatibility',
        migration: file.name,
        message: `${file.file} down() cannot be rendered as SQL (it reads in JavaScript or fails), so documents at this version carry no way back to older apps`,
      });
      continue;
    }
    try {
      embeddedStatements(sql, [versionTable, wayBackTableName(versionTable)], file.name);
    } catch (error) {
      problems.push({ check: 'compatibility', migration: file.name, message: `${file.file} down() renders SQL an older app refuses: ${describeCause(error)}` });
    }
  }
}
