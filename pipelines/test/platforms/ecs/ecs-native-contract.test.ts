import { afterEach, describe } from 'vitest';
import { expectValidRequests } from '../../aws/validated-mock';
import {
  type ContractOperation,
  type ContractSetup,
  platformContract,
} from '../../contract/platform-contract';
import { ECS_SDK } from './ecs-model';
import type { FakeNativeEcs } from './fake-native-ecs';
import { LINEAR_30, NATIVE, nativeWorld } from './native-world';

const MINUTE = 60_000;

/** The calls whose refusal fails each port operation before it changes anything. */
const REFUSED: Record<ContractOperation, string[]> = {
  current: ['DescribeServices'],
  prepare: ['ListTaskDefinitions', 'RegisterTaskDefinition'],
  shift: ['UpdateService', 'ContinueServiceDeployment'],
  start: [],
  promote: ['ContinueServiceDeployment'],
  rollback: ['ContinueServiceDeployment', 'StopServiceDeployment'],
};

const fakes: FakeNativeEcs[] = [];
afterEach(() => {
  for (const fake of fakes.splice(0)) expectValidRequests(fake.stub, ECS_SDK);
});

/**
 * A LINEAR 30% service (30, 60, 90, then 100%), so the contract's plan has more than one step below 100%.
 * The contract prepares versions without an artifact: their revisions were registered by the image build
 * (tagged with the release), which is how prepare finds them; registration itself is tested in
 * ecs-native-platform.test.ts.
 */
const setup: ContractSetup = {
  capabilities: NATIVE,
  stableVersion: '1.0.0',
  steps: [
    { weight: 30, bakeMs: 5 * MINUTE },
    { weight: 60, bakeMs: 5 * MINUTE },
    { weight: 90, bakeMs: 5 * MINUTE },
    { weight: 100, bakeMs: 0 },
  ],
  create() {
    const world = nativeWorld({ configuration: LINEAR_30, prebuilt: ['2.0.0', '3.0.0'] });
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
    const world = nativeWorld({ exists: false });
    fakes.push(world.fake);
    return world.platform;
  },
};

describe('EcsNativePlatform (ecs-native) over a fake ECS', () => platformContract(setup));
