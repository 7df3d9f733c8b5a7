import fs = require('node:fs');
import path = require('node:path');
import Database from 'better-sqlite3';
import { salvageDocument, upgradeDocument } from '@fieldbook/engine';
import { suspectRanges } from '@fieldbook/engine/tooling';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

/** One damaged file of the corpus and what salvaging it gave. */
export interface SalvageCase {
  name: string;
  /** Rows of the original on pages the damage left intact: what any tool could read. */
  readable: number;
  /** Rows salvageDocument wrote that are exactly the original's (same rowid, same values). */
  recovered: number;
  /**
   * Rows it wrote that are not the original's beyond those its report explains (rows kept
   * without a link to a lost row, placeholders for lost rows): garbage; should be 0.
   */
  wrong: number;
  /** Rows its report says it changed on purpose (unlinked, placeholders). */
  explained: number;
  ms: number;
}

const TABLES = ['sites', 'samples', 'measurements'] as const;

/**
 * The salvage rate on a corruption corpus made from `original` (a healthy 1.0 document): random
 * pages overwritten (five seeds, 1–4 pages each), truncation at 30%, 60% and 90%, the first 24
 * header bytes zeroed, a page's cell pointers overwritten with 0xff, a torn hot journal. For each, the rows "readable
 * by any means" are the original's rows on table leaf pages the damage left byte for byte intact
 * (found by walking the original's b-trees), and the rows recovered are those of the salvaged
 * document equal to the original's upgraded to head (by rowid; times the upgrade wrote aside).
 * Files are written in `dir`.
 */
export async function runSalvageCorpus(original: string, dir: string): Promise<SalvageCase[]> {
  const db = new Database(original, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const roots = Object.fromEntries(TABLES.map((t) => [t, db.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(t) as number]));
  const leaves = new Set(db.prepare("SELECT pageno FROM dbstat WHERE pagetype = 'leaf' AND name IN ('sites', 'samples', 'measurements')").pluck().all() as number[]);
  db.close();
  // What each row must be after salvage: the original's row, upgraded to head like the salvaged document.
  const upgraded = path.join(dir, 'upgraded.fieldbook');
  fs.copyFileSync(original, upgraded);
  await upgradeDocument(upgraded, { engine: fieldbookEngine(), backup: false });
  const head = new Database(upgraded, { readonly: true });
  const truth = Object.fromEntries(
    TABLES.map((t) => [t, new Map((head.prepare(`SELECT rowid AS r, * FROM ${t}`).all() as { r: number }[]).map((row) => [BigInt(row.r), withoutClock(row)]))]),
  );
  head.close();
  fs.rmSync(upgraded);
  const bytes = fs.readFileSync(original);
  const pages = bytes.length / pageSize;
  const cases: [string, (b: Buffer) => Buffer | { file: Buffer; journal: Buffer }][] = [];
  for (let seed = 1; seed <= 5; seed++) {
    cases.push([
      `random pages, seed ${seed}`,
      (b) => {
        let state = seed * 2654435761;
        const next = () => (state = (state * 1103515245 + 12345) >>> 0);
        const copy = Buffer.from(b);
        for (let k = 0; k < 1 + (seed % 4); k++) {
          const page = 2 + (next() % (pages - 1));
          for (let i = 0; i < pageSize; i++) copy[(page - 1) * pageSize + i] = next() & 0xff;
        }
        return copy;
      },
    ]);
  }
  for (const share of [0.3, 0.6, 0.9]) cases.push([`truncated at ${share * 100}%`, (b) => b.subarray(0, Math.floor(b.length * share))]);
  cases.push(['header zeroed (24 bytes)', (b) => Buffer.concat([Buffer.alloc(24), b.subarray(24)])]);
  // A crash while the journal was being written: with synchronous=FULL the journal is synced
  // before any page of the file changes, so the file is the last commit and the journal beside
  // it (hot) ends in a half-written record.
  cases.push(['torn hot journal', (b) => ({ file: b, journal: tornJournal(original, dir) })]);
  cases.push([
    'cell pointers overwritten',
    (b) => {
      const copy = Buffer.from(b);
      const page = [...leaves].sort((x, y) => x - y)[Math.floor(leaves.size / 2)]!;
      copy.fill(0xff, (page - 1) * pageSize + 8, (page - 1) * pageSize + 308);
      return copy;
    },
  ]);
  const results: SalvageCase[] = [];
  for (const [name, damage] of cases) {
    const file = path.join(dir, 'damaged.fieldbook');
    const out = path.join(dir, 'salvaged.fieldbook');
    fs.rmSync(out, { force: true });
    const made = damage(bytes);
    const damaged = Buffer.isBuffer(made) ? made : made.file;
    fs.writeFileSync(file, damaged);
    fs.rmSync(`${file}-journal`, { force: true });
    if (!Buffer.isBuffer(made)) fs.writeFileSync(`${file}-journal`, made.journal);
    const broken = new Set<number>();
    for (let p = 1; p <= pages; p++) {
      const start = (p - 1) * pageSize;
      if (start + pageSize > damaged.length || !damaged.subarray(start, start + pageSize).equals(bytes.subarray(start, start + pageSize))) broken.add(p);
    }
    const brokenLeaves = new Set([...broken].filter((p) => leaves.has(p)));
    let readable = 0;
    for (const t of TABLES) {
      const lost = suspectRanges(original, roots[t]!, brokenLeaves, pageSize, pages);
      for (const rowid of truth[t]!.keys()) if (!lost.some(([lo, hi]) => rowid >= lo && rowid <= hi)) readable++;
    }
    const started = performance.now();
    let recovered = 0;
    let mismatched = 0;
    let explained = 0;
    try {
      const report = await salvageDocument(file, out, { engine: fieldbookEngine() });
      explained = report.tables.reduce((sum, t) => sum + t.unlinked + t.placeholders, 0);
      const got = new Database(out, { readonly: true });
      for (const t of TABLES) {
        for (const row of got.prepare(`SELECT rowid AS r, * FROM ${t}`).all() as { r: number }[]) {
          if (truth[t]!.get(BigInt(row.r)) === withoutClock(row)) recovered++;
          else mismatched++;
        }
      }
      got.close();
    } catch {
      // Nothing salvaged: recovered stays 0.
    }
    results.push({ name, readable, recovered, wrong: Math.max(0, mismatched - explained), explained, ms: performance.now() - started });
  }
  return results;
}

/**
 * A hot journal of a transaction that changed most measurement pages of `original`, cut in the
 * middle of a record with garbage after it. Made on a copy by a connection with a tiny cache
 * (so the journal holds many pages), read while the transaction is open, then rolled back.
 */
function tornJournal(original: string, dir: string): Buffer {
  const work = path.join(dir, 'writer.fieldbook');
  fs.copyFileSync(original, work);
  const db = new Database(work);
  try {
    db.pragma('cache_size = 10');
    db.exec("BEGIN; UPDATE measurements SET kind = kind || '~'");
    const journal = fs.readFileSync(`${work}-journal`);
    db.exec('ROLLBACK');
    const cut = Math.floor(journal.length * 0.6);
    return Buffer.concat([journal.subarray(0, cut), Buffer.alloc(512, 0xa5)]);
  } finally {
    db.close();
    fs.rmSync(work, { force: true });
    fs.rmSync(`${work}-journal`, { force: true });
  }
}

/** A row as JSON with the times the upgrade wrote (SQLite's clock) blanked. */
function withoutClock(row: Record<string, unknown>): string {
  return JSON.stringify(row).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<now>');
}
