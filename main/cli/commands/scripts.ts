import { renderMigrationSql, type RenderedSql, showMigration } from '@fieldbook/engine';
import { json, oneArgument, range, type Command } from '../command';

/** `fieldbook sql`: renderMigrationSql, printed as a script for the sqlite3 shell. */
export const sql: Command = {
  summary: 'print the SQL script that migrates a document between versions (offline mode, for the sqlite3 shell)',
  usage: 'fieldbook sql [FROM:TO] [--from TARGET] [--to TARGET] [--down] [--no-shell-commands] [--json]',
  options: { json, from: { type: 'string' }, to: { type: 'string' }, down: { type: 'boolean' }, 'no-shell-commands': { type: 'boolean' } },
  positionals: [0, 1],
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
  summary: "show a migration: its message, checksum, source and SQL",
  usage: 'fieldbook show TARGET [--json]',
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
