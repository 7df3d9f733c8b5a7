import { renderMigrationSql, type RenderedSql, showMigration } from '@fieldbook/engine';
import { json, oneArgument, range, TARGET_HELP, type Command } from '../command';

/** `fieldbook sql`: renderMigrationSql, printed as a script for the sqlite3 shell. */
export const sql: Command = {
  summary: 'print the SQL script that migrates a document between versions (offline mode, for the sqlite3 shell)',
  usage: 'fieldbook sql [FROM:TO] [--from TARGET] [--to TARGET] [--down] [--no-shell-commands] [--json]',
  options: {
    from: { type: 'string', value: 'TARGET', description: 'the version the document is at (or FROM in FROM:TO)', default: 'base (head with --down)' },
    to: { type: 'string', value: 'TARGET', description: 'the version the script leaves it at (or TO in FROM:TO)', default: 'head (base with --down)' },
    down: { type: 'boolean', description: 'a downgrade script, through the down migrations' },
    'no-shell-commands': { type: 'boolean', description: 'leave out the sqlite3 shell dot-commands (.bail on), for other SQLite tools', default: 'they are written' },
    json,
  },
  args: [{ name: 'FROM:TO', optional: true, description: 'the versions, as Alembic writes a --sql range (either side may be empty)' }],
  helpAfter: TARGET_HELP,
  async run([spec], values, _io, _signal, engine) {
    const fromRange = range(spec, 'a range is written');
    return renderMigrationSql({
      engine,
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

/** `fieldbook show`: showMigration, printed. */
export const show = oneArgument({
  summary: 'show a migration: its message, checksum, source and SQL',
  usage: 'fieldbook show TARGET [--json]',
  arg: { name: 'TARGET', description: 'the migration (a version number or a unique prefix of its name)' },
  helpAfter: TARGET_HELP,
  call: (target, _values, engine) => showMigration(target, { engine }),
  print(r, io) {
    io.out(`${r.name} (version ${r.version}): ${r.message}\nchecksum ${r.checksum}\nfile ${r.file}\n`);
    io.out(r.source.trimEnd());
    io.out('\n-- upgrade SQL --');
    io.out(r.upSql.trimEnd());
    io.out('\n-- downgrade SQL --');
    io.out(r.downSql?.trimEnd() ?? '(no down migration)');
  },
});
