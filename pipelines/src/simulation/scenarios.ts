import type { VirtualClock } from '../clock/clock';
import type { Signals } from '../gates/step-gate';
import { MemoryPlatform } from '../platforms/memory-platform';
import type { GatePolicy } from '../policy/schema';
import { MemoryAlarms } from '../signals/memory-alarms';
import { SyntheticTraces, type VersionProfile } from '../signals/synthetic-traces';

/** What the simulated new version does; the stable version is always healthy. */
export const SCENARIOS = {
  healthy: 'the new version behaves like the stable one',
  'slow-canary': 'the new version is 60% slower on every request',
  'erroring-canary': 'the new version faults on 8% of requests',
  'alarm-mid-bake': 'a gating alarm fires two minutes into the first bake',
  'no-traffic': 'the new version gets no traced requests',
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

export const STABLE_PROFILE: VersionProfile = { medianMs: 120, sigma: 0.5, faultRate: 0.002 };

const CANARY_PROFILES: Record<ScenarioName, VersionProfile | undefined> = {
  healthy: STABLE_PROFILE,
  'slow-canary': { ...STABLE_PROFILE, medianMs: STABLE_PROFILE.medianMs * 1.6 },
  'erroring-canary': { ...STABLE_PROFILE, faultRate: 0.08 },
  'alarm-mid-bake': STABLE_PROFILE,
  'no-traffic': undefined,
};

export interface SimulationOptions {
  workload: string;
  gates: GatePolicy;
  stable: string;
  version: string;
  scenario: ScenarioName;
  clock: VirtualClock;
  requestsPerSecond?: number;
  seed?: number;
}

export interface Simulation {
  platform: MemoryPlatform;
  alarms: MemoryAlarms;
  traces: SyntheticTraces;
  signals: Signals;
}

/** Wires an in-memory platform and signals that act out a scenario under a virtual clock. */
export function simulate(options: SimulationOptions): Simulation {
  const now = () => options.clock.now();
  const platform = new MemoryPlatform(options.workload, options.stable, now);
  const alarms = new MemoryAlarms(now, options.gates.alarms);
  const profiles: Record<string, VersionProfile> = { [options.stable]: STABLE_PROFILE };
  const canary = CANARY_PROFILES[options.scenario];
  if (canary) profiles[options.version] = canary;
  const traces = new SyntheticTraces({
    requestsPerSecond: options.requestsPerSecond ?? 50,
    seed: options.seed ?? 1,
    shareAt: (version, at) => platform.shareAt(version, at),
    profiles,
  });
  if (options.scenario === 'alarm-mid-bake') scheduleAlarm(options, alarms);
  return { platform, alarms, traces, signals: { alarms, traces } };
}

function scheduleAlarm(options: SimulationOptions, alarms: MemoryAlarms): void {
  const alarm = options.gates.alarms[0];
  if (!alarm) throw new Error('the alarm-mid-bake scenario needs a policy with at least one gating alarm');
  options.clock.at(options.clock.now() + 2 * 60_000, () =>
    alarms.set(
      alarm,
      'ALARM',
      'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold',
    ),
  );
}
