import { afterEach, describe } from 'vitest';
import { planSteps } from '../../../src/plan/plan';
import type { Strategy } from '../../../src/plan/shape';
import { expectValidRequests } from '../../aws/validated-mock';
import {
  type ContractOperation,
  type ContractSetup,
  platformContract,
} from '../../contract/platform-contract';
import { BLUE_GREEN, codeDeployWorld } from './codedeploy-world';
import { CODEDEPLOY_SDK, ECS_SDK } from './ecs-model';
import type { FakeCodeDeploy } from './fake-codedeploy';

const MINUTE = 60_000;

/** The calls whose refusal fails each port operation before it changes anything. */
const REFUSED: Record<ContractOperation, string[]> = {
  current: ['DescribeServices'],
  prepare: ['ListTaskDefinitions', 'RegisterTaskDefinition'],
  shift: [],
  start: ['CreateDeployment'],
  // promote only reads: CodeDeploy made the revision stable already.
  promote: ['DescribeServices'],
  rollback: ['StopDeployment'],
};

const fakes: FakeCodeDeploy[] = [];
afterEach(() => {
  for (const fake of fakes.splice(0)) {
    expectValidRequests(fake.ecsStub, ECS_SDK);
    expectValidRequests(fake.codeDeployStub, CODEDEPLOY_SDK);
  }
});

/**
 * A linear 30% every 5 minutes schedule (30, 60, 90, then 100%; a custom time-based configuration the
 * adapter creates), so the contract's plan has more than one step below 100%. As for the ECS-native run,
 * the versions the contract prepares without an artifact were registered by the image build.
 */
const LINEAR: Strategy = { shape: { kind: 'linear', weight: 30, bakeMs: 5 * MINUTE } };

const setup: ContractSetup = {
  capabilities: BLUE_GREEN,
  stableVersion: '1.0.0',
  steps: planSteps(LINEAR.shape),
  create() {
    const world = codeDeployWorld({ strategy: LINEAR, prebuilt: ['2.0.0', '3.0.0'] });
    fakes.push(world.fake);
    return {
      platform: world.platform,
      crash: world.open,
      advance: async (ms) => world.clock.advance(ms),
      now: () => world.clock.now(),
      failNext: (operation) => world.fake.refusals.refuseNext(REFUSED[operation]),
    };
  },
  createMissing() {
    const world = codeDeployWorld({ missing: 'service' });
    fakes.push(world.fake);
    return world.platform;
  },
};

describe('EcsCodeDeployPlatform (ecs-codedeploy) over a fake ECS and CodeDeploy', () =>
  platformContract(setup));
