import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { apiModel } from '@tollgate/aws-api-model/api-model';
import { parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CodeDeployService,
  createCodeDeployService,
} from '../../../src/services/codedeploy/codedeploy-service';
import { provisionCodeDeploy } from '../../../src/services/codedeploy/provision-codedeploy';
import type { AwsServiceError, OperationContext } from '../../../src/services/service';
import { contextOf, fastClock } from '../ecs/local-edge';

const MANIFEST = parseReleaseManifest(
  JSON.parse(readFileSync(new URL('../../../../aws/release-manifest.json', import.meta.url), 'utf8')),
);
const MINUTE = 60_000;
const FUNCTION = 'securecart-staging-payments';
const GROUP = { applicationName: FUNCTION, deploymentGroupName: FUNCTION };
const model = apiModel('@aws-sdk/client-codedeploy');

/** The Lambda service at CodeDeploy's edge: an alias whose routing changes are recorded on cloud time. */
function lambdaDouble() {
  const alias = { version: '1', weights: {} as Record<string, number> };
  const history: { at: number; version: string; weights: Record<string, number> }[] = [];
  const operations = {
    GetAlias: () => ({
      Name: 'live',
      FunctionVersion: alias.version,
      RoutingConfig: { AdditionalVersionWeights: alias.weights },
    }),
    UpdateAlias: (
      input: { FunctionVersion: string; RoutingConfig: { AdditionalVersionWeights: Record<string, number> } },
      context: OperationContext,
    ) => {
      alias.version = input.FunctionVersion;
      alias.weights = { ...input.RoutingConfig.AdditionalVersionWeights };
      history.push({ at: context.clock.now(), version: alias.version, weights: alias.weights });
      return { Name: 'live', FunctionVersion: alias.version };
    },
  };
  return { alias, history, operations };
}

const open: CodeDeployService[] = [];
afterEach(async () => {
  for (const service of open.splice(0)) await service.close();
});

function world(alarmState?: (names: readonly string[]) => Promise<Record<string, string>>) {
  const clock = fastClock();
  const lambda = lambdaDouble();
  const options = { clock, lambda: lambda.operations };
  const codeDeploy = createCodeDeployService(alarmState ? { ...options, alarmState } : options);
  open.push(codeDeploy);
  provisionCodeDeploy(codeDeploy, MANIFEST);
  const context = contextOf(clock);
  const call = async (operation: string, input: Record<string, unknown>) => {
    expect(model.inputProblems(operation, input)).toEqual([]);
    const handler = codeDeploy.definition.operations[operation];
    if (!handler) throw new Error(`no ${operation}`);
    const output = await handler(input, context);
    expect(model.outputProblems(operation, output)).toEqual([]);
    return output as Record<string, unknown>;
  };
  return { clock, lambda, codeDeploy, call };
}

function appSpec(current: string, target: string) {
  const content = JSON.stringify({
    version: 0.0,
    Resources: [
      {
        payments: {
          Type: 'AWS::Lambda::Function',
          Properties: { Name: FUNCTION, Alias: 'live', CurrentVersion: current, TargetVersion: target },
        },
      },
    ],
  });
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { revisionType: 'AppSpecContent', appSpecContent: { content, sha256 } };
}

async function statusOf(call: ReturnType<typeof world>['call'], deploymentId: unknown): Promise<string> {
  const { deploymentInfo } = await call('GetDeployment', { deploymentId });
  return (deploymentInfo as { status: string }).status;
}

