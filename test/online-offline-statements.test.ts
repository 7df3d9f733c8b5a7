/**
 * One step runner: the statements a document's online migration executes (`sqlLog`) are the
 * statements of the offline script `fieldbook sql` renders for the same range, in the same
 * order, but for the script's own framing (header, transaction, foreign-key guard, the comment
 * line before each step) and the measured step durations only the online run knows.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { downgradeDocument, renderMigrationSql, upgradeDocument } from '@fieldbook/engine';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { tempDir } from './helpers/fixtures';
import { writeLargeVersion1Document } from './helpers/large-document';
import { richHeadDocument } from './helpers/rich-document';

const HEAD = fieldbookEngine().migrations.head;
const ROW =
  /^(INSERT INTO "fieldbook_migrations" \(version, name, checksum, applied_at, app_version, duration_ms, method\) VALUES \(\d+, '[^']*', '[0-9a-f]{64}', strftime\('%Y-%m-%dT%H:%M:%fZ', 'now'\), '[^']*', )(\d+(?:\.\d+)?|NULL)(, 'migrate'\);)$/;

/** The online statements as the script writes them (trimmed, `;`-terminated), with each version row's duration replaced by NULL. */
function onlineText(sqlLog: readonly string[], steps: number, direction: 'up' | 'down'): string {
  let durations = 0;
  const text = sqlLog
    .map((sql) => {
      const statement = sql.trim().endsWith(';') ? sql.trim() : `${sql.trim()};`;
      const row = ROW.exec(statement);
      if (!row) return statement;
      assert.notEqual(row[2], 'NULL', 'the online run records how long the step took');
      durations++;
      return `${row[1]}NULL${row[3]}`;
    })
    .join('\n');
  assert.equal(durations, direction === 'up' ? steps : 0, 'one version row per step up, none down');
  return text;
}

/** The script's statements: between its header (through `PRAGMA application_id`) and its guard, without the blank line and comment before each step. */
function offlineText(script: string, from: number, to: number): string {
  const lines = script.split('\n');
  const start = lines.findIndex((l) => /^PRAGMA application_id = \d+;$/.test(l));
  const end = lines.indexOf('-- Refuse to commit when a foreign key is broken: the CHECK fails and -bail stops before COMMIT.');
  assert.ok(start > 0 && end > start, 'the script has its header and its guard');
  const body = lines.slice(start + 1, end - 1);
  const stepComment = /^-- \d{4}-[a-z0-9-]+ \((up|down)\)/;
  const kept: string[] = [];
  let comments = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '' && stepComment.test(body[i + 1] ?? '')) {
      i++;
      comments++;
      continue;
    }
    kept.push(body[i]!);
  }
  assert.equal(comments, Math.abs(to - from), 'one comment line per step');
  return kept.join('\n');
}

async function compare(source: string, from: number, to: number): Promise<void> {
  const engine = fieldbookEngine();
  const file = path.join(tempDir(), `${from}-${to}.fieldbook`);
  fs.copyFileSync(source, file);
  const sqlLog: string[] = [];
  const result =
    to > from ? await upgradeDocument(file, { engine, to, backup: false, sqlLog }) : await downgradeDocument(file, { engine, to, backup: false, acceptLoss: true, sqlLog });
  assert.deepEqual([result.from, result.to, result.applied.length], [from, to, Math.abs(to - from)]);
  const { sql } = await renderMigrationSql({ engine, from, to });
  const online = onlineText(sqlLog, Math.abs(to - from), to > from ? 'up' : 'down');
  assert.ok(online.length > 0);
  assert.equal(online, offlineText(sql, from, to), `${from} → ${to}: the online run and the offline script ran different statements`);
}

/** The document at every version, reached online from a generated 1.0 document with data in every table it has. */
async function documentsAtEveryVersion(): Promise<string[]> {
  const dir = tempDir();
  const at = [path.join(dir, 'at-1.fieldbook')];
  writeLargeVersion1Document(at[0]!, { samples: 60, measurementsPerSample: 3 });
  for (let v = 2; v <= HEAD; v++) {
    const file = path.join(dir, `at-${v}.fieldbook`);
    fs.copyFileSync(at.at(-1)!, file);
    await upgradeDocument(file, { engine: fieldbookEngine(), to: v, backup: false });
    at.push(file);
  }
  return at;
}

test("an upgrade 1 → head and every single step up execute the offline script's statements", async () => {
  const at = await documentsAtEveryVersion();
  await compare(at[0]!, 1, HEAD);
  for (let v = 1; v < HEAD; v++) await compare(at[v - 1]!, v, v + 1);
});

test("a downgrade head → 1 and every single step down execute the offline script's statements", async () => {
  const at = await documentsAtEveryVersion();
  await compare(richHeadDocument(tempDir()), HEAD, 1);
  await compare(at[HEAD - 1]!, HEAD, 1);
  for (let v = HEAD; v > 1; v--) await compare(at[v - 1]!, v, v - 1);
});
