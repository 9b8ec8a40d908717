import type { JudgeObjectives } from '../judge/canary-judge';
import { createJudge } from '../judge/create-judge';
import type { GatePolicy } from '../policy/schema';
import type { AlarmSource, TraceSource } from '../signals/ports';
import { readAlarmGate } from './alarm-gate';
import type { GateReading } from './reading';
import { readTraceGate, type TraceGateTarget } from './trace-gate';

export interface Signals {
  alarms: AlarmSource;
  traces: TraceSource;
}

/** All the gates of one traffic step; each `poll` reads every gate over the window since the last. */
export interface StepGate {
  poll(window: GateReading['window']): Promise<GateReading[]>;
}

export function createStepGate(signals: Signals, policy: GatePolicy, target: TraceGateTarget): StepGate {
  const judged = policy.latency !== undefined || policy.errors !== undefined;
  const judge = judged ? createJudge(judgeObjectives(policy)) : undefined;
  return {
    async poll(window) {
      const [alarmReadings, traceReadings] = await Promise.all([
        readAlarmGate(signals.alarms, policy, window),
        judge ? readTraceGate(signals.traces, judge, target, window) : Promise.resolve([]),
      ]);
      return [...alarmReadings, ...traceReadings];
    },
  };
}

function judgeObjectives(policy: GatePolicy): JudgeObjectives {
  const objectives: JudgeObjectives = { minSamples: policy.minSamples };
  if (policy.errors) objectives.errors = policy.errors;
  if (policy.latency) {
    const { p50Increase, p99Increase } = policy.latency;
    objectives.latency = {};
    if (p50Increase !== undefined) objectives.latency.p50Increase = p50Increase;
    if (p99Increase !== undefined) objectives.latency.p99Increase = p99Increase;
  }
  return objectives;
}
