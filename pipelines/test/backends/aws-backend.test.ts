import { readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { openAwsBackend } from '../../src/backends/aws-backend';
import { AppRunnerPlatform } from '../../src/platforms/apprunner/apprunner-platform';
import { EcsCodeDeployPlatform } from '../../src/platforms/ecs/ecs-codedeploy-platform';
import { EcsNativePlatform } from '../../src/platforms/ecs/ecs-native-platform';
import { EksPlatform } from '../../src/platforms/eks/eks-platform';
import { LambdaAliasPlatform } from '../../src/platforms/lambda/lambda-alias-platform';
import { LambdaCodeDeployPlatform } from '../../src/platforms/lambda/lambda-codedeploy-platform';
import { environmentOf, loadPolicyFile } from '../../src/policy/load-policy';
import type { PolicyEnvironment } from '../../src/policy/target-checks';
import { SpanTraces } from '../../src/signals/span-traces';
import { XRayTraces } from '../../src/signals/xray-traces';
import type { ReleaseMethodId } from '../../src/targets/capabilities';
import { loadManifestFile } from '../../src/targets/load-manifest';
import { expectValidRequests, modelled } from '../aws/validated-mock';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MANIFEST = join(ROOT, 'infra/aws/release-manifest.json');
const POLICIES = join(ROOT, 'pipelines/policies');

const ADAPTER: Record<ReleaseMethodId, abstract new (...args: never[]) => unknown> = {
  'lambda-alias': LambdaAliasPlatform,
  'lambda-codedeploy': LambdaCodeDeployPlatform,
  'ecs-native': EcsNativePlatform,
  'ecs-codedeploy': EcsCodeDeployPlatform,
  'eks-ingress': EksPlatform,
  apprunner: AppRunnerPlatform,
};

async function environment(policy: string, env: string): Promise<PolicyEnvironment> {
  const loaded = await loadPolicyFile(join(POLICIES, `${policy}.yml`), await loadManifestFile(MANIFEST));
  return environmentOf(loaded, env);
}

async function ledgerFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'tollgate-aws-backend-')), 'ledger.jsonl');
}

const methodsBuilt = new Set<string>();
const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

describe('the aws backend', () => {
  const policies = readdirSync(POLICIES)
    .filter((file) => file.endsWith('.yml'))
    .map((file) => file.replace(/\.yml$/, ''));

  it.each(policies)(
    'builds the adapter of the release method each environment of %s binds to',
    async (policy) => {
      for (const env of ['staging', 'production']) {
        const bound = await environment(policy, env);
        const session = await openAwsBackend(
          { workload: policy, environment: bound, version: '2.0.0' },
          { ledgerFile: await ledgerFile(), env: {} },
        );
        expect(session.platform).toBeInstanceOf(ADAPTER[bound.capabilities.method]);
        methodsBuilt.add(bound.capabilities.method);
        expect(session.platform.capabilities).toBe(bound.capabilities);
        expect(session).toMatchObject({ name: 'aws', simulated: false });
        expect(session.description).toBe(
          `AWS ${bound.target.region}, ${bound.capabilities.method}, traces from X-Ray`,
        );
        expect(session.signals.traces).toBeInstanceOf(XRayTraces);
      }
    },
  );

  it('SecureCart releases by every method the backend builds', () => {
    expect([...methodsBuilt].sort()).toEqual(Object.keys(ADAPTER).sort());
  });

  it("reads the target's own function in the target's Region, or at AWS_ENDPOINT_URL", async () => {
    const bound = await environment('order-processing', 'production');
    const fn = 'securecart-production-order-processing';
    lambda.on(GetAliasCommand).resolves(
      modelled('@aws-sdk/client-lambda', 'GetAlias', {
        AliasArn: `arn:aws:lambda:eu-west-1:222222222222:function:${fn}:live`,
        Name: 'live',
        FunctionVersion: '7',
        RevisionId: 'r1',
      }),
    );
    lambda.on(GetFunctionConfigurationCommand).resolves(
      modelled('@aws-sdk/client-lambda', 'GetFunctionConfiguration', {
        FunctionName: fn,
        Version: '7',
        Environment: { Variables: { RELEASE_VERSION: '1.4.0' } },
      }),
    );
    const session = await openAwsBackend(
      { workload: 'order-processing', environment: bound, version: '1.5.0' },
      { ledgerFile: await ledgerFile(), env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' } },
    );

    expect(await session.platform.current()).toEqual({
      stable: { version: '1.4.0', ref: '7' },
      canaryWeight: 0,
    });
    expect(lambda.call(0).args[0].input).toEqual({ FunctionName: fn, Name: 'live' });
    const client = lambda.call(0).thisValue as LambdaClient;
    expect(await client.config.region()).toBe('eu-west-1');
    expect((await client.config.endpoint?.())?.port).toBe(4566);
    expect(session.description).toBe(
      'the AWS-compatible endpoint http://127.0.0.1:4566, lambda-alias, traces from X-Ray',
    );
    expectValidRequests(lambda, '@aws-sdk/client-lambda');
  });

  it('reads Transaction Search spans where the manifest environment says so', async () => {
    const bound = await environment('checkout', 'production');
    const session = await openAwsBackend(
      { workload: 'checkout', environment: bound, version: '2.0.0' },
      { ledgerFile: await ledgerFile(), traceSource: 'spans', env: {} },
    );
    expect(session.signals.traces).toBeInstanceOf(SpanTraces);
    expect(session.description).toBe('AWS eu-west-1, ecs-codedeploy, traces from Transaction Search spans');
  });
});
