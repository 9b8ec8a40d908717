import { planSteps } from '../../../src/plan/plan';
import type { Step, Strategy } from '../../../src/plan/shape';
import { EcsCodeDeployPlatform } from '../../../src/platforms/ecs/ecs-codedeploy-platform';
import { type Capabilities, releaseMethods } from '../../../src/targets/capabilities';
import type { EcsTarget } from '../../../src/targets/manifest';
import { VirtualClock } from '../../../src/time/clock';
import { TEST_MANIFEST } from '../../fixtures/manifest';
import type { BlueGreenTiming } from './fake-blue-green-deployment';
import { FakeCodeDeploy } from './fake-codedeploy';
import { liveRegistration } from './fake-task-definitions';
import { imageOf, POLL_MS } from './native-world';

/** checkout in the test manifest: a CodeDeploy blue/green ECS service (ECSCanary10Percent5Minutes). */
const CHECKOUT = TEST_MANIFEST.workloads.checkout?.environments.production as EcsTarget;
export const BLUE_GREEN = releaseMethods(CHECKOUT)[0] as Capabilities;

const CANARY_STRATEGY: Strategy = {
  shape: { kind: 'canary', weight: 10, bakeMs: 5 * 60_000 },
  codeDeployConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
};

export interface CodeDeployWorld {
  clock: VirtualClock;
  fake: FakeCodeDeploy;
  platform: EcsCodeDeployPlatform;
  open(): EcsCodeDeployPlatform;
}

export function codeDeployWorld(
  options: {
    strategy?: Strategy;
    steps?: readonly Step[];
    timing?: Partial<BlueGreenTiming>;
    missing?: 'group' | 'service';
    prebuilt?: string[];
  } = {},
): CodeDeployWorld {
  const clock = new VirtualClock(Date.parse('2026-06-01T00:00:00Z'));
  const fake = new FakeCodeDeploy({
    clock,
    target: CHECKOUT,
    stableVersion: '1.0.0',
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.missing ? { missing: options.missing } : {}),
  });
  for (const version of options.prebuilt ?? []) {
    const registration = liveRegistration(
      CHECKOUT.taskFamily,
      CHECKOUT.containerName,
      imageOf(version),
      version,
    );
    fake.taskDefinitions.add({
      ...registration,
      tags: [...(registration.tags ?? []), { key: 'tollgate:release', value: version }],
    });
  }
  const strategy = options.strategy ?? CANARY_STRATEGY;
  const steps = options.steps ?? planSteps(strategy.shape);
  const open = () =>
    new EcsCodeDeployPlatform({
      workload: 'checkout',
      target: CHECKOUT,
      capabilities: BLUE_GREEN,
      clients: { ecs: fake.ecs, codeDeploy: fake.codeDeploy },
      clock,
      strategy,
      steps,
      pollMs: POLL_MS,
    });
  return { clock, fake, platform: open(), open };
}
