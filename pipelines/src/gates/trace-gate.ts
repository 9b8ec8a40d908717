import type { CanaryJudge, Judgement } from '../judge/canary-judge';
import type { TraceSource } from '../signals/ports';
import { errorText } from './alarm-gate';
import type { GateKind, GateReading } from './reading';

export interface TraceGateTarget {
  workload: string;
  canaryVersion: string;
  baselineVersion: string;
}

/**
 * Fetches canary and baseline samples for the window since the last poll and lets the step's judge
 * weigh them. A failed fetch is one `error` reading per judged metric, so nothing silently passes.
 */
export async function readTraceGate(
  traces: TraceSource,
  judge: CanaryJudge,
  target: TraceGateTarget,
  window: GateReading['window'],
): Promise<GateReading[]> {
  const query = { workload: target.workload, from: window.from, to: window.to };
  let judgements: Judgement[];
  try {
    const [canary, baseline] = await Promise.all([
      traces.samples({ ...query, version: target.canaryVersion }),
      traces.samples({ ...query, version: target.baselineVersion }),
    ]);
    judgements = judge.observe(canary, baseline);
  } catch (error) {
    const reason = `could not read traces of ${target.workload}: ${errorText(error)}`;
    return [{ gate: 'latency', metric: 'traces', verdict: 'error', reason, at: window.to, window }];
  }
  return judgements.map((judgement) => toReading(judgement, window));
}

function toReading(judgement: Judgement, window: GateReading['window']): GateReading {
  const { metric, verdict, reason, unit, samples, canary, baseline, threshold, ...details } = judgement;
  const gate: GateKind = unit === 'ratio' ? 'errors' : 'latency';
  const reading: GateReading = { gate, metric, verdict, reason, unit, samples, at: window.to, window };
  if (canary !== undefined) reading.canary = canary;
  if (baseline !== undefined) reading.baseline = baseline;
  if (threshold !== undefined) reading.threshold = threshold;
  if (Object.keys(details).length > 0) reading.details = details as NonNullable<GateReading['details']>;
  return reading;
}
