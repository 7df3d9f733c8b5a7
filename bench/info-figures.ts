import path = require('node:path');
import type { BenchContext } from './bench-context';
import { ratioFigure, type Figure } from './bench-report';
import { rotatingTrials, runNode } from './run-trial';

/** The installed command, found from this file (dist/bench → repo root), never from the working directory. */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'bin', 'fieldbook.js');

/**
 * Figure 5: the whole `fieldbook info FILE --json` process (start-up, module loading, classify,
 * print, exit), timed from spawn to exit by this process, against two lower bounds: `node -e`
 * that loads better-sqlite3, opens the file read-only, reads the two pragmas and prints them
 * (target ≤ 2×), and bare `node -e 0` (target ≤ 1.5×: the CLI loads only what `info` needs).
 * Each spawn is its own fresh process; the three run in rotating order.
 */
export async function measureInfo(ctx: BenchContext, headDocument: string): Promise<Figure[]> {
  const betterSqlite3 = require.resolve('better-sqlite3');
  const byHand = `const db = new (require(${JSON.stringify(betterSqlite3)}))(process.argv[1], { readonly: true, fileMustExist: true });
console.log(JSON.stringify({ applicationId: db.pragma('application_id', { simple: true }), version: db.pragma('user_version', { simple: true }) }));
db.close();`;
  const times = await rotatingTrials(ctx.config.shortTrials, [
    (round) => {
      ctx.progress(`info: trial ${round + 1}/${ctx.config.shortTrials}`);
      return timeProcess(ctx, [CLI, 'info', headDocument, '--json'], (out) => (JSON.parse(out) as { status?: string }).status === 'current');
    },
    () => timeProcess(ctx, ['-e', byHand, headDocument], (out) => (JSON.parse(out) as { version?: number }).version !== undefined),
    () => timeProcess(ctx, ['-e', '0'], (out) => out === ''),
  ]);
  const [cli, pragmas, bare] = times as [number[], number[], number[]];
  return [
    ratioFigure({
      id: '5-info-process',
      label: '5  fieldbook info --json, process',
      limit: 2,
      engine: cli,
      baseline: pragmas,
      baselineName: '`node -e` reading the pragmas',
    }),
    ratioFigure({
      id: '5b-info-bare-node',
      label: '5b fieldbook info --json, process vs bare node',
      limit: 1.5,
      engine: cli,
      baseline: bare,
      baselineName: '`node -e 0`',
    }),
  ];
}

/**
 * Wall time of `node <args>` from spawn to exit, ms.
 * @throws Error when the process fails or its output does not pass `check`
 */
async function timeProcess(ctx: BenchContext, args: string[], check: (stdout: string) => boolean): Promise<number> {
  const started = performance.now();
  const child = await runNode(args, ctx.env, ctx.workspace.dir);
  const elapsed = performance.now() - started;
  let ok = false;
  try {
    ok = child.code === 0 && check(child.stdout);
  } catch {
    ok = false;
  }
  if (!ok) throw new Error(`node ${args.slice(0, 2).join(' ')} ... failed (exit ${child.code}):\n${child.stdout}${child.stderr}`);
  return elapsed;
}
