import { describe } from 'vitest';
import { AppRunnerPlatform } from '../../src/platforms/apprunner/apprunner-platform';
import { MemoryScheduledPlatform } from '../../src/platforms/memory-scheduled-platform';
import { createMemoryState } from '../../src/platforms/memory-state';
import { releaseMethods } from '../../src/targets/capabilities';
import type { AppRunnerTarget } from '../../src/targets/manifest';
import { VirtualClock } from '../../src/time/clock';
import { TEST_MANIFEST } from '../fixtures/manifest';
import { FakeAppRunner } from '../platforms/apprunner/fake-apprunner';
import { type ReplaceSetup, replaceContract } from './replace-contract';

const MINUTE = 60_000;
const target = TEST_MANIFEST.workloads.search?.environments.production as AppRunnerTarget;
const capabilities = releaseMethods(target)[0] ?? (undefined as never);
const artifact = {
  version: '2',
  source: { kind: 'image' as const, uri: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/search@sha256:bbb' },
};

const appRunner: ReplaceSetup = {
  stableVersion: '1',
  artifact,
  replaceMs: 4 * MINUTE,
  create() {
    const clock = new VirtualClock();
    const fake = new FakeAppRunner(() => clock.now(), 4 * MINUTE);
    const open = () =>
      new AppRunnerPlatform({
        workload: 'search',
        target,
        capabilities,
        client: fake.client,
        sleep: (ms) => clock.sleep(ms),
      });
    return {
      platform: open(),
      crash: open,
      advance: async (ms) => clock.advance(ms),
      failNextDeploy: () => fake.refuseNext('UpdateService'),
    };
  },
  createMissing() {
    const fake = new FakeAppRunner(() => 0, 4 * MINUTE, false);
    return new AppRunnerPlatform({ workload: 'search', target, capabilities, client: fake.client });
  },
};

const memory: ReplaceSetup = {
  stableVersion: '1',
  artifact,
  replaceMs: 0,
  create() {
    const clock = new VirtualClock();
    const state = createMemoryState('search', '1', clock.now());
    const open = () => new MemoryScheduledPlatform({ state, capabilities, now: () => clock.now() });
    const platform = open();
    return {
      platform,
      crash: open,
      advance: async (ms) => clock.advance(ms),
      failNextDeploy: () => platform.failNext('start', new Error('start: Rate exceeded')),
    };
  },
  createMissing: () =>
    new MemoryScheduledPlatform({
      state: createMemoryState('search', '1', 0),
      capabilities,
      now: () => 0,
      exists: false,
    }),
};

describe.each([
  { name: 'AppRunnerPlatform', setup: appRunner },
  { name: 'MemoryScheduledPlatform (apprunner)', setup: memory },
])('$name', ({ setup }) => replaceContract(setup));
