import type { CanaryJudge, JudgedSample, Judgement } from '../../src/judge/canary-judge';
import { type SeededRandom, seededRandom } from '../../src/random/seeded-random';

export interface Arm {
  /** Multiplies every latency (1.2 = all requests 20% slower). */
  slowdown?: number;
  /** Multiplies latencies above the 98th percentile of the healthy distribution. */
  tailSlowdown?: number;
  faultRate?: number;
}

export interface Step {
  polls: number;
  canaryPerPoll: number;
  baselinePerPoll: number;
  canary?: Arm;
  /** Spread of the log-normal latency; ignored when `latency` is given. */
  sigma?: number;
  /** Draws one healthy latency (ms); default log-normal, median 120 ms, spread `sigma`. */
  latency?: (rng: SeededRandom) => number;
  /** What both versions' latencies are multiplied by at each poll (shared drift). */
  drift?: (poll: number) => number;
}

export const POLL_MS = 30_000;
const MEDIAN_MS = 120;
const Z98 = 2.0537489;

/** A power law with index `alpha` and median 120 ms: P(latency > x) ∝ x^−alpha. */
export function pareto(alpha: number): (rng: SeededRandom) => number {
  const scale = MEDIAN_MS / 2 ** (1 / alpha);
  return (rng) => scale * (1 - rng.uniform()) ** (-1 / alpha);
}

/**
 * Polls a judge through one step; each poll brings the requests of the 30 s before it, at random
 * times within them. Returns every poll's judgements.
 */
export function runStep(judge: CanaryJudge, step: Step, seed: number): Judgement[][] {
  const rng = seededRandom(seed);
  const sigma = step.sigma ?? 0.5;
  // The healthy p98 of the log-normal model, for tail-only regressions.
  const p98 = MEDIAN_MS * Math.exp(sigma * Z98);
  const healthy = step.latency ?? ((r: SeededRandom) => MEDIAN_MS * Math.exp(sigma * r.normal()));
  const draw = (count: number, arm: Arm, poll: number): JudgedSample[] =>
    Array.from({ length: count }, () => {
      let latencyMs = healthy(rng);
      if (latencyMs > p98) latencyMs *= arm.tailSlowdown ?? 1;
      latencyMs *= (arm.slowdown ?? 1) * (step.drift?.(poll) ?? 1);
      const at = poll * POLL_MS + Math.floor(rng.uniform() * POLL_MS);
      return { at, latencyMs, fault: rng.uniform() < (arm.faultRate ?? 0.001) };
    });
  const polls: Judgement[][] = [];
  for (let poll = 0; poll < step.polls; poll++) {
    const canary = draw(rng.poisson(step.canaryPerPoll), step.canary ?? {}, poll);
    const baseline = draw(rng.poisson(step.baselinePerPoll), {}, poll);
    polls.push(judge.observe(canary, baseline));
  }
  return polls;
}

/** The first poll at which a metric failed, with its judgement, if any. */
export function firstFailure(polls: Judgement[][]): { poll: number; judgement: Judgement } | undefined {
  for (const [poll, judgements] of polls.entries()) {
    const judgement = judgements.find((j) => j.verdict === 'fail');
    if (judgement) return { poll, judgement };
  }
  return undefined;
}

/** Whether a metric's pass evidence ever reached its threshold, at any poll. */
export function everPassEvidence(polls: Judgement[][], metric: string): boolean {
  return polls.some((judgements) =>
    judgements.some(
      (j) =>
        j.metric === metric &&
        j.passStatistic !== undefined &&
        j.passStatistic >= (j.passStatisticThreshold ?? Number.POSITIVE_INFINITY),
    ),
  );
}
