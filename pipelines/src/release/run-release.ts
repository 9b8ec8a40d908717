import type { Clock } from '../clock/clock';
import { errorText } from '../gates/alarm-gate';
import type { GateReading } from '../gates/reading';
import { createStepGate, type Signals } from '../gates/step-gate';
import type { Ledger } from '../ledger/ledger';
import { formatPlan, planSteps, type Step } from '../plan/plan';
import { describeTraffic, type Platform, type TrafficState, UnknownWorkloadError } from '../platforms/port';
import { type GatePolicy, type Policy, UNGATED } from '../policy/schema';
import { bakeStep, cancelledReason } from './bake';
import { EventLog, type ReleaseEvent } from './events';
import { InputError } from './input-error';
import { changeTraffic, type Ending, rollBack } from './platform-ops';
import { preflight } from './preflight';
import { reconcile } from './reconcile';
import type { ReleaseRecord, StepRecord } from './record';

export interface ReleaseRequest {
  policy: Policy;
  environment: string;
  version: string;
  actor?: string;
  /** Release despite gating alarms already in ALARM; the reason is recorded. */
  alarmOverride?: string;
}

export interface ReleaseDeps {
  platform: Platform;
  signals: Signals;
  clock: Clock;
  ledger: Ledger;
  onEvent?: (event: ReleaseEvent) => void;
  /** Aborted when the job is cancelled: the release stops shifting and rolls back. */
  signal?: AbortSignal;
}

interface Release {
  request: ReleaseRequest;
  deps: ReleaseDeps;
  gates: GatePolicy;
  steps: Step[];
  log: EventLog;
  stepRecords: StepRecord[];
  stable: string;
}

/** Reconcile → preflight → shift/bake each step → promote or roll back → record. */
export async function runRelease(request: ReleaseRequest, deps: ReleaseDeps): Promise<ReleaseRecord> {
  const env = request.policy.environments[request.environment];
  if (!env) {
    const known = Object.keys(request.policy.environments).join(', ');
    throw new InputError(
      `unknown environment "${request.environment}" for ${request.policy.workload}; known: ${known}`,
    );
  }
  const startedAt = deps.clock.now();
  const steps = planSteps(env.strategy);
  const log = new EventLog(deps.clock, deps.onEvent);
  const gates = env.gates ?? UNGATED;
  const release: Release = { request, deps, gates, steps, log, stepRecords: [], stable: '' };
  const ending = await drive(release);
  const record = toRecord(release, ending, startedAt);
  try {
    await deps.ledger.append(record);
  } catch (error) {
    throw new Error(
      `release ${record.outcome} (${record.reason}) but could not be recorded: ${errorText(error)}`,
    );
  }
  return record;
}

async function drive(release: Release): Promise<Ending> {
  const { request, deps, log } = release;
  log.emit(
    'plan',
    `plan for ${request.policy.workload} → ${request.version}:\n${formatPlan(release.steps).join('\n')}`,
  );
  let traffic: TrafficState;
  try {
    traffic = await reconcile(deps.platform, request.version, log);
  } catch (error) {
    if (error instanceof UnknownWorkloadError) throw new InputError(error.message);
    const reason = `could not read or reconcile ${request.policy.workload}: ${errorText(error)}`;
    log.emit('blocked', reason);
    return { outcome: 'blocked', verdict: 'error', reason };
  }
  release.stable = traffic.stable;
  if (traffic.stable === request.version && !traffic.canary) {
    log.emit('promote', `${request.version} is already stable; nothing to do`, { weight: 100 });
    return { outcome: 'promoted', verdict: 'pass', reason: `${request.version} was already stable` };
  }
  const checked = await preflight(
    deps.signals.alarms,
    release.gates,
    deps.clock.now(),
    log,
    request.alarmOverride,
  );
  if (!checked.ok) {
    log.emit('blocked', checked.reason, { readings: checked.readings });
    const ending: Ending = { outcome: 'blocked', verdict: 'fail', reason: checked.reason };
    return traffic.canary ? rollBack(deps.platform, log, ending) : ending;
  }
  return runSteps(release, traffic.canary ? traffic.canaryWeight : 0);
}

