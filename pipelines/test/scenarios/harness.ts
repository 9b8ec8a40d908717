import { type Clock, VirtualClock } from '../../src/clock/clock';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import { parsePolicy } from '../../src/policy/load-policy';
import type { Policy } from '../../src/policy/schema';
import type { ReleaseEvent } from '../../src/release/events';
import { type ReleaseRequest, runRelease } from '../../src/release/run-release';
import { type ScenarioName, type Simulation, simulate } from '../../src/simulation/scenarios';

export const ALARM = 'securecart-production-checkout-5xx';

/** A production policy with a 10% → 50% → 100% plan, 5-minute bakes and 30-second polls. */
export function policyYaml(
  gates: string,
  strategy = 'steps: [{ weight: 10, bake: 5m }, { weight: 50, bake: 5m }]',
) {
  return `workload: checkout
platform: ecs
environments:
  production:
    strategy: { ${strategy} }
    gates:
${gates
  .trim()
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
`;
}

export const STANDARD_GATES = `
alarms: [${ALARM}]
latency: { p50Increase: 10%, p99Increase: 30% }
errors: { maxRateIncrease: 1% }
minSamples: 100
pollInterval: 30s
maxBake: 10m
`;

export interface Run {
  clock: VirtualClock;
  sim: Simulation;
  ledger: MemoryLedger;
  events: ReleaseEvent[];
  policy: Policy;
  release: (
    overrides?: Partial<ReleaseRequest>,
    clock?: Clock,
    signal?: AbortSignal,
  ) => ReturnType<typeof runRelease>;
}

export function setUp(
  scenario: ScenarioName,
  yaml = policyYaml(STANDARD_GATES),
  requestsPerSecond = 50,
): Run {
  const clock = new VirtualClock();
  const policy = parsePolicy(yaml, 'test-policy.yml');
  const gates = policy.environments.production?.gates;
  if (!gates) throw new Error('test policy needs production gates');
  const sim = simulate({
    workload: 'checkout',
    gates,
    stable: 'v1',
    version: 'v2',
    scenario,
    clock,
    requestsPerSecond,
  });
  const ledger = new MemoryLedger();
  const events: ReleaseEvent[] = [];
  const release = (
    overrides: Partial<ReleaseRequest> = {},
    releaseClock: Clock = clock,
    signal?: AbortSignal,
  ) =>
    runRelease(
      { policy, environment: 'production', version: 'v2', actor: 'tester', ...overrides },
      {
        platform: sim.platform,
        signals: sim.signals,
        clock: releaseClock,
        ledger,
        onEvent: (e) => events.push(e),
        ...(signal ? { signal } : {}),
      },
    );
  return { clock, sim, ledger, events, policy, release };
}

export function eventTypes(events: readonly ReleaseEvent[]): string[] {
  return events.filter((event) => event.type !== 'poll').map((event) => event.type);
}
