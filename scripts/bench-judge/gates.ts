import type { CanaryJudge } from '@tollgate/pipelines/judge/canary-judge';
import { mannWhitneySorted, mannWhitneyZ } from '@tollgate/pipelines/judge/mann-whitney';
import { type Verdict, worstVerdict } from '@tollgate/pipelines/judge/verdict';
import type { BenchSample, Second } from './traffic';

/**
 * A gate under test: fed each second of traffic, asked at each poll for its verdict. As in
 * `bakeStep`, `fail` rolls back at once, `pass` at or after the end of the bake promotes, and anything
 * else at the maximum bake rolls back.
 */
export interface BenchGate {
  readonly name: string;
  feed(second: Second): void;
  poll(elapsedSeconds: number): Verdict;
  /** Canary samples (requests for the alarm, traces for the judges) the gate had read so far. */
  readonly canarySamples: number;
}

/**
 * (a) A CloudWatch-style static alarm: the canary's p99 over 60-second periods, ALARM when 3 of 3
 * datapoints breach 1.1 × the baseline's p99 as known before the release. Empty periods are missing
 * data and do not breach. Reads metrics, which cover every request, not traces.
 */
export class StaticAlarmGate implements BenchGate {
  readonly name = 'static alarm';
  canarySamples = 0;
  private readonly periods: boolean[] = [];
  private current: number[] = [];
  private second = 0;
  private alarmed = false;

  constructor(private readonly threshold: number) {}

  feed(second: Second): void {
    this.current.push(...second.canaryAll);
    this.canarySamples += second.canaryAll.length;
    this.second++;
    if (this.second % 60 === 0) {
      this.periods.push(this.current.length > 0 && p99(this.current) > this.threshold);
      this.current = [];
    }
  }

  /** An alarm in OK or without data lets the step pass (the default `alarmInsufficientData: report`). */
  poll(): Verdict {
    const last = this.periods.slice(-3);
    if (last.length === 3 && last.every(Boolean)) this.alarmed = true;
    return this.alarmed ? 'fail' : 'pass';
  }
}

function p99(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * 0.99;
  const low = sorted[Math.floor(position)] ?? 0;
  const high = sorted[Math.ceil(position)] ?? 0;
  return low + (high - low) * (position - Math.floor(position));
}

/** An ascending buffer that merges sorted batches in, so each poll costs O(n) rather than a full sort. */
class SortedBuffer {
  values = new Float64Array(0);

  add(batch: readonly number[]): void {
    if (batch.length === 0) return;
    const incoming = Float64Array.from(batch).sort();
    const merged = new Float64Array(this.values.length + incoming.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.values.length && j < incoming.length) {
      const a = this.values[i] ?? 0;
      const b = incoming[j] ?? 0;
      if (a <= b) {
        merged[k++] = a;
        i++;
      } else {
        merged[k++] = b;
        j++;
      }
    }
    while (i < this.values.length) merged[k++] = this.values[i++] ?? 0;
    while (j < incoming.length) merged[k++] = incoming[j++] ?? 0;
    this.values = merged;
  }
}

/**
 * (b) Kayenta's NetflixACAJudge rule, ported: per metric, the Mann-Whitney 98% interval of the
 * canary-minus-baseline shift; "High" when its lower end exceeds 0.25 × |Hodges-Lehmann estimate|.
 * The score is the share of metrics not High (here one metric, latency, so 100 or 0); below the
 * marginal 75 the canary fails, at 95 or more it passes. The analysis is re-run at every poll over
 * everything since the step began (a fixed-window test looked at repeatedly), against a matched
 * baseline of the canary's size, as Kayenta recommends, and with the same minimum of samples.
 */
export class KayentaGate implements BenchGate {
  readonly name = 'Kayenta';
  private readonly canary = new SortedBuffer();
  private readonly baseline = new SortedBuffer();
  private pendingCanary: number[] = [];
  private pendingBaseline: number[] = [];
  private failed = false;

  constructor(private readonly minSamples: number) {}

  get canarySamples(): number {
    return this.canary.values.length + this.pendingCanary.length;
  }

  feed(second: Second): void {
    for (const s of second.canary) this.pendingCanary.push(s.latencyMs);
    for (const s of second.baselineMatched) this.pendingBaseline.push(s.latencyMs);
  }

  /** Fewer than the minimum samples is no data (inconclusive); a score of 100 (≥ 95) passes. */
  poll(): Verdict {
    this.canary.add(this.pendingCanary);
    this.baseline.add(this.pendingBaseline);
    this.pendingCanary = [];
    this.pendingBaseline = [];
    if (this.failed) return 'fail';
    const xs = this.canary.values;
    const ys = this.baseline.values;
    if (xs.length < this.minSamples || ys.length < this.minSamples) return 'inconclusive';
    // The lower end of a 98% interval is above a positive number only if the rank statistic is
    // well above zero (z > 2.33); below z = 1.5 the full analysis cannot say High, so skip its cost.
    if (mannWhitneyZ(xs, ys) < 1.5) return 'pass';
    const result = mannWhitneySorted(xs, ys, { confLevel: 0.98 });
    const high = result.interval[0] > 0.25 * Math.abs(result.estimate);
    const score = high ? 0 : 100;
    if (score < 75) this.failed = true;
    return this.failed ? 'fail' : 'pass';
  }
}

/** (c) Tollgate's sequential judge, reading canary traces and up to 10 baseline traces per canary trace. */
export class TollgateGate implements BenchGate {
  readonly name = 'Tollgate';
  canarySamples = 0;
  private pendingCanary: BenchSample[] = [];
  private pendingBaseline: BenchSample[] = [];
  private failed = false;

  constructor(private readonly judge: CanaryJudge) {}

  feed(second: Second): void {
    for (const s of second.canary) this.pendingCanary.push(s);
    for (const s of second.baseline) this.pendingBaseline.push(s);
  }

  poll(): Verdict {
    const judgements = this.judge.observe(this.pendingCanary, this.pendingBaseline);
    this.canarySamples += this.pendingCanary.length;
    this.pendingCanary = [];
    this.pendingBaseline = [];
    const verdict = worstVerdict(judgements.map((j) => j.verdict));
    if (verdict === 'fail') this.failed = true;
    return this.failed ? 'fail' : verdict;
  }
}
