import * as fs from 'node:fs';
import * as path from 'node:path';
import { sourceChecksum } from '@fieldbook/engine/tooling';
import { renderMigrationSql, type RenderedSql, resolveTarget } from '@fieldbook/engine';
import { json, usage, type Command } from '../command';

/** `A:B` (either side may be empty) as Alembic's `--sql start:end`. */
function range(text: string | undefined): { from?: string; to?: string } {
  if (text === undefined) return {};
  const match = /^([^:]*):([^:]*)$/.exec(text);
  if (!match) throw usage(`a range is written FROM:TO (e.g. 2:head), not "${text}"`);
  return { from: match[1] || undefined, to: match[2] || undefined };
}

export const sql: Command = {
  summary: 'print the SQL script that migrates a document between versions (offline mode, for the sqlite3 shell)',
  usage: 'fieldbook sql [FROM:TO] [--from TARGET] [--to TARGET] [--down] [--no-shell-commands] [--json]',
  options: { json, from: { type: 'string' }, to: { type: 'string' }, down: { type: 'boolean' }, 'no-shell-commands': { type: 'boolean' } },
  positionals: [0, 1],
  async run([spec], values, _io, _signal, engine) {
    const fromRange = range(spec);
    return renderMigrationSql({ engine: engine,
      from: (values.from as string | undefined) ?? fromRange.from,
      to: (values.to as string | undefined) ?? fromRange.to,
      down: values.down === true,
      shellCommands: values['no-shell-commands'] !== true,
    });
  },
  print(result, io) {
    io.out((result as RenderedSql).sql.trimEnd());
  },
};

/**
 * A migration's TypeScript source: the file itself in the source tree; next to a build
 * (dist/migrations) the project's migrations/<name>.ts when its checksum proves it is the same
 * migration; otherwise the compiled file.
 */
function migrationSource(file: string, name: string, checksum: string): string {
  const candidate = path.resolve(path.dirname(file), '..', '..', 'migrations', `${name}.ts`);
  if (file.endsWith('.js') && fs.existsSync(candidate)) {
    const text = fs.readFileSync(candidate, 'utf8');
    if (sourceChecksum(text) === checksum) return text;
  }
  return fs.readFileSync(file, 'utf8');
}

export const show: Command = {
  summary: "show a migration: its message, checksum, source and SQL",
  usage: 'fieldbook show TARGET [--json]',
  options: { json },
  positionals: [1, 1],
  async run([target], _values, _io, _signal, engine) {
    engine.migrations.verify();
    const names = engine.migrations.migrations.map((m) => m.name);
    const version = resolveTarget(target!, names, null);
    if (version === 0) throw usage('base is not a migration');
    const m = engine.migrations.migrations[version - 1]!;
    const up = await renderMigrationSql({ engine: engine, from: version - 1, to: version, shellCommands: false });
    const down = m.hasDown ? await renderMigrationSql({ engine: engine, from: version, to: version - 1, shellCommands: false }) : null;
    return {
      version: m.version, name: m.name, message: m.message, checksum: m.checksum, hasDown: m.hasDown, file: m.path,
      source: migrationSource(m.path, m.name, m.checksum), upSql: up.sql, downSql: down?.sql ?? null,
    };
  },
  print(result, io) {
    const r = result as { version: number; name: string; message: string; checksum: string; file: string; source: string; upSql: string; downSql: string | null };
    io.out(`${r.name} (version ${r.version}): ${r.message}\nchecksum ${r.checksum}\nfile ${r.file}\n`);
    io.out(r.source.trimEnd());
    io.out('\n-- upgrade SQL --');
    io.out(r.upSql.trimEnd());
    io.out('\n-- downgrade SQL --');
    io.out(r.downSql?.trimEnd() ?? '(no down migration)');
  },
};
