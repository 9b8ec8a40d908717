import { GetAliasCommand, GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { expect } from 'vitest';
import type { TargetRef } from '../../src/provisioning/target-selection';
import { type ReleaseWorld, tracedReleases } from './release-world';

/** The `live` alias as Lambda answers it, with the release each version it routes to carries. */
export async function aliasRoutes(lambda: LambdaClient, functionName: string) {
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }));
  const weights = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
  const routed = [alias.FunctionVersion ?? '', ...Object.keys(weights)];
  const releases = await Promise.all(routed.map((version) => releaseOf(lambda, functionName, version)));
  return { version: alias.FunctionVersion, weights, releases };
}

async function releaseOf(lambda: LambdaClient, functionName: string, version: string) {
  const config = await lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }),
  );
  return config.Environment?.Variables?.RELEASE_VERSION;
}

/** The alias routes to `release` alone, and the requests since the release ended ran on it alone. */
export async function expectOnlyRelease(
  world: ReleaseWorld,
  lambda: LambdaClient,
  target: TargetRef,
  release: string,
): Promise<void> {
  const since = world.cloud.clock.now();
  const where = world.cloud.manifest.workloads[target.workload]?.environments[target.environment];
  if (where?.platform !== 'lambda') throw new Error(`${target.workload} is not a Lambda here`);
  const routes = await aliasRoutes(lambda, where.functionName);
  expect(routes.weights).toEqual({});
  expect(routes.releases).toEqual([release]);
  expect(Object.keys(await tracedReleases(world, target, since))).toEqual([release]);
}
