import { errorText } from '../errors/error-text';
import { InputError } from '../errors/input-error';
import { createStepGate, type StepGate } from '../gates/step-gate';
import { type Verdict, worstVerdict } from '../judge/verdict';
import { describeTraffic, type Platform, type TrafficState, UnknownWorkloadError } from '../platforms/port';
import { type GatePolicy, UNGATED } from '../policy/schema';
import type { PolicyEnvironment } from '../policy/target-checks';
import type { ReleaseEvent } from '../record/events';
import { exitCodeForVerdict } from '../record/exit-codes';
import type { GateWatchResult } from '../record/gate-watch-result';
import type { GateReading } from '../record/reading';
import type { BackendName } from '../record/record';
import type { Signals } from '../signals/ports';
import { CancelledError, cancellationReason, untilAborted } from '../time/abortable';
import type { Clock } from '../time/clock';
import { formatDuration } from '../time/duration';
import { reasonsOf } from './bake';
import { EventLog } from './events';
import { summarisePoll } from './judge-step';

export interface GateWatchRequest {
  workload: string;
  /** The policy environment whose gates are read, bound to its target. */
  environment: PolicyEnvironment;
  /** How long to watch; the gates are polled at its start, every poll interval, and at its end. */
  windowMs: number;
}

export interface GateWatchDeps {
  platform: Platform;
  signals: Signals;
  clock: Clock;
  backend: BackendName;
  onEvent?: (event: ReleaseEvent) => void;
  /** Aborted when the job is cancelled: the watch ends at once as `error` (it never passes early). */
  signal?: AbortSignal;
}

/**
 * `tollgate gate`: reads an environment's gates over a window and moves nothing. The gating alarms are
 * read at every poll; when traffic is split (a canary in flight) the trace gates also compare canary
 * and baseline, as a bake does; the platform is read too, so traffic that changes under the watch fails
 * it (the evidence would no longer be about what it started watching). Any failing reading ends the
 * watch at once; a missing or unreadable signal ends it as `error` (a gap in the window's evidence is
 * never a pass); it passes only if no poll failed, no alarm was ever short of data where the policy
 * blocks on that, and the last poll passed. With no gate that applies it says so, `inconclusive`.
 */
export async function watchGates(request: GateWatchRequest, deps: GateWatchDeps): Promise<GateWatchResult> {
  const gates = request.environment.gates ?? UNGATED;
  const log = new EventLog(deps.clock, [], deps.onEvent);
  const startedAt = deps.clock.now();
  const traffic = await readTraffic(request, deps);
  const split = typeof traffic !== 'string' && traffic.canaryWeight > 0 ? traffic.canary : undefined;
  const judged = split !== undefined && (gates.latency !== undefined || gates.errors !== undefined);
  const end = (watched: Watched): GateWatchResult => ({
    workload: request.workload,
    environment: request.environment.name,
    backend: deps.backend,
    ...watched,
    startedAt,
    finishedAt: deps.clock.now(),
    windowMs: request.windowMs,
    pollIntervalMs: gates.pollInterval,
    traffic: typeof traffic === 'string' ? 'unknown' : describeTraffic(traffic),
    ...(split && typeof traffic !== 'string'
      ? { compared: { canary: split.version, baseline: traffic.stable.version } }
      : {}),
    events: log.events,
    exitCode: exitCodeForVerdict(watched.verdict),
  });
  if (typeof traffic === 'string') {
    log.emit('step-failed', traffic);
    return end({ verdict: 'error', reason: traffic, polls: 0, readings: [] });
  }
  if (gates.alarms.length === 0 && !judged) {
    const reason = noGatesReason(gates, describeTraffic(traffic));
    log.emit('step-failed', reason);
    return end({ verdict: 'inconclusive', reason, polls: 0, readings: [] });
  }
  log.emit('plan', watchPlan(request, gates, traffic, judged));
  const gate = watchGate(request, deps, gates, traffic, judged);
  const watched = await poll(gate, deps, request.windowMs, gates.pollInterval, log);
  const type = watched.verdict === 'pass' ? 'step-passed' : 'step-failed';
  log.emit(type, `${watched.verdict}: ${watched.reason}`, { readings: watched.readings });
  return end(watched);
}

/** The platform as it stands, or why it could not be read; a workload it lacks is bad input. */
async function readTraffic(request: GateWatchRequest, deps: GateWatchDeps): Promise<TrafficState | string> {
  try {
    return await untilAborted(deps.platform.current(), deps.signal);
  } catch (error) {
    if (error instanceof UnknownWorkloadError) throw new InputError(error.message);
    return `could not read the platform of ${request.workload}, so its gates were not watched: ${errorText(error)}`;
  }
}

