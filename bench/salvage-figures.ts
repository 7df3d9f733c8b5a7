import fs = require('node:fs');
import { describeSize } from './bench-config';
import type { BenchContext } from './bench-context';
import { writeVersion1Document } from './bench-documents';
import type { Figure } from './bench-report';
import { runTrial } from './run-trial';

/**
 * Figure 8: the salvage rate on a corruption corpus (salvage-corpus.ts) made from a 1.0
 * document of the small upgrade size: rows salvageDocument recovered exactly, over the rows on
 * pages the damage left intact (what any tool could read). Target ≥ 95%, and no garbage: rows
 * it wrote that are not the original's, beyond those its report says it changed (a link to a
 * lost row cleared, a placeholder for one), would be worse than lost.
 */
export async function measureSalvage(ctx: BenchContext): Promise<{ figures: Figure[]; notes: string[] }> {
  const file = ctx.workspace.file('version1-salvage.fieldbook');
  const dir = ctx.workspace.file('salvage-corpus');
  fs.mkdirSync(dir, { recursive: true });
  ctx.progress(`salvage: generating a 1.0 document (${describeSize(ctx.config.smallUpgradeDocument)}) and damaging copies of it`);
  await writeVersion1Document(file, ctx.config.smallUpgradeDocument, ctx.env);
  try {
    const cases = (await runTrial('salvage-corpus', [file, dir], ctx.env)).salvage!;
    const recovered = cases.reduce((sum, c) => sum + c.recovered, 0);
    const readable = cases.reduce((sum, c) => sum + c.readable, 0);
    const wrong = cases.reduce((sum, c) => sum + c.wrong, 0);
    const explained = cases.reduce((sum, c) => sum + c.explained, 0);
    const rate = (100 * recovered) / readable;
    return {
      figures: [
        {
          id: '8-salvage-rate',
          label: `8  salvage rate, ${cases.length} damaged files`,
          value: rate,
          unit: '%',
          limit: 95,
          pass: rate >= 95 && wrong === 0,
          detail: `${recovered} of ${readable} readable rows recovered as they were; ${explained} kept changed as reported (unlinked, placeholders); ${wrong} garbage`,
          data: { cases },
        },
      ],
      notes: [`salvage per damaged file (recovered / readable, ms): ${cases.map((c) => `${c.name} ${c.recovered}/${c.readable} ${Math.round(c.ms)}`).join('; ')}`],
    };
  } finally {
    fs.rmSync(file, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
