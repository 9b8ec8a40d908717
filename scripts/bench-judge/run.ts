/**
 * The judge benchmark: `npm run bench:judge` (add `-- --quick` for a smoke run).
 * Runs three gates side by side on the same seeded traffic in every cell and writes
 * results/results.md, results/results.json and results/detection.svg (a --quick run writes to the
 * git-ignored results-quick/ instead).
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Aggregate, aggregate } from './aggregate';
import { allCells, releaseCostMs, runsFor, SCENARIOS } from './cells';
import { judgeCpuCost } from './cpu-cost';
import { filters, option } from './options';
import { type Outcome, runRelease } from './release';
import { renderJson, renderMarkdown, renderSvg } from './render';
import type { Cell, Scenario } from './traffic';

interface Task {
  cellIndex: number;
  scenario: Scenario;
  from: number;
  to: number;
}

interface TaskResult {
  task: Task;
  outcomes: Outcome[][];
}

function workerMain(): void {
  const cells = allCells();
  process.on('message', (task: Task | 'done') => {
    if (task === 'done') process.exit(0);
    const cell = cells[task.cellIndex];
    if (!cell) throw new Error(`no cell ${task.cellIndex}`);
    const outcomes: Outcome[][] = [];
    for (let run = task.from; run < task.to; run++) outcomes.push(runRelease(cell, task.scenario, run));
    process.send?.({ task, outcomes } satisfies TaskResult);
  });
}

async function main(): Promise<void> {
  const filter = filters();
  const targeted =
    option('cells') !== undefined || option('scenarios') !== undefined || filter.runs !== undefined;
  const quick = process.argv.includes('--quick') || targeted;
  const cells = allCells();
  const tasks: Task[] = [];
  for (const [cellIndex, cell] of cells.entries()) {
    if (!filter.cell(cell)) continue;
    for (const scenario of SCENARIOS) {
      if (!filter.scenario(scenario)) continue;
      const runs = filter.runs ?? runsFor(cell, scenario, quick);
      const chunk = Math.max(10, Math.ceil(runs / 8));
      for (let from = 0; from < runs; from += chunk) {
        tasks.push({ cellIndex, scenario, from, to: Math.min(runs, from + chunk) });
      }
    }
  }
  // Heaviest first, so the pool does not end waiting on one long task.
  const weight = (t: Task) => (t.to - t.from) * releaseCostMs(cells[t.cellIndex] as Cell);
  tasks.sort((a, b) => weight(b) - weight(a));
  const started = performance.now();
  const results: TaskResult[] = [];
  const workers = Math.max(1, Math.min(availableParallelism(), 2));
  const self = fileURLToPath(import.meta.url);
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, () => {
      const child = fork(self, ['--worker'], { execArgv: process.execArgv });
      return new Promise<void>((resolve, reject) => {
        const send = () => {
          const task = tasks[next++];
          if (task) child.send(task);
          else child.send('done');
        };
        child.on('message', (result: TaskResult) => {
          results.push(result);
          if (results.length % 25 === 0) {
            const seconds = ((performance.now() - started) / 1000).toFixed(0);
            process.stdout.write(`  ${results.length}/${tasks.length} tasks, ${seconds}s\n`);
          }
          send();
        });
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`)),
        );
        send();
      });
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const aggregates: Aggregate[] = aggregate(cells, results);
  const cpu = await judgeCpuCost();
  // A smoke run must never overwrite the committed full results.
  const out = fileURLToPath(new URL(quick ? './results-quick/' : './results/', import.meta.url));
  mkdirSync(out, { recursive: true });
  const meta = { command: 'npm run bench:judge', quick, elapsedSeconds: Math.round(elapsed), workers, cpu };
  writeFileSync(`${out}results.json`, renderJson(aggregates, meta));
  writeFileSync(`${out}results.md`, renderMarkdown(aggregates, meta));
  writeFileSync(`${out}detection.svg`, renderSvg(aggregates));
  process.stdout.write(`${renderMarkdown(aggregates, meta)}\nwrote ${out} in ${elapsed.toFixed(0)} s\n`);
}

if (process.argv.includes('--worker')) workerMain();
else
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
