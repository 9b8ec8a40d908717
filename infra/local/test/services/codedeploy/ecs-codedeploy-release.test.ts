import { readFileSync } from 'node:fs';
import * as codeDeploySdk from '@aws-sdk/client-codedeploy';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import * as ecsSdk from '@aws-sdk/client-ecs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { planSteps } from '@tollgate/pipelines/plan/plan';
import type { Strategy } from '@tollgate/pipelines/plan/shape';
import { EcsCodeDeployPlatform } from '@tollgate/pipelines/platforms/ecs/ecs-codedeploy-platform';
import { type Capabilities, releaseMethods } from '@tollgate/pipelines/targets/capabilities';
import { type EcsTarget, parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyFaultPlan } from '../../../src/faults/fault-plan';
import {
  type CodeDeployService,
  createCodeDeployService,
} from '../../../src/services/codedeploy/codedeploy-service';
import { provisionCodeDeploy } from '../../../src/services/codedeploy/provision-codedeploy';
import { createEcsService, type EcsService } from '../../../src/services/ecs/ecs-service';
import { provisionEcs } from '../../../src/services/ecs/provision-ecs';
import { contextOf, FakeRuntime, fastClock, recordingRouters, routeClient } from '../ecs/local-edge';

const MANIFEST = parseReleaseManifest(
  JSON.parse(readFileSync(new URL('../../../../aws/release-manifest.json', import.meta.url), 'utf8')),
);
const CHECKOUT = MANIFEST.workloads.checkout?.environments.production as EcsTarget;
const BLUE = CHECKOUT.targetGroups.blue;
const GREEN = CHECKOUT.targetGroups.green;
const FAMILY = `arn:aws:ecs:eu-west-1:222222222222:task-definition/${CHECKOUT.taskFamily}`;
const MINUTE = 60_000;
const STRATEGY: Strategy = {
  shape: { kind: 'canary', weight: 10, bakeMs: 5 * MINUTE },
  codeDeployConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
};

const open: (EcsService | CodeDeployService)[] = [];
afterEach(async () => {
  for (const service of open.splice(0)) await service.close();
});

async function world() {
  const clock = fastClock();
  const ecs = createEcsService({ clock, faults: emptyFaultPlan() });
  const codeDeploy = createCodeDeployService({ clock, ecs });
  open.push(codeDeploy, ecs);
  const runtime = new FakeRuntime();
  const { routers, made } = recordingRouters(clock);
  await provisionEcs(ecs, MANIFEST, { runtime, routers });
  provisionCodeDeploy(codeDeploy, MANIFEST);
  const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
  const clients = {
    ecs: new ECSClient({ region: 'eu-west-1', credentials }),
    codeDeploy: new CodeDeployClient({ region: 'eu-west-1', credentials }),
  };
  const problems = [
    ...[routeClient(clients.ecs, ecsSdk, ecs.definition, contextOf(clock))],
    ...[routeClient(clients.codeDeploy, codeDeploySdk, codeDeploy.definition, contextOf(clock))],
  ];
  const platform = new EcsCodeDeployPlatform({
    workload: 'checkout',
    target: CHECKOUT,
    capabilities: releaseMethods(CHECKOUT)[0] as Capabilities,
    clients,
    clock,
    strategy: STRATEGY,
    steps: planSteps(STRATEGY.shape),
    pollMs: 10_000,
  });
  const router = made.get(`${CHECKOUT.loadBalancerName} :${CHECKOUT.productionListenerPort}`);
  if (!router) throw new Error('no router for the checkout ALB');
  const running = () =>
    runtime
      .running()
      .filter((c) => c.image.includes('/production/checkout'))
      .map((c) => c.version)
      .sort();
  return { clock, ecs, codeDeploy, platform, router, running, clients, problems: () => problems.flat() };
}

const artifact = {
  version: '2.0.0',
  source: { kind: 'image' as const, uri: `${CHECKOUT.imageRepository}:2.0.0` },
};

describe('the ECS CodeDeploy adapter releasing checkout through the local CodeDeploy and ECS', () => {
  it('ECSCanary10Percent5Minutes: 10% on green for 5 cloud minutes, then all; blue goes after the termination wait', async () => {
    const { clock, platform, router, running, codeDeploy, problems } = await world();
    const revision = await platform.prepare(artifact);
    expect(revision).toEqual({ version: '2.0.0', ref: `${FAMILY}:2` });
    const started = await platform.start(revision, planSteps(STRATEGY.shape));
    expect(started.state).toBe('running');
    const deadline = clock.now() + 30 * MINUTE;
    while ((await platform.current()).canaryWeight !== 10 && clock.now() < deadline) await clock.sleep(5_000);
    const canary = await platform.current();
    expect(canary).toMatchObject({ stable: { version: '1.0.0' }, canary: revision, canaryWeight: 10 });
    expect(running()).toEqual(['1.0.0', '2.0.0']);
    while ((await platform.current()).stable.ref !== revision.ref && clock.now() < deadline)
      await clock.sleep(5_000);
    await platform.promote(revision);
    await codeDeploy.settled();
    expect(running()).toEqual(['2.0.0']);
    const shifts = router.history.map((entry) => ({
      at: entry.at,
      weights: entry.targets.map((t) => [t.id, t.weight]),
    }));
    const tenPercent = shifts.find(
      (s) =>
        JSON.stringify(s.weights) ===
        JSON.stringify([
          [BLUE, 900],
          [GREEN, 100],
        ]),
    );
    const all = shifts.find((s) => JSON.stringify(s.weights) === JSON.stringify([[GREEN, 1000]]));
    expect(tenPercent && all).toBeTruthy();
    // 5 cloud minutes between the shifts (the scaled clock's timers drift by a few cloud seconds at most).
    expect(Math.abs((all?.at ?? 0) - (tenPercent?.at ?? 0) - 5 * MINUTE)).toBeLessThan(15_000);
    expect(problems()).toEqual([]);
  });

  it('a rollback stops the deployment with rollback: traffic back on blue, the green task stops', async () => {
    const { clock, platform, router, running, codeDeploy, clients } = await world();
    const revision = await platform.prepare(artifact);
    const { id } = await platform.start(revision, planSteps(STRATEGY.shape));
    const deadline = clock.now() + 30 * MINUTE;
    while ((await platform.current()).canaryWeight !== 10 && clock.now() < deadline) await clock.sleep(5_000);
    await platform.rollback();
    await codeDeploy.settled();
    expect(await platform.current()).toMatchObject({
      stable: { version: '1.0.0', ref: `${FAMILY}:1` },
      canaryWeight: 0,
    });
    expect(router.history.at(-1)?.targets.map((t) => [t.id, t.weight])).toEqual([[BLUE, 1000]]);
    expect(running()).toEqual(['1.0.0']);
    const { deploymentInfo } = await clients.codeDeploy.send(
      new codeDeploySdk.GetDeploymentCommand({ deploymentId: id }),
    );
    expect(deploymentInfo?.status).toBe('Stopped');
    expect(deploymentInfo?.errorInformation?.code).toBe('MANUAL_STOP');
    await expect(
      clients.codeDeploy.send(
        new codeDeploySdk.StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }),
      ),
    ).rejects.toThrow(/already completed/);
  });
});