async function runSteps(release: Release, resumeWeight: number): Promise<Ending> {
  const { deps, log, request } = release;
  for (const [index, step] of release.steps.entries()) {
    if (step.weight < resumeWeight) continue;
    if (deps.signal?.aborted) {
      const reason = cancelledReason(deps.signal);
      log.emit('failed', reason);
      return rollBack(deps.platform, log, { verdict: 'error', reason });
    }
    const label = `step ${index + 1}/${release.steps.length}`;
    if (step.weight === 100) {
      const failed = await changeTraffic(deps.platform, log, `promote ${request.version}`, async () => {
        await deps.platform.shift(request.version, 100);
        await deps.platform.promote();
      });
      if (failed) return failed;
      log.emit('promote', `promoted ${request.version}: ${describeTraffic(await deps.platform.current())}`, {
        step: index,
        weight: 100,
      });
      return { outcome: 'promoted', verdict: 'pass', reason: `${request.version} passed every gate` };
    }
    const what = `shift ${step.weight}% to ${request.version}`;
    const failed = await changeTraffic(deps.platform, log, what, () =>
      deps.platform.shift(request.version, step.weight),
    );
    if (failed) return failed;
    log.emit('shift', `${label}: ${step.weight}% of traffic on ${request.version}`, {
      step: index,
      weight: step.weight,
    });
    const ending = await bakeAndDecide(release, index, step, label);
    if (ending) return ending;
  }
  throw new Error('plan has no 100% step'); // planSteps always ends at 100%; reaching here is a bug
}

async function bakeAndDecide(
  release: Release,
  index: number,
  step: Step,
  label: string,
): Promise<Ending | undefined> {
  const { deps, log, request, gates } = release;
  const target = {
    workload: request.policy.workload,
    canaryVersion: request.version,
    baselineVersion: release.stable,
  };
  const gate = createStepGate(deps.signals, gates, target);
  const startedAt = deps.clock.now();
  const settings = {
    bakeMs: step.bakeMs,
    maxBakeMs: Math.max(step.bakeMs, gates.maxBake ?? 2 * step.bakeMs),
    pollIntervalMs: gates.pollInterval,
    maxConsecutiveErrors: gates.maxConsecutiveErrors,
  };
  const details = { step: index, weight: step.weight };
  const result = await bakeStep(
    gate,
    deps.clock,
    settings,
    (readings) => log.emit('poll', `${label}: ${summarisePoll(readings)}`, { ...details, readings }),
    deps.signal,
  );
  release.stepRecords.push({ index, ...step, startedAt, endedAt: deps.clock.now(), ...result });
  if (result.verdict === 'pass') {
    log.emit('step-passed', `${label} passed: ${result.reason}`, details);
    return undefined;
  }
  log.emit('step-failed', `${label} ${result.verdict}: ${result.reason}`, {
    ...details,
    readings: result.readings,
  });
  if (result.verdict === 'inconclusive' && gates.onInconclusive === 'hold') {
    const reason = `${label} inconclusive; holding ${request.version} at ${step.weight}% for approval: ${result.reason}`;
    log.emit('hold', reason, details);
    return { outcome: 'held', verdict: 'inconclusive', reason };
  }
  return rollBack(deps.platform, log, {
    verdict: result.verdict,
    reason: `${label} ${result.verdict}: ${result.reason}`,
  });
}

/** "alarms 2/2 pass · p50 latency pass · fault rate inconclusive": one glance per poll. */
function summarisePoll(readings: readonly GateReading[]): string {
  if (readings.length === 0) return 'no gates configured';
  const alarms = readings.filter((r) => r.gate === 'alarm');
  const passing = alarms.filter((r) => r.verdict === 'pass').length;
  const alarmPart = alarms.length > 0 ? [`alarms ${passing}/${alarms.length} pass`] : [];
  const others = readings.filter((r) => r.gate !== 'alarm').map((r) => `${r.metric} ${r.verdict}`);
  return [...alarmPart, ...others].join(' · ');
}

function toRecord(release: Release, ending: Ending, startedAt: number): ReleaseRecord {
  const { request, deps } = release;
  return {
    id: `${request.policy.workload}/${request.environment}/${request.version}/${startedAt}`,
    workload: request.policy.workload,
    environment: request.environment,
    platform: request.policy.platform,
    fromVersion: release.stable,
    toVersion: request.version,
    actor: request.actor ?? 'unknown',
    startedAt,
    finishedAt: deps.clock.now(),
    ...ending,
    plan: release.steps,
    steps: release.stepRecords,
    events: release.log.events,
  };
}
