import { describe } from 'vitest';
import {
  type ContractOperation,
  type ContractSetup,
  platformContract,
} from '../../contract/platform-contract';
import { eksWorld } from './eks-world';
import { EKS_CAPABILITIES } from './recommendations-fixture';

const MINUTE = 60_000;
/** The adapter tries a throttled call three times; failing all three is what makes the operation fail. */
const ATTEMPTS = 3;

/**
 * The first request an operation makes that would change something if it failed half-way: for reads
 * the first GET, for changes the first PATCH (every change reads first, and a failed read changes
 * nothing anyway).
 */
const FAILING_METHOD: Record<ContractOperation, 'GET' | 'PATCH'> = {
  current: 'GET',
  prepare: 'GET',
  shift: 'PATCH',
  start: 'PATCH',
  promote: 'PATCH',
  rollback: 'PATCH',
};

const setup: ContractSetup = {
  capabilities: EKS_CAPABILITIES,
  stableVersion: '1.0.0',
  steps: [
    { weight: 10, bakeMs: 5 * MINUTE },
    { weight: 50, bakeMs: 10 * MINUTE },
    { weight: 100, bakeMs: 0 },
  ],
  create() {
    const world = eksWorld();
    return {
      platform: world.platform(),
      crash: () => world.platform(),
      advance: async (ms) => world.clock.advance(ms),
      now: () => world.clock.now(),
      failNext: (operation) => world.api.failNext(FAILING_METHOD[operation], 429, ATTEMPTS),
    };
  },
  createMissing: () => eksWorld({ objects: 'nothing' }).platform(),
};

describe('EksPlatform (eks-ingress) over a fake Kubernetes API server', () => platformContract(setup));
