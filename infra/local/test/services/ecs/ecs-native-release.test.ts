import { readFileSync } from 'node:fs';
import * as ecsSdk from '@aws-sdk/client-ecs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EcsNativePlatform } from '@tollgate/pipelines/platforms/ecs/ecs-native-platform';
import { type Capabilities, releaseMethods } from '@tollgate/pipelines/targets/capabilities';
import { type EcsTarget, parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyFaultPlan, type FaultPlan } from '../../../src/faults/fault-plan';
import { createEcsService, type EcsService } from '../../../src/services/ecs/ecs-service';
import { provisionEcs } from '../../../src/services/ecs/provision-ecs';
import { contextOf, FakeRuntime, fastClock, recordingRouters, routeClient } from './local-edge';

const MANIFEST = parseReleaseManifest(
  JSON.parse(readFileSync(new URL('../../../../aws/release-manifest.json', import.meta.url), 'utf8')),
);
const AUTH = MANIFEST.workloads.auth?.environments.production as EcsTarget;
const BLUE = AUTH.targetGroups.blue;
const GREEN = AUTH.targetGroups.green;
const FAMILY = `arn:aws:ecs:eu-west-1:222222222222:task-definition/${AUTH.taskFamily}`;

const open: EcsService[] = [];
afterEach(async () => {
  for (const service of open.splice(0)) await service.close();
});

async function world(faults: FaultPlan = emptyFaultPlan()) {
  const clock = fastClock();
  const ecs = createEcsService({ clock, faults });
  open.push(ecs);
  const runtime = new FakeRuntime();
  const { routers, made } = recordingRouters(clock);
  await provisionEcs(ecs, MANIFEST, { runtime, routers });
  const client = new ECSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const problems = routeClient(client, ecsSdk, ecs.definition, contextOf(clock));
  const platform = new EcsNativePlatform({
    workload: 'auth',
    target: AUTH,
    capabilities: releaseMethods(AUTH)[0] as Capabilities,
    client,
    clock,
    pollMs: 10_000,
  });
  const router = made.get(`${AUTH.loadBalancerName} :${AUTH.productionListenerPort}`);
  if (!router) throw new Error('no router for the auth ALB');
  const authRunning = () => runtime.running().filter((c) => c.image.includes('/production/auth'));
  return { clock, ecs, runtime, client, problems, platform, router, authRunning };
}

const artifact = {
  version: '2.0.0',
  source: { kind: 'image' as const, uri: `${AUTH.imageRepository}:2.0.0` },
};

describe('the ECS-native adapter releasing auth through the local ECS', () => {
  it('stages 2.0.0, shifts 10% at the pause, promotes; the old task stops after the bake', async () => {
    const { clock, platform, router, problems, authRunning, ecs } = await world();
    expect(await platform.current()).toEqual({
      stable: { version: '1.0.0', ref: `${FAMILY}:1` },
      canaryWeight: 0,
    });
    const revision = await platform.prepare(artifact);
    expect(revision).toEqual({ version: '2.0.0', ref: `${FAMILY}:2` });

    const shiftedFrom = clock.now();
    await platform.shift(revision, 10);
    const canary = await platform.current();
    expect(canary.stable.version).toBe('1.0.0');
    expect(canary.canary?.version).toBe('2.0.0');
    expect(canary.canaryWeight).toBe(10);
    expect(router.weights().at(-1)).toEqual({ [BLUE]: 90, [GREEN]: 10 });
    expect(
      authRunning()
        .map((c) => c.version)
        .sort(),
    ).toEqual(['1.0.0', '2.0.0']);

    // Paused before the production shift to 100% for as long as Tollgate bakes (10 cloud minutes here).
    await clock.sleep(10 * 60_000);
    expect((await platform.current()).canaryWeight).toBe(10);
    await platform.promote(revision);
    expect(router.weights().at(-1)).toEqual({ [GREEN]: 100 });
    expect((await platform.current()).stable).toEqual(revision);
    await ecs.settled();
    expect(authRunning().map((c) => c.version)).toEqual(['2.0.0']);
    expect(router.weights()).toEqual([{ [BLUE]: 100 }, { [BLUE]: 90, [GREEN]: 10 }, { [GREEN]: 100 }]);
    expect(clock.now() - shiftedFrom).toBeGreaterThan(10 * 60_000 + 5 * 60_000);
    expect(problems).toEqual([]);
  });

  it('rolls back at the pause: traffic returns to blue and the 2.0.0 task stops', async () => {
    const { platform, router, problems, authRunning, ecs, client } = await world();
    const revision = await platform.prepare(artifact);
    await platform.shift(revision, 10);
    await platform.rollback();
    await ecs.settled();
    expect(await platform.current()).toEqual({
      stable: { version: '1.0.0', ref: `${FAMILY}:1` },
      canaryWeight: 0,
    });
    expect(router.weights()).toEqual([{ [BLUE]: 100 }, { [BLUE]: 90, [GREEN]: 10 }, { [BLUE]: 100 }]);
    expect(authRunning().map((c) => c.version)).toEqual(['1.0.0']);
    const { serviceDeployments } = await client.send(
      new ecsSdk.ListServiceDeploymentsCommand({ cluster: AUTH.clusterName, service: AUTH.serviceName }),
    );
    expect(serviceDeployments?.map((d) => [d.status, d.statusReason])).toEqual([
      ['ROLLBACK_SUCCESSFUL', 'Rolled back by ContinueServiceDeployment at a lifecycle hook.'],
    ]);
    expect(problems).toEqual([]);
  });

  it('a version that crashes on start fails the deployment: the circuit breaker rolls it back', async () => {
    const faults: FaultPlan = {
      api: [],
      versions: [{ workload: 'auth', version: '2.0.0', crashOnStart: true }],
    };
    const { platform, router, authRunning, ecs } = await world(faults);
    const revision = await platform.prepare(artifact);
    await expect(platform.shift(revision, 10)).rejects.toThrow(/circuit breaker: tasks failed to start/);
    await ecs.settled();
    expect(router.weights()).toEqual([{ [BLUE]: 100 }]);
    expect(authRunning().map((c) => c.version)).toEqual(['1.0.0']);
    expect((await platform.current()).stable.version).toBe('1.0.0');
  });
});
