import { type MemorySession, openMemoryBackend } from '../../src/backends/memory-backend';
import type { ScenarioName } from '../../src/backends/memory-scenarios';
import { createMemoryPlatform } from '../../src/platforms/memory-platform';
import { describeTraffic } from '../../src/platforms/port';
import { environmentOf, parsePolicy } from '../../src/policy/load-policy';
import type { PolicyEnvironment } from '../../src/policy/target-checks';
import type { ReleaseEvent } from '../../src/record/events';
import { approveRelease } from '../../src/release/approve';
import type { ReleaseDeps, ReleaseRequest } from '../../src/release/context';
import type { ReleaseResult } from '../../src/release/ledger-sync';
import { runRelease } from '../../src/release/run-release';
import type { TraceArrival } from '../../src/signals/synthetic-traces';
import type { Clock } from '../../src/time/clock';
import { TEST_MANIFEST } from '../fixtures/manifest';

/** The engine-driven workload of the test manifest (Lambda alias routing) and its gating alarm. */
export const ALARM = 'shop-production-orders-5xx';
/** The platform-driven one (CodeDeploy blue/green, a 10% canary for 5 minutes). */
export const CHECKOUT_ALARM = 'shop-production-checkout-5xx';

const indent = (block: string) =>
  block
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');

/** An engine-driven production policy: 10% → 50% → 100%, 5-minute bakes, 30-second polls. */
export function enginePolicy(
  gates = STANDARD_GATES,
  strategy = '{ steps: [{ weight: 10, bake: 5m }, { weight: 50, bake: 5m }] }',
): string {
  return `workload: orders\nplatform: lambda\nenvironments:\n  production:\n    strategy: ${strategy}\n    gates:\n${indent(gates)}\n`;
}

/** A platform-driven production policy: CodeDeploy runs a 10% canary for 5 minutes, then the rest. */
export function platformPolicy(gates = PLATFORM_GATES): string {
  return `workload: checkout\nplatform: ecs\nenvironments:\n  production:\n    strategy: CodeDeployDefault.ECSCanary10Percent5Minutes\n    gates:\n${indent(gates)}\n`;
}

export const STANDARD_GATES = `
alarms: [${ALARM}]
latency: { p50Increase: 10%, p99Increase: 30% }
errors: { maxRateIncrease: 1% }
minSamples: 100
pollInterval: 30s
maxBake: 10m
`;

export const PLATFORM_GATES = `
alarms: [${CHECKOUT_ALARM}]
latency: { p50Increase: 10%, p99Increase: 30% }
errors: { maxRateIncrease: 1% }
minSamples: 100
pollInterval: 30s
`;

export interface SetUpOptions {
  scenario?: ScenarioName;
  yaml?: string;
  requestsPerSecond?: number;
  arrival?: TraceArrival;
}

export interface Run {
  session: MemorySession;
  environment: PolicyEnvironment;
  events: ReleaseEvent[];
  release(overrides?: ReleaseOverrides): Promise<ReleaseResult>;
  approve(reason: string, by?: string): Promise<ReleaseResult>;
  /** A second adapter over the same platform state: what a new process after a crash would build. */
  restart(): Run;
  traffic(): Promise<string>;
}

interface ReleaseOverrides {
  version?: string;
  alarmOverride?: string;
  clock?: Clock;
  signal?: AbortSignal;
}

/** A whole release on the memory backend, as the CLI wires it, with the simulation's handles exposed. */
export async function setUp(options: SetUpOptions = {}): Promise<Run> {
  const loaded = parsePolicy(options.yaml ?? enginePolicy(), 'test-policy.yml', TEST_MANIFEST);
  const environment = environmentOf(loaded, 'production');
  const workload = loaded.policy.workload;
  const session = await openMemoryBackend(
    { workload, environment, version: 'v2' },
    {
      scenario: options.scenario ?? 'healthy',
      seed: 1,
      requestsPerSecond: options.requestsPerSecond ?? 50,
      initialStable: 'v1',
      startAt: Date.parse('2026-01-01T00:00:00Z'),
      ...(options.arrival ? { arrival: options.arrival } : {}),
    },
  );
  return wire(session, workload, environment, []);
}

function wire(
  session: MemorySession,
  workload: string,
  environment: PolicyEnvironment,
  events: ReleaseEvent[],
): Run {
  const deps = (overrides: ReleaseOverrides): ReleaseDeps => ({
    platform: session.platform,
    signals: session.signals,
    clock: overrides.clock ?? session.clock,
    ledger: session.ledger,
    backend: 'memory',
    onEvent: (event) => events.push(event),
    ...(overrides.signal ? { signal: overrides.signal } : {}),
  });
  const request = (overrides: ReleaseOverrides, actor = 'tester'): ReleaseRequest => ({
    workload,
    environment,
    version: overrides.version ?? 'v2',
    actor,
    ...(overrides.alarmOverride ? { alarmOverride: overrides.alarmOverride } : {}),
  });
  return {
    session,
    environment,
    events,
    release: (overrides = {}) => runRelease(request(overrides), deps(overrides)),
    approve: (reason, by = 'release-manager') => approveRelease(request({}, by), reason, deps({})),
    restart() {
      const { state, clock } = session.memory;
      const platform = createMemoryPlatform({
        state,
        capabilities: environment.capabilities,
        now: () => clock.now(),
      });
      return wire(
        { ...session, platform, memory: { ...session.memory, platform } },
        workload,
        environment,
        events,
      );
    },
    traffic: async () => describeTraffic(await session.platform.current()),
  };
}

export function eventTypes(events: readonly ReleaseEvent[]): string[] {
  return events.filter((event) => event.type !== 'poll').map((event) => event.type);
}

/** A clock whose sleeps never return once `dead()` says so: a runner killed without a chance to clean up. */
export function dyingClock(clock: Clock, dead: () => Promise<boolean>): Clock {
  return {
    now: () => clock.now(),
    sleep: async (ms, signal) => {
      if (await dead()) return new Promise<void>(() => {});
      return clock.sleep(ms, signal);
    },
  };
}
