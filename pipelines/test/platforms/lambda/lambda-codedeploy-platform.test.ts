import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { planSteps } from '../../../src/plan/plan';
import type { Strategy } from '../../../src/plan/shape';
import { UnknownWorkloadError } from '../../../src/platforms/port';
import { accessDenied, SentOperations, throttledCodeDeploy } from './faults';
import { LambdaWorld, type WorldOptions } from './world';

const MINUTE = 60_000;
const FN = 'securecart-production-checkout';
const GROUP = { applicationName: FN, deploymentGroupName: 'securecart-production-checkout-live' };
const CANARY: Strategy = {
  shape: { kind: 'canary', weight: 10, bakeMs: 5 * MINUTE },
  codeDeployConfig: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
};
const STEPS = planSteps(CANARY.shape);
const V1 = { version: '1.0.0', ref: '1' };
const V2 = { version: '2.0.0', ref: '2' };
const ARTIFACT = { kind: 's3', bucket: 'shop-artifacts', key: 'checkout/2.0.0.zip' } as const;

const sent = new SentOperations();
let world: LambdaWorld;
afterEach(() => {
  world.expectValidRequests();
  sent.record(world);
});

async function staged(strategy = CANARY, options: WorldOptions = {}, rollbackWaitMs?: number) {
  world = new LambdaWorld(options);
  const platform = world.codeDeployPlatform(strategy, rollbackWaitMs);
  await platform.prepare({ version: '2.0.0', source: ARTIFACT });
  world.resetHistory();
  return platform;
}

const requests = (operation: string) =>
  world
    .sent()
    .filter((request) => request.operation === operation)
    .map((request) => request.input);

