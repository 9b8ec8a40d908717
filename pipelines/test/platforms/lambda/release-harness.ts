import { canaryProfile, type ScenarioName, STABLE_PROFILE } from '../../../src/backends/memory-scenarios';
import { MemoryLedger } from '../../../src/ledger/memory-ledger';
import type { TrafficChange } from '../../../src/platforms/memory-state';
import type { Platform } from '../../../src/platforms/port';
import { environmentOf, parsePolicy } from '../../../src/policy/load-policy';
import type { PolicyEnvironment } from '../../../src/policy/target-checks';
import type { ReleaseEvent } from '../../../src/record/events';
import type { ReleaseResult } from '../../../src/release/ledger-sync';
import { runRelease } from '../../../src/release/run-release';
import { MemoryAlarms } from '../../../src/signals/memory-alarms';
import { SyntheticTraces, type VersionProfile } from '../../../src/signals/synthetic-traces';
import type { LambdaTarget } from '../../../src/targets/manifest';
import { type Clock, VirtualClock } from '../../../src/time/clock';
import { TEST_MANIFEST } from '../../fixtures/manifest';
import type { AliasChange } from './fake-lambda';
import { LambdaWorld } from './world';

const ORDERS_ALARM = 'shop-production-orders-5xx';

const GATES = `
    gates:
      alarms: [${ORDERS_ALARM}]
      latency: { p50Increase: 10%, p99Increase: 30% }
      errors: { maxRateIncrease: 1% }
      minSamples: 100
      pollInterval: 30s`;

/** Tollgate sets every weight: 10% then 50%, five minutes each. */
export const ENGINE_POLICY = `workload: orders
platform: lambda
environments:
  production:
    strategy: { steps: [{ weight: 10, bake: 5m }, { weight: 50, bake: 5m }] }${GATES}
      maxBake: 10m
`;

/** CodeDeploy runs the group's own configuration: 10% for five minutes, then the rest. */
export const CODEDEPLOY_POLICY = `workload: orders
platform: lambda
environments:
  production:
    strategy: CodeDeployDefault.LambdaCanary10Percent5Minutes
    traffic: platform${GATES}
`;

export interface LambdaRelease {
  world: LambdaWorld;
  environment: PolicyEnvironment;
  events: ReleaseEvent[];
  result: ReleaseResult;
  ledger: MemoryLedger;
  /** The alias's history as the traffic changes the scenario invariant reads, by release version. */
  history(): TrafficChange[];
}

export interface OrdersWorld {
  world: LambdaWorld;
  environment: PolicyEnvironment;
  events: ReleaseEvent[];
  ledger: MemoryLedger;
  /** Runs a release of v2 with a new adapter (as a new process would), on `clock` (default the world's). */
  release(clock?: Clock): Promise<ReleaseResult>;
}

/**
 * `orders` as the CLI wires a release of it, over the Lambda adapters and the fakes: the synthetic traces
 * follow the fake alias's weights second by second (each version's traffic labelled with the release its
 * Description or RELEASE_VERSION names, as the function labels its own traces), and `v2` behaves as
 * `scenario` says.
 */
export function ordersWorld(policy: string, scenario: ScenarioName = 'healthy'): OrdersWorld {
  const environment = environmentOf(parsePolicy(policy, 'orders.yml', TEST_MANIFEST), 'production');
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const world = new LambdaWorld({
    clock,
    target: environment.target as LambdaTarget,
    workload: 'orders',
    stableRelease: 'v1',
  });
  const now = () => clock.now();
  const profiles: Record<string, VersionProfile> = { v1: STABLE_PROFILE };
  const canary = canaryProfile(scenario);
  if (canary) profiles.v2 = canary;
  const traces = new SyntheticTraces({
    requestsPerSecond: 50,
    seed: 1,
    shareAt: (version, at) => {
      world.codeDeploy.catchUp();
      return world.lambda.shareAt(version, at);
    },
    profiles,
    now,
    arrival: { minDelayMs: 2_000, maxDelayMs: 25_000, duplicateShare: 0.01, shuffle: true },
    timing: { settleMs: 30_000, overlapMs: 60_000 },
  });
  const alarms = new MemoryAlarms(now, environment.target.alarms);
  const events: ReleaseEvent[] = [];
  const ledger = new MemoryLedger();
  const platform = (): Platform =>
    environment.capabilities.driver === 'engine'
      ? world.aliasPlatform(environment.capabilities)
      : world.codeDeployPlatform(environment.strategy, undefined, environment.capabilities);
  const release = (runClock: Clock = clock) =>
    runRelease(
      {
        workload: 'orders',
        environment,
        version: 'v2',
        artifact: { kind: 's3', bucket: 'shop-artifacts', key: 'orders/v2.zip' },
        actor: 'tester',
      },
      {
        platform: platform(),
        signals: { alarms, traces },
        clock: runClock,
        ledger,
        backend: 'aws',
        onEvent: (event) => events.push(event),
      },
    );
  return { world, environment, events, ledger, release };
}

/** One release of v2 start to end; `arrange` sets up the fakes first (a failure to act out). */
export async function releaseOrders(
  policy: string,
  scenario: ScenarioName = 'healthy',
  arrange: (world: LambdaWorld) => void = () => {},
): Promise<LambdaRelease> {
  const orders = ordersWorld(policy, scenario);
  arrange(orders.world);
  const result = await orders.release();
  const { world, environment, events, ledger } = orders;
  return { world, environment, events, ledger, result, history: () => trafficHistory(world) };
}

export function trafficHistory(world: LambdaWorld): TrafficChange[] {
  return world.lambda.history.map((change) => toTraffic(world, change));
}

function toTraffic(world: LambdaWorld, change: AliasChange): TrafficChange {
  const { lambda } = world;
  const [routed] = Object.entries(change.weights).filter(([, weight]) => weight > 0);
  const traffic: TrafficChange = {
    at: change.at,
    stable: lambda.releaseOf(change.functionVersion),
    weight: 0,
  };
  if (routed) {
    traffic.canary = lambda.releaseOf(routed[0]);
    traffic.weight = Math.round(routed[1] * 1_000_000) / 10_000;
  }
  return traffic;
}

/** Consecutive repeats collapsed ("GetAlias ×12" becomes one entry): the order of what was done. */
export function collapse(operations: readonly string[]): string[] {
  return operations.filter((operation, index) => operation !== operations[index - 1]);
}
