/**
 * One judge against another on the same releases, release by release, with intervals, so that "slower" and
 * "noise" can be told apart (the full benchmark compares gates, not revisions of one gate):
 *
 *   npm run bench:judge:paired -- record --cells "10/s·10%·σ0.5·xray" --scenarios slow20 --runs 2000 --revision HEAD --out new.json
 *   npm run bench:judge:paired -- compare old.json new.json
 *
 * `record` runs Tollgate's gate alone through the benchmark's releases (the same seeds as `bench:judge`) and
 * writes every release's outcome; run it in a worktree of an earlier revision for the other side. `compare`
 * prints, per cell and scenario, both judges' median canary samples and time to a fail, misses within the
 * bake, promotions and rollbacks, with the paired difference and its 95% bootstrap interval.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { allCells, SCENARIOS } from './cells';
import { filters, option } from './options';
import { type PairedRow, pairedRows, renderPairedRows } from './paired-compare';
import { type Outcome, runRelease } from './release';
import { cellLabel } from './render';

/** What `record` writes: every release's outcome per cell and scenario. */
interface Recording {
  /** What `--revision` named (e.g. a commit), printed by `compare`. */
  revision: string;
  series: { cell: string; scenario: string; outcomes: Outcome[] }[];
}

function record(): void {
  const filter = filters();
  const runs = filter.runs ?? 200;
  if (!(Number.isInteger(runs) && runs > 0))
    throw new UsageError(`--runs must be a whole number of releases above 0, got ${option('runs')}`);
  const out = option('out');
  if (!out) throw new UsageError('record needs --out <file.json>');
  const recording: Recording = { revision: option('revision') ?? 'unnamed', series: [] };
  for (const cell of allCells().filter(filter.cell)) {
    for (const scenario of SCENARIOS.filter(filter.scenario)) {
      const outcomes: Outcome[] = [];
      for (let run = 0; run < runs; run++) outcomes.push(...runRelease(cell, scenario, run, ['Tollgate']));
      recording.series.push({ cell: cellLabel(cell), scenario, outcomes });
      process.stdout.write(`  ${cellLabel(cell)} · ${scenario}: ${runs} releases\n`);
    }
  }
  if (recording.series.length === 0) throw new UsageError('no cell and scenario matched --cells/--scenarios');
  writeFileSync(out, `${JSON.stringify(recording)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}

function compare(before: string, after: string): void {
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Recording;
  const [a, b] = [read(before), read(after)];
  const rows: PairedRow[] = pairedRows(a, b);
  if (rows.length === 0) throw new UsageError(`${before} and ${after} share no cell and scenario`);
  process.stdout.write(`before: ${a.revision} · after: ${b.revision}\n\n${renderPairedRows(rows)}`);
}

class UsageError extends Error {}

function main(): void {
  const [command, ...rest] = process.argv.slice(2);
  const files = rest.filter((arg) => !arg.startsWith('--'));
  if (command === 'record') record();
  else if (command === 'compare' && files.length === 2) compare(files[0] as string, files[1] as string);
  else
    throw new UsageError(
      'usage: paired.ts record --out <file> [--cells …] [--scenarios …] [--runs N] [--revision name] | compare <before.json> <after.json>',
    );
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
