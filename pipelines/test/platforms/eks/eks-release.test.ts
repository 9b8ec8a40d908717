import { describe, expect, it, vi } from 'vitest';
import { canaryProfile, type ScenarioName, STABLE_PROFILE } from '../../../src/backends/memory-scenarios';
import { MemoryLedger } from '../../../src/ledger/memory-ledger';
import { describeTraffic } from '../../../src/platforms/port';
import { environmentOf, parsePolicy } from '../../../src/policy/load-policy';
import type { ReleaseEvent } from '../../../src/record/events';
import { runRelease } from '../../../src/release/run-release';
import { MemoryAlarms } from '../../../src/signals/memory-alarms';
import { SyntheticTraces, type VersionProfile } from '../../../src/signals/synthetic-traces';
import { parseReleaseManifest } from '../../../src/targets/manifest';
import { type Clock, VirtualClock } from '../../../src/time/clock';
import { dyingClock, eventTypes } from '../../scenarios/harness';
import { unjudgedAdvances } from '../../scenarios/invariant';
import { eksWorld } from './eks-world';
import { EKS_TARGET, NAMESPACE, NEW_IMAGE, STABLE_IMAGE, weightsOf } from './recommendations-fixture';
import { patchesSince } from './requests';
import { shareAt, trafficChanges } from './traffic-history';

const MANIFEST = parseReleaseManifest({
  schemaVersion: 1,
  application: 'securecart',
  repository: 'securecart/securecart',
  environments: {
    production: {
      account: '222222222222',
      region: 'eu-west-1',
      deployRoleName: 'securecart-production-deploy',
      deployRoleArn: 'arn:aws:iam::222222222222:role/securecart-production-deploy',
      oidcSubjects: ['repo:securecart/securecart:environment:production'],
    },
  },
  workloads: { recommendations: { platform: 'eks', environments: { production: EKS_TARGET } } },
});

const ALARM = 'securecart-production-recommendations-5xx';
const POLICY = `workload: recommendations
platform: eks
environments:
  production:
    strategy: { steps: [{ weight: 10, bake: 5m }, { weight: 50, bake: 5m }] }
    gates:
      alarms: [${ALARM}]
      latency: { p50Increase: 10%, p99Increase: 30% }
      errors: { maxRateIncrease: 1% }
      minSamples: 100
      pollInterval: 30s
      maxBake: 10m
`;

/**
 * Whole releases by the engine over the EKS adapter and the fake API server, judged on alarms and on
 * synthetic traces split by the weights the adapter wrote to the Ingress (read back from the fake's
 * history), as X-Ray would deliver them: late, some twice, out of order.
 */
function setUpRelease(scenario: ScenarioName) {
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const world = eksWorld({ clock });
  const environment = environmentOf(parsePolicy(POLICY, 'recommendations.yml', MANIFEST), 'production');
  const profiles: Record<string, VersionProfile> = {
    '1.0.0': STABLE_PROFILE,
    '2.0.0': canaryProfile(scenario) as VersionProfile,
  };
  const traces = new SyntheticTraces({
    requestsPerSecond: 50,
    seed: 1,
    shareAt: (version, time) => shareAt(world.cluster.history, version, time),
    profiles,
    now: () => clock.now(),
    arrival: { minDelayMs: 2_000, maxDelayMs: 25_000, duplicateShare: 0.01, shuffle: true },
    timing: { settleMs: 30_000, overlapMs: 60_000 },
  });
  const alarms = new MemoryAlarms(() => clock.now(), EKS_TARGET.alarms);
  const ledger = new MemoryLedger();
  const events: ReleaseEvent[] = [];
  /** One run of `tollgate deploy`: its own adapter (a new process), the engine on `engineClock`. */
  const run = (engineClock: Clock = clock) =>
    runRelease(
      {
        workload: 'recommendations',
        environment,
        version: '2.0.0',
        artifact: { kind: 'image', uri: NEW_IMAGE },
        actor: 'tester',
      },
      {
        platform: world.platform(),
        signals: { alarms, traces },
        clock: engineClock,
        ledger,
        backend: 'aws',
        onEvent: (event) => events.push(event),
      },
    );
  const traffic = async () => describeTraffic(await world.platform().current());
  return { world, ledger, events, run, traffic };
}

async function release(scenario: ScenarioName) {
  const { world, events, run, traffic } = setUpRelease(scenario);
  const result = await run();
  return { world, result, events, traffic: await traffic() };
}

