import type { TraceSample } from '../signals/ports';
import type { CanaryJudge, Judgement, JudgeObjectives } from './canary-judge';
import { ascending, percentileOfSorted } from './percentile';

/**
 * The simple rule: once both sides have `minSamples`, fail when the canary's p50/p99 exceeds the
 * baseline's by more than the allowed fraction, or its fault rate exceeds the baseline's by more than
 * the allowed points. Below `minSamples` it is inconclusive. It re-tests at every poll, so it is only
 * as good as its thresholds are generous; the sequential judge is the statistically sound one.
 */
export function createThresholdJudge(objectives: JudgeObjectives): CanaryJudge {
  const canary: TraceSample[] = [];
  const baseline: TraceSample[] = [];
  return {
    observe(newCanary, newBaseline) {
      canary.push(...newCanary);
      baseline.push(...newBaseline);
      return judgeAll(objectives, canary, baseline);
    },
  };
}

function judgeAll(objectives: JudgeObjectives, canary: TraceSample[], baseline: TraceSample[]): Judgement[] {
  const samples = { canary: canary.length, baseline: baseline.length };
  const judgements: Judgement[] = [];
  const latency = objectives.latency;
  if (latency) {
    const canaryMs = ascending(canary.map((s) => s.latencyMs));
    const baselineMs = ascending(baseline.map((s) => s.latencyMs));
    const percentiles: [string, number, number | undefined][] = [
      ['p50', 0.5, latency.p50Increase],
      ['p99', 0.99, latency.p99Increase],
    ];
    for (const [label, q, allowed] of percentiles) {
      if (allowed === undefined) continue;
      const compare = { label, q, allowed, minSamples: objectives.minSamples };
      judgements.push(judgePercentile(compare, canaryMs, baselineMs, samples));
    }
  }
  if (objectives.errors) {
    judgements.push(
      judgeFaultRate(objectives.errors.maxRateIncrease, objectives.minSamples, canary, baseline),
    );
  }
  return judgements;
}

interface PercentileComparison {
  label: string;
  q: number;
  allowed: number;
  minSamples: number;
}

function judgePercentile(
  compare: PercentileComparison,
  canaryMs: number[],
  baselineMs: number[],
  samples: Judgement['samples'],
): Judgement {
  const metric = `${compare.label} latency`;
  const short = tooFewSamples(samples, compare.minSamples);
  if (short) return { metric, verdict: 'inconclusive', unit: 'ms', samples, reason: short };
  const canary = percentileOfSorted(canaryMs, compare.q);
  const baseline = percentileOfSorted(baselineMs, compare.q);
  const threshold = baseline * (1 + compare.allowed);
  const change = baseline > 0 ? canary / baseline - 1 : 0;
  const verdict = canary > threshold ? 'fail' : 'pass';
  const relation = verdict === 'fail' ? 'above' : 'within';
  const reason = `${compare.label} ${signedPercent(change)} vs baseline, ${relation} the allowed +${percent(compare.allowed)}`;
  return { metric, verdict, unit: 'ms', canary, baseline, threshold, samples, reason };
}

function judgeFaultRate(
  allowed: number,
  minSamples: number,
  canary: TraceSample[],
  baseline: TraceSample[],
): Judgement {
  const samples = { canary: canary.length, baseline: baseline.length };
  const metric = 'fault rate';
  const short = tooFewSamples(samples, minSamples);
  if (short) return { metric, verdict: 'inconclusive', unit: 'ratio', samples, reason: short };
  const canaryRate = faultRate(canary);
  const baselineRate = faultRate(baseline);
  const threshold = baselineRate + allowed;
  const verdict = canaryRate > threshold ? 'fail' : 'pass';
  const relation = verdict === 'fail' ? 'above' : 'within';
  const reason = `faults ${percent(canaryRate)} vs ${percent(baselineRate)} on baseline, ${relation} the allowed +${percent(allowed)} points`;
  return {
    metric,
    verdict,
    unit: 'ratio',
    canary: canaryRate,
    baseline: baselineRate,
    threshold,
    samples,
    reason,
  };
}

function tooFewSamples(samples: Judgement['samples'], minSamples: number): string | undefined {
  if (samples.canary >= minSamples && samples.baseline >= minSamples) return undefined;
  return `too few samples: canary ${samples.canary}, baseline ${samples.baseline}, need ${minSamples} each`;
}

function faultRate(samples: readonly TraceSample[]): number {
  return samples.filter((s) => s.fault).length / samples.length;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

function signedPercent(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${percent(fraction)}`;
}
