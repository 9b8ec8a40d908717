import { describe } from 'vitest';
import { createMemoryPlatform } from '../../src/platforms/memory-platform';
import { createMemoryState } from '../../src/platforms/memory-state';
import type { Capabilities } from '../../src/targets/capabilities';
import { VirtualClock } from '../../src/time/clock';
import { lambdaMethod } from './lambda-target';
import { type ContractSetup, platformContract } from './platform-contract';

const MINUTE = 60_000;

function memorySetup(capabilities: Capabilities): ContractSetup {
  return {
    capabilities,
    stableVersion: '1.0.0',
    // Distinct bakes, so a schedule that counts the wrong step's bake is caught.
    steps: [
      { weight: 10, bakeMs: 5 * MINUTE },
      { weight: 50, bakeMs: 10 * MINUTE },
      { weight: 100, bakeMs: 0 },
    ],
    create() {
      const clock = new VirtualClock();
      const state = createMemoryState('checkout', '1.0.0', clock.now());
      const open = () => createMemoryPlatform({ state, capabilities, now: () => clock.now() });
      const platform = open();
      return {
        platform,
        crash: open,
        advance: async (ms) => clock.advance(ms),
        now: () => clock.now(),
        failNext: (operation) => platform.failNext(operation, new Error(`${operation}: Rate exceeded`)),
      };
    },
    createMissing() {
      const clock = new VirtualClock();
      const state = createMemoryState('checkout', '1.0.0', clock.now());
      return createMemoryPlatform({ state, capabilities, now: () => clock.now(), exists: false });
    },
  };
}

describe.each([
  { name: 'MemoryEnginePlatform (lambda-alias)', setup: memorySetup(lambdaMethod('lambda-alias')) },
  {
    name: 'MemoryScheduledPlatform (lambda-codedeploy)',
    setup: memorySetup(lambdaMethod('lambda-codedeploy')),
  },
])('$name', ({ setup }) => platformContract(setup));
