import { MemoryLedger } from '../../../src/ledger/memory-ledger';
import type { ArtifactSource, Platform } from '../../../src/platforms/port';
import { environmentOf, parsePolicy } from '../../../src/policy/load-policy';
import type { PolicyEnvironment } from '../../../src/policy/target-checks';
import type { ReleaseEvent } from '../../../src/record/events';
import type { ReleaseResult } from '../../../src/release/ledger-sync';
import { runRelease } from '../../../src/release/run-release';
import { MemoryAlarms } from '../../../src/signals/memory-alarms';
import { SyntheticTraces, type VersionProfile } from '../../../src/signals/synthetic-traces';
import type { VirtualClock } from '../../../src/time/clock';
import { TEST_MANIFEST } from '../../fixtures/manifest';

export const STABLE: VersionProfile = { medianMs: 120, sigma: 0.5, faultRate: 0.002 };
/** The new version 60% slower on every request: a regression the latency gate must catch. */
export const SLOW: VersionProfile = { ...STABLE, medianMs: STABLE.medianMs * 1.6 };

const GATES = `
      alarms: [ALARM]
      latency: { p50Increase: 10%, p99Increase: 30% }
      errors: { maxRateIncrease: 1% }
      minSamples: 100
      pollInterval: 30s`;

/** A production policy for `workload` of the test manifest, gated by its 5xx alarm. */
export function policyEnvironment(workload: 'auth' | 'checkout', strategy: string): PolicyEnvironment {
  const gates = GATES.replace('ALARM', `shop-production-${workload}-5xx`);
  const yaml = `workload: ${workload}\nplatform: ecs\nenvironments:\n  production:\n    strategy: ${strategy}\n    gates:${gates}\n`;
  return environmentOf(parsePolicy(yaml, `${workload}.yml`, TEST_MANIFEST), 'production');
}

export interface ReleaseOver {
  workload: string;
  environment: PolicyEnvironment;
  platform: Platform;
  clock: VirtualClock;
  /** The fake's production traffic split at a moment: what the synthetic traces follow. */
  shareAt(version: string, at: number): number;
  canary: VersionProfile;
  artifact: ArtifactSource;
}

/**
 * One release of 2.0.0 by the engine, as the CLI wires it, over an adapter on mocked AWS clients: the
 * traces follow the fake's own weights (X-Ray-like: late, some twice, shuffled), the alarms stay OK.
 */
export async function releaseOver(
  over: ReleaseOver,
): Promise<{ result: ReleaseResult; events: ReleaseEvent[] }> {
  const { environment, clock } = over;
  const now = () => clock.now();
  const traces = new SyntheticTraces({
    requestsPerSecond: 50,
    seed: 1,
    shareAt: over.shareAt,
    profiles: { '1.0.0': STABLE, '2.0.0': over.canary },
    now,
    arrival: { minDelayMs: 2_000, maxDelayMs: 25_000, duplicateShare: 0.01, shuffle: true },
    timing: { settleMs: 30_000, overlapMs: 60_000 },
  });
  const events: ReleaseEvent[] = [];
  const result = await runRelease(
    { workload: over.workload, environment, version: '2.0.0', artifact: over.artifact, actor: 'tester' },
    {
      platform: over.platform,
      signals: { alarms: new MemoryAlarms(now, environment.target.alarms), traces },
      clock,
      ledger: new MemoryLedger(),
      backend: 'aws',
      onEvent: (event) => events.push(event),
    },
  );
  return { result, events };
}

export function eventTypes(events: readonly ReleaseEvent[]): string[] {
  return events.filter((event) => event.type !== 'poll').map((event) => event.type);
}

/** Operations in the order they were first sent: the shape of a release's conversation with AWS. */
export function firstSeen(operations: readonly string[]): string[] {
  return [...new Set(operations)];
}