describe('a release of recommendations on EKS, driven by the engine', () => {
  it('promotes a healthy version: canary, weights, stable rollout, 100/0, canary to zero', async () => {
    const { world, result, events, traffic } = await release('healthy');
    const { record } = result;

    expect(record.outcome).toBe('promoted');
    expect(result.exitCode).toBe(0);
    expect(record.fromRevision).toEqual({ version: '1.0.0', ref: STABLE_IMAGE });
    expect(record.toRevision).toEqual({ version: '2.0.0', ref: NEW_IMAGE });
    expect(record.steps.map((step) => [step.weight, step.verdict])).toEqual([
      [10, 'pass'],
      [50, 'pass'],
    ]);
    expect(eventTypes(events)).toEqual([
      'plan',
      'preflight',
      'prepare',
      'shift',
      'step-passed',
      'shift',
      'step-passed',
      'promote',
    ]);
    expect(patchesSince(world.api).map(({ target, body }) => [target, summary(body)])).toEqual([
      ['PATCH deployments/recommendations-canary', `2.0.0 ${NEW_IMAGE} ×1`],
      ['PATCH ingresses/recommendations', '90/10'],
      ['PATCH ingresses/recommendations', '50/50'],
      ['PATCH deployments/recommendations-stable', `2.0.0 ${NEW_IMAGE}`],
      ['PATCH ingresses/recommendations', '100/0'],
      ['PATCH deployments/recommendations-canary', '×0'],
    ]);
    expect(traffic).toBe('2.0.0 at 100%');
    expectAllOn(world, '2.0.0', NEW_IMAGE);
    expect(unjudgedAdvances(trafficChanges(world.cluster.history), record)).toEqual([]);
    expect(world.api.requests.filter((request) => request.status !== 200)).toEqual([]);
  });

  it('rolls back a latency regression at the first step: weights 100/0, canary to zero, stable untouched', async () => {
    const { world, result, traffic } = await release('slow-canary');
    const { record } = result;

    expect(record.outcome).toBe('rolled-back');
    expect(result.exitCode).toBe(1);
    expect(record.steps).toHaveLength(1);
    const failing = record.steps[0]?.readings.filter((reading) => reading.verdict === 'fail') ?? [];
    expect(failing.map((reading) => reading.metric)).toContain('p50 latency');
    expect(patchesSince(world.api).map(({ target, body }) => [target, summary(body)])).toEqual([
      ['PATCH deployments/recommendations-canary', `2.0.0 ${NEW_IMAGE} ×1`],
      ['PATCH ingresses/recommendations', '90/10'],
      ['PATCH ingresses/recommendations', '100/0'],
      ['PATCH deployments/recommendations-canary', '×0'],
    ]);
    expect(traffic).toBe('1.0.0 at 100%');
    expectAllOn(world, '1.0.0', STABLE_IMAGE);
    expect(trafficChanges(world.cluster.history).map((change) => change.weight)).toEqual([0, 10, 0]);
  });

  it('a run killed at 50% is resumed by the next run, whose new adapter finds the canary on the objects', async () => {
    const { world, ledger, events, run, traffic } = setUpRelease('healthy');
    const atFifty = async () =>
      weightsOf(world.cluster.get('ingresses', NAMESPACE, 'recommendations'))['recommendations-canary'] ===
      50;
    void run(dyingClock(world.clock, atFifty));
    await vi.waitFor(async () => expect(await atFifty()).toBe(true));
    const killedAt = world.api.requests.length;
    events.length = 0;

    const { record } = await run();
    expect(events.find((event) => event.type === 'reconcile')?.message).toBe(
      'found 1.0.0 at 50%, 2.0.0 at 50% from an interrupted release of 2.0.0; resuming at 50%',
    );
    expect(record.outcome).toBe('promoted');
    expect(record.steps.map((step) => step.weight)).toEqual([50]);
    expect(patchesSince(world.api, killedAt).map(({ target }) => target)).toEqual([
      'PATCH deployments/recommendations-stable',
      'PATCH ingresses/recommendations',
      'PATCH deployments/recommendations-canary',
    ]);
    expect(await traffic()).toBe('2.0.0 at 100%');
    expect((await ledger.list()).map((entry) => entry.outcome)).toEqual(['promoted', 'abandoned']);
  });
});

type Patch = {
  metadata?: { annotations?: Record<string, string> };
  spec?: { replicas?: number; template?: { spec: { containers: { image: string }[] } } };
};

/** "2.0.0 <image> ×1" for a Deployment patch, "90/10" for the weighted action. */
function summary(body: unknown): string {
  const patch = body as Patch;
  const action = patch.metadata?.annotations?.['alb.ingress.kubernetes.io/actions.recommendations-weighted'];
  if (action) {
    const groups = (JSON.parse(action) as { forwardConfig: { targetGroups: { weight: number }[] } })
      .forwardConfig.targetGroups;
    return groups.map((group) => group.weight).join('/');
  }
  const release = patch.metadata?.annotations?.['tollgate.dev/release'];
  const image = patch.spec?.template?.spec.containers[0]?.image;
  const replicas = patch.spec?.replicas === undefined ? '' : `×${patch.spec.replicas}`;
  return [release, image, replicas].filter(Boolean).join(' ');
}

/** 100% on one version: the stable track runs it, the canary has no pods, and the weights are 100/0. */
function expectAllOn(world: ReturnType<typeof eksWorld>, version: string, image: string): void {
  type Deployment = {
    spec: {
      replicas: number;
      template: {
        metadata: { annotations: Record<string, string> };
        spec: { containers: { image: string }[] };
      };
    };
  };
  const stable = world.cluster.get(
    'deployments',
    NAMESPACE,
    'recommendations-stable',
  ) as unknown as Deployment;
  const canary = world.cluster.get(
    'deployments',
    NAMESPACE,
    'recommendations-canary',
  ) as unknown as Deployment;
  expect(stable.spec.template.metadata.annotations['tollgate.dev/release']).toBe(version);
  expect(stable.spec.template.spec.containers[0]?.image).toBe(image);
  expect(canary.spec.replicas).toBe(0);
  expect(weightsOf(world.cluster.get('ingresses', NAMESPACE, 'recommendations'))).toEqual({
    'recommendations-stable': 100,
    'recommendations-canary': 0,
  });
}
