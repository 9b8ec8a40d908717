import type { CanaryJudge, JudgedSample, Judgement } from '../../src/judge/canary-judge';
import { seededRandom } from '../../src/random/seeded-random';

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
  sigma?: number;
}

const MEDIAN_MS = 120;
const Z98 = 2.0537489;

/** Polls a judge through one step of log-normal traffic; returns every poll's judgements. */
export function runStep(judge: CanaryJudge, step: Step, seed: number): Judgement[][] {
  const rng = seededRandom(seed);
  const sigma = step.sigma ?? 0.5;
  const draw = (count: number, arm: Arm): JudgedSample[] =>
    Array.from({ length: count }, (_, i) => {
      const z = rng.normal();
      let latencyMs = MEDIAN_MS * Math.exp(sigma * z) * (arm.slowdown ?? 1);
      if (z > Z98) latencyMs *= arm.tailSlowdown ?? 1;
      return { at: i, latencyMs, fault: rng.uniform() < (arm.faultRate ?? 0.001) };
    });
  const polls: Judgement[][] = [];
  for (let poll = 0; poll < step.polls; poll++) {
    const canary = draw(rng.poisson(step.canaryPerPoll), step.canary ?? {});
    const baseline = draw(rng.poisson(step.baselinePerPoll), {});
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
