import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSequentialJudge } from '@tollgate/pipelines/judge/sequential-judge';
import { seededRandom } from '@tollgate/pipelines/random/seeded-random';
import { OBJECTIVES } from './release';
import type { BenchSample } from './traffic';

export interface CpuCost {
  /** CPU ms of the very first judge call in a fresh process, 100,000 samples; the worst of 5 processes. */
  firstCallMs: number;
  /** CPU ms to judge 100,000 samples (10,000 canary + 90,000 baseline) in one poll, warm; median of 7. */
  oneShotMs: number;
  /** CPU ms to judge 1,000,000 samples fed over 100 polls, per 100,000 samples. */
  streamedMsPer100k: number;
  /** What the judge keeps between polls. */
  stateBytesNote: string;
}

const FRESH_PROCESSES = 5;

/** `count` samples with request times spread over `spanMs` from `fromMs`. */
function samples(
  rng: ReturnType<typeof seededRandom>,
  count: number,
  fromMs = 0,
  spanMs = 30_000,
): BenchSample[] {
  return Array.from({ length: count }, (_, i) => ({
    at: fromMs + Math.floor((i * spanMs) / count),
    latencyMs: 100 * Math.exp(0.5 * rng.normal()),
    fault: rng.uniform() < 0.001,
  }));
}

function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** One poll of 100,000 samples: 10,000 canary and 90,000 baseline requests of the same 30 s. */
function onePoll(): { canary: BenchSample[]; baseline: BenchSample[] } {
  const rng = seededRandom(99);
  return { canary: samples(rng, 10_000), baseline: samples(rng, 90_000) };
}

/** In a fresh process: the CPU the first judge call ever made there costs (compilation included). */
function firstCallInThisProcess(): void {
  const { canary, baseline } = onePoll();
  const ms = cpuMs(() => createSequentialJudge(OBJECTIVES).observe(canary, baseline));
  process.send?.(ms, () => process.exit(0));
}

function firstCallInFreshProcess(): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = fork(self, ['--first-call'], { execArgv: process.execArgv });
    child.once('message', (ms: number) => resolve(ms));
    child.once('exit', (code) =>
      code === 0 ? undefined : reject(new Error(`first-call child exited with ${code}`)),
    );
  });
}

export async function judgeCpuCost(): Promise<CpuCost> {
  const first: number[] = [];
  for (let i = 0; i < FRESH_PROCESSES; i++) first.push(await firstCallInFreshProcess());
  const { canary, baseline } = onePoll();
  const runs: number[] = [];
  for (let i = 0; i < 7; i++)
    runs.push(cpuMs(() => createSequentialJudge(OBJECTIVES).observe(canary, baseline)));
  runs.sort((a, b) => a - b);
  const rng = seededRandom(7);
  const polls = Array.from({ length: 100 }, (_, poll) => ({
    canary: samples(rng, 1_000, poll * 30_000),
    baseline: samples(rng, 9_000, poll * 30_000),
  }));
  const judge = createSequentialJudge(OBJECTIVES);
  const streamed = cpuMs(() => {
    for (const poll of polls) judge.observe(poll.canary, poll.baseline);
  });
  return {
    firstCallMs: Number(Math.max(...first).toFixed(2)),
    oneShotMs: Number((runs[3] ?? 0).toFixed(2)),
    streamedMsPer100k: Number((streamed / 10).toFixed(2)),
    stateBytesNote:
      'four log-bucket sketches of 2,800 counters (90 KB), one 4-number record per 30-s window of the step (a 48-hour step: 5,760), at most 11 rate counters and O(1) sums; nothing grows with the number of samples',
  };
}

if (process.argv.includes('--first-call')) firstCallInThisProcess();