describe('lambda-codedeploy: CodeDeploy shifts the alias on its own schedule', () => {
  it('starts a deployment with the AppSpec (content and SHA-256) moving the alias from the stable version to the new one', async () => {
    const platform = await staged();
    const startedAt = world.clock.now();
    const status = await platform.start(V2, STEPS);

    const content = JSON.stringify({
      version: 0.0,
      Resources: [
        {
          [FN]: {
            Type: 'AWS::Lambda::Function',
            Properties: { Name: FN, Alias: 'live', CurrentVersion: '1', TargetVersion: '2' },
          },
        },
      ],
    });
    expect(requests('CreateDeployment')).toEqual([
      {
        ...GROUP,
        deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        description: 'Tollgate release 2.0.0',
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
        },
      },
    ]);
    expect(world.operations()).toEqual([
      'lambda:GetAlias',
      'lambda:GetFunctionConfiguration',
      'codedeploy:ListDeployments',
      'codedeploy:GetDeploymentGroup',
      'codedeploy:CreateDeployment',
      'codedeploy:GetDeployment',
      'codedeploy:ListDeploymentTargets',
      'codedeploy:GetDeploymentTarget',
      'lambda:GetAlias',
    ]);
    expect(status).toEqual({
      id: 'd-FAKE00001',
      revision: V2,
      state: 'running',
      stepIndex: 0,
      nextShiftAt: startedAt + 5 * MINUTE,
    });
  });

  it('uses the predefined configuration with the policy shape when the policy names none', async () => {
    const platform = await staged({ shape: CANARY.shape });
    await platform.start(V2, STEPS);
    expect(requests('CreateDeployment')).toMatchObject([
      { deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' },
    ]);
    expect(requests('GetDeploymentConfig')).toEqual([]);
  });

  it('creates a time-based configuration once for a shape no predefined one has, and reuses it', async () => {
    const linear: Strategy = { shape: { kind: 'linear', weight: 25, bakeMs: 3 * MINUTE } };
    const platform = await staged(linear);
    await platform.start(V2, planSteps(linear.shape));
    world.clock.advance(12 * MINUTE);
    await platform.prepare({ version: '3.0.0', source: { ...ARTIFACT, key: 'checkout/3.0.0.zip' } });
    await platform.start({ version: '3.0.0', ref: '3' }, planSteps(linear.shape));

    const name = 'Tollgate.LambdaLinear25PercentEvery3Minutes';
    expect(requests('GetDeploymentConfig')).toEqual([
      { deploymentConfigName: name },
      { deploymentConfigName: name },
    ]);
    expect(requests('CreateDeploymentConfig')).toEqual([
      {
        deploymentConfigName: name,
        computePlatform: 'Lambda',
        trafficRoutingConfig: {
          type: 'TimeBasedLinear',
          timeBasedLinear: { linearPercentage: 25, linearInterval: 3 },
        },
      },
    ]);
    expect(
      requests('CreateDeployment').map(
        (input) => (input as { deploymentConfigName: string }).deploymentConfigName,
      ),
    ).toEqual([name, name]);
  });

  it('reports the step from the alias while baking: before AllowTraffic, at the canary, then done', async () => {
    const platform = await staged(CANARY, { trafficDelayMs: 30_000 });
    const startedAt = world.clock.now();
    const status = await platform.start(V2, STEPS);
    expect(status).toEqual({ id: status.id, revision: V2, state: 'running', stepIndex: -1 });
    expect(await platform.current()).toEqual({ stable: V1, canaryWeight: 0, deployment: status });

    world.clock.advance(30_000);
    world.resetHistory();
    expect(await platform.current()).toEqual({
      stable: V1,
      canary: V2,
      canaryWeight: 10,
      deployment: { ...status, stepIndex: 0, nextShiftAt: startedAt + 30_000 + 5 * MINUTE },
    });
    // One poll while it runs: the alias, and the deployment with its target.
    expect(world.sent().map(({ operation, input }) => ({ operation, input }))).toEqual([
      { operation: 'GetAlias', input: { FunctionName: FN, Name: 'live' } },
      {
        operation: 'ListDeployments',
        input: { ...GROUP, includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] },
      },
      { operation: 'GetDeployment', input: { deploymentId: status.id } },
      { operation: 'ListDeploymentTargets', input: { deploymentId: status.id } },
      { operation: 'GetDeploymentTarget', input: { deploymentId: status.id, targetId: `${FN}:live` } },
    ]);

    world.clock.advance(5 * MINUTE);
    expect(await platform.current()).toEqual({
      stable: V2,
      canaryWeight: 0,
      deployment: { id: status.id, revision: V2, state: 'succeeded', stepIndex: 1 },
    });
  });

  it('cannot be held: its capabilities say so, and the engine decides each step 15 s before CodeDeploy shifts', async () => {
    const platform = await staged();
    expect(platform.capabilities).toMatchObject({
      holdMs: 0,
      decisionLeadMs: 15_000,
      rollback: 'stop-deployment',
    });
  });

  it('confirms the promotion CodeDeploy made, and refuses to promote while CodeDeploy is still shifting', async () => {
    const platform = await staged();
    const { id } = await platform.start(V2, STEPS);
    await expect(platform.promote(V2)).rejects.toThrow(
      `cannot promote 2.0.0 on checkout: CodeDeploy deployment ${id} is still shifting traffic; it makes 2.0.0 stable when its schedule ends`,
    );
    world.clock.advance(5 * MINUTE);
    world.resetHistory();
    await platform.promote(V2);
    expect(world.operations()).toEqual(['lambda:GetAlias']);
  });

  it('rolls back by stopping the deployment with rollback and waiting for CodeDeploy to put the alias back', async () => {
    const platform = await staged();
    const { id } = await platform.start(V2, STEPS);
    world.clock.advance(MINUTE);
    world.resetHistory();
    await platform.rollback(V1);

    expect(requests('StopDeployment')).toEqual([{ deploymentId: id, autoRollbackEnabled: true }]);
    expect(requests('UpdateAlias')).toEqual([]);
    expect(world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
    const after = await platform.current();
    expect(after).toEqual({
      stable: V1,
      canaryWeight: 0,
      deployment: {
        id,
        revision: V2,
        state: 'stopped',
        stepIndex: 0,
        reason: 'MANUAL_STOP: The deployment was stopped by a user',
      },
    });
    world.resetHistory();
    await platform.rollback(V1);
    expect(requests('StopDeployment')).toEqual([]);
    expect(await platform.current()).toEqual(after);
  });

  it('puts the alias back itself when CodeDeploy has not within the rollback wait', async () => {
    const platform = await staged(CANARY, { rollbackMs: 10 * MINUTE }, 20_000);
    await platform.start(V2, STEPS);
    world.resetHistory();
    await platform.rollback();

    expect(requests('UpdateAlias')).toEqual([
      {
        FunctionName: FN,
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: {} },
      },
    ]);
    expect(world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });

  it('resumes after a crash: a new adapter finds the running deployment and starting again returns it', async () => {
    const crashed = await staged();
    const status = await crashed.start(V2, STEPS);
    world.clock.advance(MINUTE);
    world.resetHistory();

    const successor = world.codeDeployPlatform(CANARY);
    expect((await successor.current()).deployment).toEqual(status);
    expect(await successor.start(V2, STEPS)).toEqual(status);
    expect(requests('CreateDeployment')).toEqual([]);
  });

  it('reports a deployment that failed by itself with CodeDeploy’s reason; rolling back then stops nothing', async () => {
    const platform = await staged();
    world.codeDeploy.failNextDeployment({
      shiftIndex: 1,
      code: 'HOOK_EXECUTION_FAILURE',
      message: 'The AfterAllowTraffic hook securecart-smoke-test returned Failed',
    });
    const { id } = await platform.start(V2, STEPS);
    world.clock.advance(5 * MINUTE);

    const { deployment } = await platform.current();
    expect(deployment).toEqual({
      id,
      revision: V2,
      state: 'failed',
      stepIndex: 0,
      reason: 'HOOK_EXECUTION_FAILURE: The AfterAllowTraffic hook securecart-smoke-test returned Failed',
    });
    world.resetHistory();
    await platform.rollback(V1);
    expect(requests('StopDeployment')).toEqual([]);
    expect(world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });

  it('refuses to start while another deployment runs or the alias is split, and with steps CodeDeploy would not run', async () => {
    const platform = await staged();
    await platform.start(V2, STEPS);
    await platform.prepare({ version: '3.0.0', source: { ...ARTIFACT, key: 'checkout/3.0.0.zip' } });
    const V3 = { version: '3.0.0', ref: '3' };
    await expect(platform.start(V3, STEPS)).rejects.toThrow(
      'cannot start a CodeDeploy deployment of 3.0.0 on checkout: deployment d-FAKE00001 (of 2.0.0) is in progress',
    );
    await platform.rollback();
    world.lambda.setAlias(world.clock.now(), '1', { '2': 0.2 });
    await expect(platform.start(V3, STEPS)).rejects.toThrow(
      `cannot start a CodeDeploy deployment of 3.0.0 on checkout: alias live of ${FN} routes 20% to version 2 (2.0.0); roll that back first`,
    );
    world.resetHistory();
    const other = [
      { weight: 20, bakeMs: 5 * MINUTE },
      { weight: 100, bakeMs: 0 },
    ];
    await expect(platform.start(V3, other)).rejects.toThrow(
      'cannot start checkout through CodeDeploy with these steps: its configuration runs canary 10% for 5m, then 100%',
    );
    expect(world.sent()).toEqual([]);
  });

  it('says what failed when CodeDeploy throttles or the role may not create deployments', async () => {
    const platform = await staged();
    world.codeDeploy.failNext('ListDeployments', throttledCodeDeploy());
    await expect(platform.current()).rejects.toMatchObject({
      kind: 'throttled',
      message: `could not list the deployments of ${GROUP.deploymentGroupName}: ThrottlingException: Rate exceeded`,
    });

    const arn = `arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:${FN}/${GROUP.deploymentGroupName}`;
    world.codeDeploy.failNext('CreateDeployment', accessDenied('codedeploy:CreateDeployment', arn));
    const denied = await platform.start(V2, STEPS).catch((error: unknown) => error);
    expect(denied).toMatchObject({ kind: 'access-denied' });
    expect((denied as Error).message).toContain(
      `could not start a CodeDeploy deployment of ${GROUP.deploymentGroupName}: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/shop-production-deploy/tollgate is not authorized to perform: codedeploy:CreateDeployment`,
    );
    expect(world.codeDeploy.deployments).toEqual([]);
  });

  it('a missing deployment group is an unknown workload', async () => {
    world = new LambdaWorld({ missingGroup: true });
    const error = await world
      .codeDeployPlatform(CANARY)
      .current()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnknownWorkloadError);
    expect((error as Error).message).toBe(
      `workload "checkout" not found on CodeDeploy (application ${FN}, deployment group ${GROUP.deploymentGroupName} in eu-west-1)`,
    );
  });

  it('sends only operations that PERMISSIONS lists', () => {
    sent.expectAllListed();
  });
});
