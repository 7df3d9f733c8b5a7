import type { CheckResult } from '../../devtools/check-project';
import type { DevtoolsConfig } from '../../devtools/devtools-config';
import type { RevisionResult } from '../../devtools/revision';
import { json, usage, type Command, type OptionSpec, type Values } from '../command';

/**
 * Development commands over main/devtools (loaded on first use: they bring in Sequelize, the
 * models and tsx, which no other command needs).
 */
async function config(values: Values): Promise<DevtoolsConfig> {
  const { fieldbookDevtoolsConfig } = require('../../devtools/fieldbook-config') as typeof import('../../devtools/fieldbook-config');
  return fieldbookDevtoolsConfig(typeof values.dir === 'string' ? { migrationsDir: values.dir } : {});
}

const dir: OptionSpec = { type: 'string', value: 'MIGRATIONS_DIR', description: 'the folder of NNNN-slug.ts migrations', default: "the project's migrations/" };

/** `fieldbook revision`: writes the next numbered migration (main/devtools). */
export const revision: Command = {
  summary: 'write the next numbered migration (empty, or --autogenerate from the models)',
  usage: 'fieldbook revision -m MESSAGE [--autogenerate] [--number N] [--dir MIGRATIONS_DIR] [--json]',
  options: {
    message: { type: 'string', short: 'm', value: 'MESSAGE', description: "what the migration changes (its file's slug and message)", required: true },
    autogenerate: {
      type: 'boolean',
      description: "write up() and down() from the differences between the models' current sources (main/models/*.ts) and the schema the migrations produce",
    },
    number: { type: 'string', value: 'N', description: 'the migration number to use', default: 'the next one' },
    dir,
    json,
  },
  args: [],
  async run(_args, values, _io, _signal, engine) {
    if (typeof values.message !== 'string') throw usage('revision needs -m "what the migration changes"');
    let number: number | undefined;
    if (typeof values.number === 'string') {
      if (!/^\d+$/.test(values.number)) throw usage(`--number takes a migration number, not ${values.number}`);
      number = Number(values.number);
    }
    const { revision: writeRevision } = require('../../devtools/revision') as typeof import('../../devtools/revision');
    return writeRevision(await config(values), { message: values.message, autogenerate: values.autogenerate === true, number });
  },
  print(result, io) {
    const r = result as RevisionResult;
    if (!r.path) {
      io.out('no changes: the models match the migrations; nothing written');
      return;
    }
    io.out(`wrote ${r.path}`);
    for (const c of r.changes) io.out(`  - ${c.description}`);
    for (const x of r.renames) io.out(`  possible rename (commented in the file): ${x.table ? `${x.table}.` : ''}${x.from} → ${x.to}`);
    io.out('review it, then run `npm run build` to add it to the manifest');
  },
};

/** `fieldbook check`: the project's CI check of its migrations (main/devtools). */
export const check: Command = {
  summary: 'CI check (exit 1 on any problem): migrations numbered, in the manifest, reversible, matching the models',
  usage: 'fieldbook check [--dir MIGRATIONS_DIR] [--json]',
  options: { dir, json },
  args: [],
  async run(_args, values, _io, _signal, engine) {
    const { checkProject } = require('../../devtools/check-project') as typeof import('../../devtools/check-project');
    return checkProject(await config(values));
  },
  print(result, io) {
    const r = result as CheckResult;
    if (r.ok) {
      io.out(`ok: ${r.migrations} migrations, manifest current, base → head → base → head replayed, models match (${r.durationMs} ms)`);
      return;
    }
    io.out(`check failed (${r.problems.length} problem${r.problems.length > 1 ? 's' : ''}):`);
    for (const p of r.problems) io.out(`  [${p.check}] ${p.message}`);
    if (r.skipped.length) io.out(`  not checked: ${r.skipped.join(', ')}`);
  },
  exitCode(result) {
    return (result as CheckResult).ok ? 0 : 1;
  },
};
