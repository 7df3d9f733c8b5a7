/**
 * `npm run bench`: Fieldbook's speed and memory targets, each printed as a figure against its
 * target with PASS or MISS. Ratios compare the engine with a lower bound measured in the same
 * run on the same machine (never with numbers from elsewhere). Every trial runs in a fresh
 * process; each figure is the median of BENCH_TRIALS trials (see bench-config.ts).
 *
 * The run is a report: it exits 0 when targets are missed, and 1 only when the bench itself
 * could not measure (a trial failed). Results also go to bench/results/latest.json.
 */
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { measureBackup } from './backup-figures';
import { benchConfig, describeSize, shortSize } from './bench-config';
import type { BenchContext } from './bench-context';
import { createWorkspace, freshCopy, writeSeededHeadDocument, writeSubsetSource, writeVersion1Document, type BenchWorkspace } from './bench-documents';
import { printReport, writeReport, type BenchReport, type Figure } from './bench-report';
import { measureClassify } from './classify-figures';
import { measureSalvage } from './salvage-figures';
import { measureInfo } from './info-figures';
import { stopRunningProcesses } from './run-trial';
import { measureSubset, measureSubsetMemory } from './subset-figures';
import { measureUpgrade, measureUpgradeMemory, smallUpgradeFigure, upgradeFigure, upgradeRssFigure, type UpgradeFigure, type UpgradeMeasurements } from './upgrade-figures';

const RESULTS_FILE = path.resolve(__dirname, '..', '..', 'bench', 'results', 'latest.json');

async function runBench(workspace: BenchWorkspace): Promise<BenchReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const startLoad = os.loadavg()[0]!;
  const config = benchConfig();
  const ctx: BenchContext = {
    config,
    workspace,
    env: { ...process.env, FIELDBOOK_DATA_DIR: path.join(workspace.dir, 'app-data'), FIELDBOOK_COMPILE_CACHE: path.join(workspace.dir, 'compile-cache') },
    progress: (line) => process.stdout.write(`  ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}\n`),
  };
  process.stdout.write(`bench: ${config.trials} trials per figure${config.quick ? ' (BENCH_QUICK: small documents)' : ''}, in ${workspace.dir}\n`);
  const report = (figures: Figure[], notes: string[]): BenchReport => {
    figures.sort((a, b) => a.id.localeCompare(b.id));
    const passed = figures.filter((f) => f.pass).length;
    return {
      startedAt,
      wallMs: performance.now() - started,
      node: process.version,
      platform: `${process.platform} ${os.release()}`,
      cpus: os.cpus().length,
      loadAverage: { start: startLoad, end: os.loadavg()[0]! },
      config,
      figures,
      notes,
      summary: { passed, missed: figures.length - passed },
    };
  };
  const figures: Figure[] = [];
  const notes: string[] = [];
  if (config.only === 'upgrade') {
    for (const figure of [smallUpgradeFigure(config.smallUpgradeDocument), upgradeFigure(config.upgradeDocument)]) {
      const upgrade = await measureUpgradeOf(ctx, figure);
      figures.push(...upgrade.figures);
      notes.push(...upgrade.notes);
    }
    return report(figures, notes);
  }
  const head = workspace.file('head.fieldbook');
  writeSeededHeadDocument(head, config.headSamples);
  if (config.only === 'info') return report(await measureInfo(ctx, head), notes);
  const classify = await measureClassify(ctx, head);
  if (config.only === 'classify') return report(classify.figures, classify.notes);
  figures.push(...classify.figures);
  notes.push(...classify.notes);
  figures.push(...(await measureInfo(ctx, head)));

  const smallUpgrade = await measureUpgradeOf(ctx, smallUpgradeFigure(config.smallUpgradeDocument));
  const salvage = await measureSalvage(ctx);
  const version1 = workspace.file('version1.fieldbook');
  ctx.progress(`generating a 1.0 document (${describeSize(config.upgradeDocument)})`);
  await writeVersion1Document(version1, config.upgradeDocument, ctx.env);
  const backup = await measureBackup(ctx, version1);
  const upgrade = await measureUpgrade(ctx, version1, upgradeFigure(config.upgradeDocument));
  const subsetSource = freshCopy(workspace, version1);
  ctx.progress('subset: upgrading a copy of that document and adding tags, instruments and attachments');
  await writeSubsetSource(subsetSource, ctx.env);
  const subset = await measureSubset(ctx, subsetSource);
  fs.rmSync(subsetSource);

  // The large document serves figure 4 as it is, then figure 7 once made a subset source in place.
  const large = workspace.file('version1-large.fieldbook');
  ctx.progress(`generating a 1.0 document (${describeSize(config.largeDocument)})`);
  await writeVersion1Document(large, config.largeDocument, ctx.env);
  const memory = await measureUpgradeMemory(ctx, upgrade.engineTrials, large);
  ctx.progress('subset memory: upgrading that document and adding tags, instruments and attachments');
  await writeSubsetSource(large, ctx.env);
  const subsetMemory = await measureSubsetMemory(ctx, subset.engineTrials, large);
  fs.rmSync(large);

  figures.push(
    ...backup.figures,
    ...smallUpgrade.figures,
    ...upgrade.figures,
    upgradeRssFigure(ctx, upgrade.engineTrials),
    ...memory.figures,
    ...subset.figures,
    ...subsetMemory.figures,
    ...salvage.figures,
  );
  notes.push(...salvage.notes, ...smallUpgrade.notes, ...upgrade.notes, ...memory.notes, ...backup.notes, ...subset.notes, ...subsetMemory.notes);
  notes.push(`figures 4 and 7: the large document keeps the samples and has 4× the measurements per sample (${describeSize(config.largeDocument)})`);
  return report(figures, notes);
}

/** Generates a 1.0 document of the figure's size, measures the figure on it, and removes it. */
async function measureUpgradeOf(ctx: BenchContext, figure: UpgradeFigure): Promise<UpgradeMeasurements> {
  const file = ctx.workspace.file(`version1-${shortSize(figure.size)}.fieldbook`);
  ctx.progress(`generating a 1.0 document (${describeSize(figure.size)})`);
  await writeVersion1Document(file, figure.size, ctx.env);
  try {
    return await measureUpgrade(ctx, file, figure);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

async function main(): Promise<number> {
  const workspace = createWorkspace();
  // Interrupted: stop the running trial and leave no documents behind.
  process.once('SIGINT', () => {
    stopRunningProcesses();
    workspace.remove();
    process.stderr.write('bench interrupted\n');
    process.exit(130);
  });
  try {
    const report = await runBench(workspace);
    printReport(report);
    process.stdout.write(`results: ${writeReport(report, RESULTS_FILE)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  } finally {
    workspace.remove();
  }
}

void main().then((code) => {
  process.exitCode = code;
});
