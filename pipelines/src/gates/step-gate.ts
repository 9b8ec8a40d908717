import type { JudgeObjectives } from '../judge/canary-judge';
import { createJudge } from '../judge/create-judge';
import type { Platform } from '../platforms/port';
import type { GatePolicy } from '../policy/schema';
import type { GateReading } from '../record/reading';
import type { Signals } from '../signals/ports';
import { readAlarmGate } from './alarm-gate';
import { readPlatformGate, type StepExpectation } from './platform-gate';
import { createTraceGate, type TraceGateTarget } from './trace-gate';

/** All the gates of one traffic step; each `poll` reads every gate, traces since the last poll. */
export interface StepGate {
  poll(now: number): Promise<GateReading[]>;
}

export interface StepGateSetup {
  signals: Signals;
  policy: GatePolicy;
  traces: TraceGateTarget;
  platform: Platform;
  expected: StepExpectation;
  /** When the step's traffic started: its traces are read from here. */
  from: number;
}

export function createStepGate(setup: StepGateSetup): StepGate {
  const { signals, policy } = setup;
  const judged = policy.latency !== undefined || policy.errors !== undefined;
  const traceGate = judged
    ? createTraceGate(signals.traces, createJudge(judgeObjectives(policy)), setup.traces, setup.from)
    : undefined;
  return {
    async poll(now) {
      const [platformReading, alarmReadings, traceReadings] = await Promise.all([
        readPlatformGate(setup.platform, setup.expected, now),
        readAlarmGate(signals.alarms, policy, { from: now, to: now }),
        traceGate ? traceGate.poll(now) : Promise.resolve([]),
      ]);
      return [platformReading, ...alarmReadings, ...traceReadings];
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