describe('CodeDeploy shifting a Lambda alias on cloud time', () => {
  it('LambdaCanary10Percent5Minutes: 10% to the target version for 5 cloud minutes, then all of it', async () => {
    const { clock, lambda, call, codeDeploy } = world();
    const createdAt = clock.now();
    const { deploymentId } = await call('CreateDeployment', {
      ...GROUP,
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      revision: appSpec('1', '2'),
    });
    await codeDeploy.settled();
    expect(lambda.history.map(({ version, weights }) => ({ version, weights }))).toEqual([
      { version: '1', weights: { '2': 0.1 } },
      { version: '2', weights: {} },
    ]);
    const [canary, all] = lambda.history;
    expect((canary?.at ?? 0) - createdAt).toBeLessThan(30_000);
    expect(Math.abs((all?.at ?? 0) - (canary?.at ?? 0) - 5 * MINUTE)).toBeLessThan(15_000);
    expect(await statusOf(call, deploymentId)).toBe('Succeeded');
    const { targetIds } = await call('ListDeploymentTargets', { deploymentId });
    expect(targetIds).toEqual([`${FUNCTION}:live`]);
    const { deploymentTarget } = await call('GetDeploymentTarget', {
      deploymentId,
      targetId: `${FUNCTION}:live`,
    });
    const events = (
      deploymentTarget as {
        lambdaTarget: { lifecycleEvents: { lifecycleEventName: string; status: string }[] };
      }
    ).lambdaTarget.lifecycleEvents;
    expect(events.map((e) => [e.lifecycleEventName, e.status])).toEqual([
      ['BeforeAllowTraffic', 'Succeeded'],
      ['AllowTraffic', 'Succeeded'],
      ['AfterAllowTraffic', 'Succeeded'],
    ]);
  });

  it('StopDeployment with rollback: Stopped, and a rollback deployment puts the alias back', async () => {
    const { clock, lambda, call, codeDeploy } = world();
    const { deploymentId } = await call('CreateDeployment', { ...GROUP, revision: appSpec('1', '2') });
    while (lambda.history.length === 0) await clock.sleep(1_000);
    expect(lambda.alias).toEqual({ version: '1', weights: { '2': 0.1 } });
    expect(await call('StopDeployment', { deploymentId, autoRollbackEnabled: true })).toEqual({
      status: 'Pending',
      statusMessage: 'Stopping Pending. Stopping to deploy a new revision',
    });
    await codeDeploy.settled();
    expect(lambda.alias).toEqual({ version: '1', weights: {} });
    const { deploymentInfo: stopped } = await call('GetDeployment', { deploymentId });
    const info = stopped as {
      status: string;
      errorInformation: { code: string };
      rollbackInfo: { rollbackDeploymentId: string };
    };
    expect([info.status, info.errorInformation.code]).toEqual(['Stopped', 'MANUAL_STOP']);
    const { deploymentInfo: rollback } = await call('GetDeployment', {
      deploymentId: info.rollbackInfo.rollbackDeploymentId,
    });
    expect(rollback).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: deploymentId },
    });
    const { deploymentGroupInfo } = await call('GetDeploymentGroup', GROUP);
    expect(deploymentGroupInfo).toMatchObject({
      lastAttemptedDeployment: { deploymentId: info.rollbackInfo.rollbackDeploymentId },
    });
    const { deployments } = await call('ListDeployments', { ...GROUP, includeOnlyStatuses: ['Stopped'] });
    expect(deployments).toEqual([deploymentId]);
  });

  it('a group alarm in ALARM stops the deployment and rolls it back', async () => {
    let firing = false;
    const { clock, lambda, call, codeDeploy } = world(async (names) =>
      Object.fromEntries(names.map((name) => [name, firing && name.endsWith('-errors') ? 'ALARM' : 'OK'])),
    );
    const { deploymentId } = await call('CreateDeployment', { ...GROUP, revision: appSpec('1', '2') });
    while (lambda.history.length === 0) await clock.sleep(1_000);
    firing = true;
    await codeDeploy.settled();
    const { deploymentInfo } = await call('GetDeployment', { deploymentId });
    const info = deploymentInfo as { status: string; errorInformation: { code: string; message: string } };
    expect(info.status).toBe('Stopped');
    expect(info.errorInformation.code).toBe('ALARM_ACTIVE');
    expect(info.errorInformation.message).toContain('securecart-staging-payments-errors');
    expect(lambda.alias).toEqual({ version: '1', weights: {} });
  });
});

describe('CodeDeploy answers as AWS does', () => {
  it('names its errors as the SDK declares them', async () => {
    const { call } = world();
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'no error',
        (error: AwsServiceError) => error.code,
      );
    expect(await code(call('GetDeployment', { deploymentId: 'd-ABCDEFGHI' }))).toBe(
      'DeploymentDoesNotExistException',
    );
    expect(await code(call('GetDeployment', { deploymentId: 'nonsense' }))).toBe(
      'InvalidDeploymentIdException',
    );
    expect(
      await code(call('GetDeploymentGroup', { applicationName: FUNCTION, deploymentGroupName: 'x' })),
    ).toBe('DeploymentGroupDoesNotExistException');
    expect(await code(call('GetDeploymentGroup', { applicationName: 'x', deploymentGroupName: 'x' }))).toBe(
      'ApplicationDoesNotExistException',
    );
    expect(await code(call('GetDeploymentConfig', { deploymentConfigName: 'Tollgate.Nope' }))).toBe(
      'DeploymentConfigDoesNotExistException',
    );
    expect(
      await code(
        call('CreateDeployment', {
          ...GROUP,
          revision: { ...appSpec('1', '2'), appSpecContent: { content: '{}', sha256: '0' } },
        }),
      ),
    ).toBe('InvalidRevisionException');
    const { deploymentId } = await call('CreateDeployment', { ...GROUP, revision: appSpec('1', '2') });
    expect(await code(call('CreateDeployment', { ...GROUP, revision: appSpec('1', '3') }))).toBe(
      'DeploymentLimitExceededException',
    );
    await call('StopDeployment', { deploymentId, autoRollbackEnabled: false });
    expect(await code(call('GetDeploymentTarget', { deploymentId, targetId: 'other:live' }))).toBe(
      'DeploymentTargetDoesNotExistException',
    );
  });

  it('serves the predefined configurations with their routing, and creates custom ones once', async () => {
    const { call } = world();
    const routing = async (name: string) =>
      (
        (await call('GetDeploymentConfig', { deploymentConfigName: name })).deploymentConfigInfo as {
          trafficRoutingConfig: unknown;
        }
      ).trafficRoutingConfig;
    expect(await routing('CodeDeployDefault.LambdaCanary10Percent5Minutes')).toEqual({
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
    });
    expect(await routing('CodeDeployDefault.ECSLinear10PercentEvery3Minutes')).toEqual({
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 10, linearInterval: 3 },
    });
    expect(await routing('CodeDeployDefault.LambdaAllAtOnce')).toEqual({ type: 'AllAtOnce' });
    const custom = {
      deploymentConfigName: 'Tollgate.LambdaCanary20Percent7Minutes',
      computePlatform: 'Lambda',
      trafficRoutingConfig: {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: 20, canaryInterval: 7 },
      },
    };
    await call('CreateDeploymentConfig', custom);
    expect(await routing(custom.deploymentConfigName)).toEqual(custom.trafficRoutingConfig);
    await expect(call('CreateDeploymentConfig', custom)).rejects.toMatchObject({
      code: 'DeploymentConfigAlreadyExistsException',
    });
  });
});
