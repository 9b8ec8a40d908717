import { ThrottlingException } from '@aws-sdk/client-codedeploy';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { afterEach, describe } from 'vitest';
import type { Strategy } from '../../../src/plan/shape';
import type { Platform } from '../../../src/platforms/port';
import { lambdaMethod } from '../../contract/lambda-target';
import {
  type ContractOperation,
  type ContractSetup,
  platformContract,
} from '../../contract/platform-contract';
import type { CodeDeployOperation } from './fake-codedeploy';
import type { LambdaOperation } from './fake-lambda';
import { LambdaWorld } from './world';

const MINUTE = 60_000;

/** CodeDeploy runs canary, linear or all-at-once: linear 25% every 3 minutes has two baking steps. */
const LINEAR: Strategy = { shape: { kind: 'linear', weight: 25, bakeMs: 3 * MINUTE } };

const worlds: LambdaWorld[] = [];
afterEach(() => {
  for (const world of worlds.splice(0)) world.expectValidRequests();
});

/**
 * The contract prepares versions without naming an artifact, which the in-memory platforms need none
 * of; a Lambda release always has one (the build's), so each prepare here carries an S3 artifact per
 * version, as `request.artifact` would.
 */
function withBuildArtifacts<P extends Platform>(platform: P): P {
  return new Proxy(platform, {
    get(target, key) {
      if (key === 'prepare') {
        return (artifact: Parameters<Platform['prepare']>[0]) =>
          target.prepare({
            source: { kind: 's3', bucket: 'shop-artifacts', key: `checkout/${artifact.version}.zip` },
            ...artifact,
          });
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const throttledLambda = () =>
  new TooManyRequestsException({
    $metadata: { httpStatusCode: 429 },
    message: 'Rate exceeded',
    Reason: 'CallerRateLimitExceeded',
    Type: 'User',
  });
const throttledCodeDeploy = () =>
  new ThrottlingException({ $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });

type Failing = { lambda: LambdaOperation } | { codeDeploy: CodeDeployOperation };

function lambdaSetup(
  method: 'lambda-alias' | 'lambda-codedeploy',
  steps: ContractSetup['steps'],
  open: (world: LambdaWorld) => Platform,
  failing: Record<ContractOperation, Failing | undefined>,
): ContractSetup {
  const world = (exists = true) => {
    const created = new LambdaWorld(exists ? {} : { exists: false });
    worlds.push(created);
    return created;
  };
  return {
    capabilities: lambdaMethod(method),
    stableVersion: '1.0.0',
    steps,
    create() {
      const created = world();
      return {
        platform: withBuildArtifacts(open(created)),
        crash: () => withBuildArtifacts(open(created)),
        advance: async (ms) => created.clock.advance(ms),
        now: () => created.clock.now(),
        failNext(operation) {
          const where = failing[operation];
          if (!where) throw new Error(`${method} has no ${operation}`);
          if ('lambda' in where) created.lambda.failNext(where.lambda, throttledLambda());
          else created.codeDeploy.failNext(where.codeDeploy, throttledCodeDeploy());
        },
      };
    },
    createMissing: () => withBuildArtifacts(open(world(false))),
  };
}

describe('LambdaAliasPlatform (lambda-alias) over a fake Lambda', () => {
  platformContract(
    lambdaSetup(
      'lambda-alias',
      [
        { weight: 10, bakeMs: 5 * MINUTE },
        { weight: 50, bakeMs: 10 * MINUTE },
        { weight: 100, bakeMs: 0 },
      ],
      (world) => world.aliasPlatform(),
      {
        current: { lambda: 'GetAlias' },
        prepare: { lambda: 'PublishVersion' },
        shift: { lambda: 'UpdateAlias' },
        start: undefined,
        promote: { lambda: 'UpdateAlias' },
        rollback: { lambda: 'UpdateAlias' },
      },
    ),
  );
});

describe('LambdaCodeDeployPlatform (lambda-codedeploy) over fake Lambda and CodeDeploy', () => {
  platformContract(
    lambdaSetup(
      'lambda-codedeploy',
      [25, 50, 75].map((weight) => ({ weight, bakeMs: 3 * MINUTE })).concat({ weight: 100, bakeMs: 0 }),
      (world) => world.codeDeployPlatform(LINEAR),
      {
        current: { lambda: 'GetAlias' },
        prepare: { lambda: 'PublishVersion' },
        shift: undefined,
        start: { codeDeploy: 'CreateDeployment' },
        // Promoting is CodeDeploy's own end; the adapter only reads the alias to confirm it.
        promote: { lambda: 'GetAlias' },
        rollback: { codeDeploy: 'StopDeployment' },
      },
    ),
  );
});
