import type { MemoryAlarms } from '../signals/memory-alarms';
import type { VersionProfile } from '../signals/synthetic-traces';
import type { VirtualClock } from '../time/clock';

/** What the simulated new version does; every other version is healthy. */
export const SCENARIOS = {
  healthy: 'the new version behaves like the stable one',
  'slow-canary': 'the new version is 60% slower on every request',
  'erroring-canary': 'the new version faults on 8% of requests',
  'alarm-mid-bake': 'a gating alarm fires two minutes into the first bake',
  'no-traffic': 'the new version gets no traced requests',
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export const STABLE_PROFILE: VersionProfile = { medianMs: 120, sigma: 0.5, faultRate: 0.002 };

const CANARY_PROFILES: Record<ScenarioName, VersionProfile | undefined> = {
  healthy: STABLE_PROFILE,
  'slow-canary': { ...STABLE_PROFILE, medianMs: STABLE_PROFILE.medianMs * 1.6 },
  'erroring-canary': { ...STABLE_PROFILE, faultRate: 0.08 },
  'alarm-mid-bake': STABLE_PROFILE,
  'no-traffic': undefined,
};

/** The trace profile of the released version under a scenario; undefined: it sends no traces. */
export function canaryProfile(scenario: ScenarioName): VersionProfile | undefined {
  return CANARY_PROFILES[scenario];
}

/** Sets up what a scenario does besides the canary's traffic (a gating alarm that will fire). */
export function scheduleScenario(
  scenario: ScenarioName,
  clock: VirtualClock,
  alarms: MemoryAlarms,
  gatingAlarms: readonly string[],
): void {
  if (scenario !== 'alarm-mid-bake') return;
  const alarm = gatingAlarms[0];
  if (!alarm) throw new Error('the alarm-mid-bake scenario needs a policy with at least one gating alarm');
  clock.at(clock.now() + 2 * 60_000, () =>
    alarms.set(
      alarm,
      'ALARM',
      'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold',
    ),
  );
}
