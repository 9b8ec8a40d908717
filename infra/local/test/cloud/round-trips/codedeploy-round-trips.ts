import { createHash } from 'node:crypto';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  type CreateDeploymentInput,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  RegisterApplicationRevisionCommand,
  type RevisionLocation,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaTarget } from '@tollgate/pipelines/targets/manifest';
import { expect } from 'vitest';
import { publishRelease } from './lambda-round-trips';
import { expectCloudDate, type RoundTripWorld, rejection, until } from './round-trip-cloud';

const CUSTOM_CONFIG = 'securecart-canary-20-percent-1-minute';

/** payments' deployment group: a canary that succeeds, one stopped with a rollback, and a rejected request. */
export async function codeDeployRoundTrips(world: RoundTripWorld): Promise<void> {
  const target = world.target<LambdaTarget>('payments');
  const codeDeploy = new CodeDeployClient(world.config);
  const lambda = new LambdaClient(world.config);
  const { application: applicationName, deploymentGroup: deploymentGroupName } = target.codeDeploy ?? {};
  const group = { applicationName, deploymentGroupName };

  const { deploymentGroupInfo } = await codeDeploy.send(new GetDeploymentGroupCommand(group));
  expect(deploymentGroupInfo).toMatchObject({
    ...group,
    deploymentConfigName: target.codeDeploy?.deploymentConfig,
    computePlatform: 'Lambda',
    serviceRoleArn: `arn:aws:iam::${target.account}:role/${deploymentGroupName}-codedeploy`,
    alarmConfiguration: { enabled: true, alarms: target.alarms.map((name) => ({ name })) },
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
  });
  const predefined = await codeDeploy.send(
    new GetDeploymentConfigCommand({ deploymentConfigName: target.codeDeploy?.deploymentConfig }),
  );
  expect(predefined.deploymentConfigInfo).toMatchObject({
    computePlatform: 'Lambda',
    trafficRoutingConfig: {
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: 10 },
    },
  });
  await createCustomConfig(world, codeDeploy);

  const version = (await publishRelease(world, lambda, target.functionName, '1.2.0')).Version ?? '';
  const forward = appSpec(target, '1', version);
  expect(
    await codeDeploy.send(new RegisterApplicationRevisionCommand({ applicationName, revision: forward })),
  ).toMatchObject({ $metadata: { httpStatusCode: 200 } });
  const deploymentId = await deploy(world, codeDeploy, {
    ...group,
    deploymentConfigName: CUSTOM_CONFIG,
    revision: forward,
  });
  const targetId = `${target.functionName}:${target.alias}`;
  expect((await codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId }))).targetIds).toEqual([
    targetId,
  ]);
  const done = await untilStatus(world, codeDeploy, deploymentId, 'Succeeded');
  expectCloudDate(world, done.completeTime);
  const { deploymentTarget } = await codeDeploy.send(
    new GetDeploymentTargetCommand({ deploymentId, targetId }),
  );
  expect(deploymentTarget).toMatchObject({
    deploymentTargetType: 'LambdaTarget',
    lambdaTarget: { deploymentId, targetId, status: 'Succeeded' },
  });
  expect(
    deploymentTarget?.lambdaTarget?.lifecycleEvents?.map((e) => [e.lifecycleEventName, e.status]),
  ).toEqual([
    ['BeforeAllowTraffic', 'Succeeded'],
    ['AllowTraffic', 'Succeeded'],
    ['AfterAllowTraffic', 'Succeeded'],
  ]);
  const alias = () =>
    lambda.send(new GetAliasCommand({ FunctionName: target.functionName, Name: target.alias }));
  expect(await alias()).toMatchObject({ FunctionVersion: version });

  const back = await deploy(world, codeDeploy, { ...group, revision: appSpec(target, version, '1') });
  expect(
    await codeDeploy.send(new StopDeploymentCommand({ deploymentId: back, autoRollbackEnabled: true })),
  ).toMatchObject({
    status: 'Pending',
  });
  const stopped = await untilStatus(world, codeDeploy, back, 'Stopped');
  const rollbackId = stopped.rollbackInfo?.rollbackDeploymentId ?? '';
  expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);
  await untilStatus(world, codeDeploy, rollbackId, 'Succeeded');
  const restored = await alias();
  expect(restored.FunctionVersion).toBe(version);
  expect(restored.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});

  const refused = await rejection(
    codeDeploy.send(new CreateDeploymentCommand({ deploymentGroupName } as CreateDeploymentInput)),
  );
  expect(refused).toMatchObject({ name: 'ApplicationNameRequiredException', status: 400 });
  expect(refused.message).toContain('applicationName');
}

