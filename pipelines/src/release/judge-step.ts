import { createStepGate } from '../gates/step-gate';
import type { Step } from '../plan/shape';
import type { Revision } from '../platforms/port';
import type { GateReading } from '../record/reading';
import { formatDuration } from '../time/duration';
import { bakeStep } from './bake';
import type { Release } from './context';
import { recordProgress } from './ledger-sync';
import { type Ending, rollBack } from './platform-ops';

export interface StepTiming {
  bakeMs: number;
  maxBakeMs: number;
  /** Platform-driven: the step of the platform's schedule being judged. */
  platformStep?: number;
  /** The stable version's traffic to compare against, when the new one has all traffic (see TraceGateTarget). */
  baselineWindow?: { from: number; until: number };
}

/** The engine bakes a step as long as its policy says and may extend it up to `maxBake`. */
export function engineTiming(release: Release, step: Step): StepTiming {
  const extended = release.gates.maxBake ?? 2 * step.bakeMs;
  return { bakeMs: step.bakeMs, maxBakeMs: Math.max(step.bakeMs, extended) };
}

/**
 * Bakes one step and decides it: a pass lets the release go on (undefined); an inconclusive step is
 * held where the policy asks and the platform can hold; anything else rolls back.
 */
export async function judgeStep(
  release: Release,
  index: number,
  revision: Revision,
  timing: StepTiming,
): Promise<Ending | undefined> {
  const { deps, log, request, gates, record } = release;
  const step = record.plan[index] as Step;
  const label = `step ${index + 1}/${record.plan.length}`;
  const details = { step: index, weight: step.weight };
  const startedAt = deps.clock.now();
  const expected = {
    revision,
    weight: step.weight,
    ...(timing.platformStep === undefined ? {} : { stepIndex: timing.platformStep }),
  };
  const gate = createStepGate({
    signals: deps.signals,
    policy: gates,
    traces: {
      workload: request.workload,
      canaryVersion: revision.version,
      baselineVersion: release.stable.version,
      ...(timing.baselineWindow ? { baselineWindow: timing.baselineWindow } : {}),
    },
    platform: deps.platform,
    expected,
    from: startedAt,
  });
  const settings = {
    bakeMs: timing.bakeMs,
    maxBakeMs: timing.maxBakeMs,
    pollIntervalMs: gates.pollInterval,
    maxConsecutiveErrors: gates.maxConsecutiveErrors,
  };
  const onPoll = (readings: GateReading[]) =>
    log.emit('poll', `${label}: ${summarisePoll(readings)}`, { ...details, readings });
  const result = await bakeStep(gate, deps.clock, settings, onPoll, deps.signal);
  record.steps.push({
    index,
    weight: step.weight,
    bakeMs: timing.bakeMs,
    startedAt,
    endedAt: deps.clock.now(),
    ...result,
  });
  if (result.verdict === 'pass') {
    log.emit('step-passed', `${label} passed: ${result.reason}`, details);
    await recordProgress(release, `${label} passed`);
    return undefined;
  }
  log.emit('step-failed', `${label} ${result.verdict}: ${result.reason}`, {
    ...details,
    readings: result.readings,
  });
  if (result.verdict === 'inconclusive' && gates.onInconclusive === 'hold') {
    const until = holdLimit(release);
    const reason = `${label} inconclusive; holding ${revision.version} at ${step.weight}% for approval${until}: ${result.reason}`;
    log.emit('hold', reason, details);
    return { outcome: 'held', verdict: 'inconclusive', reason };
  }
  return rollBack(deps.platform, release.stable, log, {
    verdict: result.verdict,
    reason: `${label} ${result.verdict}: ${result.reason}`,
  });
}

function holdLimit(release: Release): string {
  const { holdMs } = release.request.environment.capabilities;
  if (holdMs === Number.POSITIVE_INFINITY) return '';
  return ` (the platform rolls back by itself after ${formatDuration(holdMs)})`;
}

/** "alarms 2/2 pass · p50 latency pass · fault rate inconclusive": one glance per poll. */
export function summarisePoll(readings: readonly GateReading[]): string {
  const judged = readings.filter((r) => r.gate !== 'platform' || r.verdict !== 'pass');
  if (judged.length === 0) return 'no gates configured';
  const alarms = judged.filter((r) => r.gate === 'alarm');
  const passing = alarms.filter((r) => r.verdict === 'pass').length;
  const alarmPart = alarms.length > 0 ? [`alarms ${passing}/${alarms.length} pass`] : [];
  const others = judged.filter((r) => r.gate !== 'alarm').map((r) => `${r.metric} ${r.verdict}`);
  return [...alarmPart, ...others].join(' · ');
}
