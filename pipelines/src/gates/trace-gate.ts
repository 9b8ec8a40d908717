import { errorText } from '../errors/error-text';
import type { CanaryJudge, Judgement } from '../judge/canary-judge';
import type { GateKind, GateReading } from '../record/reading';
import type { TraceSample, TraceSource } from '../signals/ports';
import { openTraceCursor } from '../signals/trace-cursor';

export interface TraceGateTarget {
  workload: string;
  canaryVersion: string;
  baselineVersion: string;
  /**
   * A closed window of the baseline's traces to compare against instead of the same window as the canary:
   * for a platform that cannot split traffic, the stable version's traffic just before the release.
   */
  baselineWindow?: { from: number; until: number };
}

export interface TraceGate {
  poll(now: number): Promise<GateReading[]>;
}

/**
 * Canary and baseline traces of one step, read through exactly-once cursors from the step's start and
 * weighed by the step's judge. A failed read is one `error` reading, so nothing silently passes; what
 * the other cursor returned meanwhile waits for the next poll, so nothing is lost either.
 */
export function createTraceGate(
  traces: TraceSource,
  judge: CanaryJudge,
  target: TraceGateTarget,
  from: number,
): TraceGate {
  const canary = openTraceCursor(traces, { workload: target.workload, version: target.canaryVersion, from });
  const baselineStart = target.baselineWindow ?? { from };
  const baseline = openTraceCursor(traces, {
    workload: target.workload,
    version: target.baselineVersion,
    ...baselineStart,
  });
  const pending = { canary: [] as TraceSample[], baseline: [] as TraceSample[] };
  const complete = { canary: from, baseline: baselineStart.from };
  return {
    async poll(now) {
      const [c, b] = await Promise.allSettled([canary.next(now), baseline.next(now)]);
      if (c.status === 'fulfilled') {
        pending.canary.push(...c.value.samples);
        complete.canary = c.value.completeUntil;
      }
      if (b.status === 'fulfilled') {
        pending.baseline.push(...b.value.samples);
        complete.baseline = b.value.completeUntil;
      }
      const failed = [c, b].find((result) => result.status === 'rejected');
      if (failed) {
        const reason = `could not read traces of ${target.workload}: ${errorText(failed.reason)}`;
        return [
          { gate: 'latency', metric: 'traces', verdict: 'error', reason, at: now, window: { from, to: now } },
        ];
      }
      const judgements = judge.observe(pending.canary.splice(0), pending.baseline.splice(0));
      const to = target.baselineWindow ? complete.canary : Math.min(complete.canary, complete.baseline);
      const window = { from, to };
      return judgements.map((judgement) => toReading(judgement, now, window));
    },
  };
}

function toReading(judgement: Judgement, at: number, window: GateReading['window']): GateReading {
  const { metric, verdict, reason, unit, samples, canary, baseline, threshold, ...details } = judgement;
  const gate: GateKind = unit === 'ratio' ? 'errors' : 'latency';
  const reading: GateReading = { gate, metric, verdict, reason, unit, samples, at, window };
  if (canary !== undefined) reading.canary = canary;
  if (baseline !== undefined) reading.baseline = baseline;
  if (threshold !== undefined) reading.threshold = threshold;
  if (Object.keys(details).length > 0) reading.details = details as NonNullable<GateReading['details']>;
  return reading;
}