async function createCustomConfig(world: RoundTripWorld, codeDeploy: CodeDeployClient) {
  const trafficRoutingConfig = {
    type: 'TimeBasedCanary' as const,
    timeBasedCanary: { canaryPercentage: 20, canaryInterval: 1 },
  };
  const created = await codeDeploy.send(
    new CreateDeploymentConfigCommand({
      deploymentConfigName: CUSTOM_CONFIG,
      computePlatform: 'Lambda',
      trafficRoutingConfig,
    }),
  );
  expect(created.deploymentConfigId).toMatch(/\S/);
  const { deploymentConfigInfo } = await codeDeploy.send(
    new GetDeploymentConfigCommand({ deploymentConfigName: CUSTOM_CONFIG }),
  );
  expect(deploymentConfigInfo).toMatchObject({
    deploymentConfigId: created.deploymentConfigId,
    deploymentConfigName: CUSTOM_CONFIG,
    computePlatform: 'Lambda',
    trafficRoutingConfig,
  });
  expectCloudDate(world, deploymentConfigInfo?.createTime);
}

/** CreateDeployment, then the deployment as GetDeployment and ListDeployments show it. */
async function deploy(world: RoundTripWorld, codeDeploy: CodeDeployClient, input: CreateDeploymentInput) {
  const { deploymentId } = await codeDeploy.send(new CreateDeploymentCommand(input));
  expect(deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
  const { deploymentInfo } = await codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
  expect(deploymentInfo).toMatchObject({
    deploymentId,
    applicationName: input.applicationName,
    deploymentGroupName: input.deploymentGroupName,
    computePlatform: 'Lambda',
    creator: 'user',
    revision: input.revision,
  });
  expect(deploymentInfo?.deploymentConfigName).toBe(
    input.deploymentConfigName ?? 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
  );
  expectCloudDate(world, deploymentInfo?.createTime);
  const listed = await codeDeploy.send(
    new ListDeploymentsCommand({
      applicationName: input.applicationName,
      deploymentGroupName: input.deploymentGroupName,
    }),
  );
  expect(listed.deployments).toContain(deploymentId);
  return deploymentId ?? '';
}

async function untilStatus(
  world: RoundTripWorld,
  codeDeploy: CodeDeployClient,
  deploymentId: string,
  status: string,
) {
  const { deploymentInfo } = await until(
    world,
    `deployment ${deploymentId} reaching ${status}`,
    () => codeDeploy.send(new GetDeploymentCommand({ deploymentId })),
    (read) => read.deploymentInfo?.status === status,
  );
  return deploymentInfo ?? {};
}

/** The AppSpec a Lambda release hands CodeDeploy: the alias from one version to another. */
function appSpec(target: LambdaTarget, current: string, next: string): RevisionLocation {
  const content = JSON.stringify({
    version: 0.0,
    Resources: [
      {
        payments: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Name: target.functionName,
            Alias: target.alias,
            CurrentVersion: current,
            TargetVersion: next,
          },
        },
      },
    ],
  });
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { revisionType: 'AppSpecContent', appSpecContent: { content, sha256 } };
}