function watchPlan(
  request: GateWatchRequest,
  gates: GatePolicy,
  traffic: TrafficState,
  judged: boolean,
): string {
  const what = [
    gates.alarms.length > 0 ? `${gates.alarms.length} gating alarm${gates.alarms.length > 1 ? 's' : ''}` : '',
    judged && traffic.canary
      ? `${traffic.canary.version} against ${traffic.stable.version} (latency and faults from traces)`
      : '',
  ].filter((part) => part !== '');
  const window = formatDuration(request.windowMs);
  return `watching ${request.workload} in ${request.environment.name} for ${window}, every ${formatDuration(gates.pollInterval)}: ${what.join(' and ')}; traffic ${describeTraffic(traffic)}; nothing moves`;
}

/** The step gate of what is live now: all of it where traffic is split, the alarms (and platform) where not. */
function watchGate(
  request: GateWatchRequest,
  deps: GateWatchDeps,
  gates: GatePolicy,
  traffic: TrafficState,
  judged: boolean,
): StepGate {
  const { latency: _latency, errors: _errors, ...alarmsOnly } = gates;
  const canary = traffic.canary && traffic.canaryWeight > 0 ? traffic.canary : undefined;
  const expected = canary
    ? { revision: canary, weight: traffic.canaryWeight }
    : { revision: traffic.stable, weight: 100 };
  return createStepGate({
    signals: deps.signals,
    policy: judged ? gates : alarmsOnly,
    traces: {
      workload: request.workload,
      canaryVersion: canary?.version ?? traffic.stable.version,
      baselineVersion: traffic.stable.version,
    },
    platform: deps.platform,
    expected,
    from: deps.clock.now(),
  });
}

interface Watched {
  verdict: Verdict;
  reason: string;
  polls: number;
  readings: GateReading[];
}

/** Polls at the start, every interval and exactly at the end of the window; stops at the first fail or error. */
async function poll(
  gate: StepGate,
  deps: GateWatchDeps,
  windowMs: number,
  intervalMs: number,
  log: EventLog,
): Promise<Watched> {
  const start = deps.clock.now();
  let polls = 0;
  let shortOfData: GateReading[] = [];
  for (;;) {
    const elapsed = deps.clock.now() - start;
    let readings: GateReading[];
    try {
      if (deps.signal?.aborted) throw new CancelledError(cancellationReason(deps.signal));
      readings = await untilAborted(gate.poll(deps.clock.now()), deps.signal);
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
      const reason = `the watch was cancelled after ${formatDuration(elapsed)} (${error.why}), so the window was not watched to its end`;
      return { verdict: 'error', reason, polls, readings: [] };
    }
    polls += 1;
    log.emit('poll', `${formatDuration(elapsed)}: ${summarisePoll(readings)}`, { readings });
    const verdict = worstVerdict(readings.map((reading) => reading.verdict));
    const at = `at ${formatDuration(elapsed)} (poll ${polls})`;
    if (verdict === 'fail' || verdict === 'error') {
      return { verdict, reason: `${at}: ${reasonsOf(readings, verdict)}`, polls, readings };
    }
    const alarmsShort = readings.filter((r) => r.gate === 'alarm' && r.verdict === 'inconclusive');
    if (alarmsShort.length > 0) shortOfData = alarmsShort;
    if (elapsed >= windowMs) return conclude(readings, shortOfData, polls, windowMs, verdict);
    await deps.clock.sleep(Math.min(intervalMs, windowMs - elapsed), deps.signal);
  }
}

function conclude(
  readings: GateReading[],
  shortOfData: readonly GateReading[],
  polls: number,
  windowMs: number,
  last: Verdict,
): Watched {
  const over = `after ${formatDuration(windowMs)} (${polls} polls)`;
  if (last === 'inconclusive') {
    return {
      verdict: 'inconclusive',
      reason: `${over}: ${reasonsOf(readings, 'inconclusive')}`,
      polls,
      readings,
    };
  }
  if (shortOfData.length > 0) {
    const why = shortOfData.map((r) => `${r.metric}: ${r.reason}`).join('; ');
    return {
      verdict: 'inconclusive',
      reason: `${over}: an alarm was short of data during the window (${why})`,
      polls,
      readings,
    };
  }
  const judged = readings.filter((reading) => reading.gate !== 'platform').length;
  return {
    verdict: 'pass',
    reason: `${over}: every poll passed; ${judged} gate readings pass`,
    polls,
    readings,
  };
}

function noGatesReason(gates: GatePolicy, traffic: string): string {
  const traces = gates.latency !== undefined || gates.errors !== undefined;
  const why = traces
    ? `its latency and error gates compare a canary with its baseline, and traffic is not split (${traffic})`
    : 'no latency or error gates either';
  return `no gates to watch: the environment has no gating alarms, and ${why}; a watch without gates is never a pass`;
}
