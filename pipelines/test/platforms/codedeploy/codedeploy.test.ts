import {
  CodeDeployClient,
  CreateDeploymentConfigCommand,
  DeploymentConfigDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { appSpecRevision, lambdaAppSpec } from '../../../src/platforms/codedeploy/appspec';
import { deploymentConfigFor } from '../../../src/platforms/codedeploy/deployment-config';
import { CodeDeployDeployments } from '../../../src/platforms/codedeploy/deployments';
import { deploymentStatus } from '../../../src/platforms/codedeploy/progress';
import { expectValidRequests, modelled, sentRequests } from '../../aws/validated-mock';

const SDK = '@aws-sdk/client-codedeploy';
const MINUTE = 60_000;
const codeDeploy = mockClient(CodeDeployClient);
afterEach(() => {
  expectValidRequests(codeDeploy, SDK);
  codeDeploy.reset();
});

describe('CodeDeploy deployment configurations', () => {
  const client = new CodeDeployClient({ region: 'eu-west-1', maxAttempts: 1 });

  it('uses a predefined configuration the policy names without asking CodeDeploy', async () => {
    const shape = { kind: 'canary', weight: 10, bakeMs: 5 * MINUTE } as const;
    expect(
      await deploymentConfigFor(client, 'Lambda', shape, 'CodeDeployDefault.LambdaCanary10Percent5Minutes'),
    ).toBe('CodeDeployDefault.LambdaCanary10Percent5Minutes');
    expect(sentRequests(codeDeploy)).toEqual([]);
  });

  it('creates a time-based configuration once for a shape no predefined one has, and reuses it', async () => {
    codeDeploy
      .on(GetDeploymentConfigCommand)
      .rejectsOnce(new DeploymentConfigDoesNotExistException({ message: 'not found', $metadata: {} }))
      .resolves(
        modelled(SDK, 'GetDeploymentConfig', { deploymentConfigInfo: { deploymentConfigName: 'x' } }),
      );
    codeDeploy
      .on(CreateDeploymentConfigCommand)
      .resolves(modelled(SDK, 'CreateDeploymentConfig', { deploymentConfigId: 'id-1' }));
    const shape = { kind: 'linear', weight: 20, bakeMs: 3 * MINUTE } as const;
    expect(await deploymentConfigFor(client, 'ECS', shape)).toBe('Tollgate.ECSLinear20PercentEvery3Minutes');
    expect(await deploymentConfigFor(client, 'ECS', shape)).toBe('Tollgate.ECSLinear20PercentEvery3Minutes');
    expect(sentRequests(codeDeploy)).toEqual([
      {
        operation: 'GetDeploymentConfig',
        input: { deploymentConfigName: 'Tollgate.ECSLinear20PercentEvery3Minutes' },
      },
      {
        operation: 'CreateDeploymentConfig',
        input: {
          deploymentConfigName: 'Tollgate.ECSLinear20PercentEvery3Minutes',
          computePlatform: 'ECS',
          trafficRoutingConfig: {
            type: 'TimeBasedLinear',
            timeBasedLinear: { linearPercentage: 20, linearInterval: 3 },
          },
        },
      },
      {
        operation: 'GetDeploymentConfig',
        input: { deploymentConfigName: 'Tollgate.ECSLinear20PercentEvery3Minutes' },
      },
    ]);
  });
});

describe('AppSpec revisions', () => {
  it('carry the content and its SHA-256', () => {
    const content = lambdaAppSpec({
      functionName: 'f',
      alias: 'live',
      currentVersion: '3',
      targetVersion: '4',
    });
    expect(JSON.parse(content)).toEqual({
      version: 0,
      Resources: [
        {
          f: {
            Type: 'AWS::Lambda::Function',
            Properties: { Name: 'f', Alias: 'live', CurrentVersion: '3', TargetVersion: '4' },
          },
        },
      ],
    });
    const revision = appSpecRevision('{"version":0.0}');
    expect(revision).toEqual({
      revisionType: 'AppSpecContent',
      // sha256sum of the same bytes
      appSpecContent: {
        content: '{"version":0.0}',
        sha256: '05be9fbb372a80b138ed189452851e763059b2dd1c6f7c44363211d0d7739171',
      },
    });
  });
});

describe('the port view of a CodeDeploy deployment', () => {
  const revision = { version: '2', ref: '7' };
  const canary = [
    { weight: 10, bakeMs: 5 * MINUTE },
    { weight: 100, bakeMs: 0 },
  ];

  it('is before the first step until CodeDeploy starts shifting, then follows the weight and the schedule', () => {
    const run = { id: 'd-1', status: 'InProgress' as const };
    expect(deploymentStatus(run, revision, canary, 0)).toEqual({
      id: 'd-1',
      revision,
      state: 'running',
      stepIndex: -1,
    });
    const shifting = { ...run, trafficStartedAt: 1_000 };
    expect(deploymentStatus(shifting, revision, canary, 10)).toEqual({
      id: 'd-1',
      revision,
      state: 'running',
      stepIndex: 0,
      nextShiftAt: 1_000 + 5 * MINUTE,
    });
  });

  it('has succeeded once all traffic moved (Succeeded, or Baking while the old revision is torn down)', () => {
    for (const status of ['Succeeded', 'Baking'] as const) {
      expect(deploymentStatus({ id: 'd-1', status, trafficStartedAt: 0 }, revision, canary, 0)).toEqual({
        id: 'd-1',
        revision,
        state: 'succeeded',
        stepIndex: 1,
      });
    }
  });

  it('says why a deployment stopped or failed', () => {
    const failed = {
      id: 'd-1',
      status: 'Failed' as const,
      trafficStartedAt: 0,
      error: 'ALARM_ACTIVE: an alarm fired',
    };
    expect(deploymentStatus(failed, revision, canary, 0)).toMatchObject({
      state: 'failed',
      reason: 'ALARM_ACTIVE: an alarm fired',
    });
  });
});

describe('finding the deployment an adapter reports', () => {
  const client = new CodeDeployClient({ region: 'eu-west-1', maxAttempts: 1 });
  const deployments = new CodeDeployDeployments(client, { application: 'app', deploymentGroup: 'group' });

  it("reads the group's last attempted deployment, for when none is running", async () => {
    codeDeploy.on(GetDeploymentGroupCommand).resolves(
      modelled(SDK, 'GetDeploymentGroup', {
        deploymentGroupInfo: {
          deploymentGroupName: 'group',
          lastAttemptedDeployment: { deploymentId: 'd-2', status: 'Stopped' },
        },
      }),
    );
    expect(await deployments.lastAttempted()).toBe('d-2');
    expect(sentRequests(codeDeploy)).toEqual([
      { operation: 'GetDeploymentGroup', input: { applicationName: 'app', deploymentGroupName: 'group' } },
    ]);
  });

  it('names the deployment a rollback CodeDeploy created undoes', async () => {
    codeDeploy.on(GetDeploymentCommand).resolves(
      modelled(SDK, 'GetDeployment', {
        deploymentInfo: {
          deploymentId: 'd-3',
          status: 'InProgress',
          creator: 'codeDeployRollback',
          rollbackInfo: { rollbackTriggeringDeploymentId: 'd-2' },
        },
      }),
    );
    codeDeploy
      .on(ListDeploymentTargetsCommand)
      .resolves(modelled(SDK, 'ListDeploymentTargets', { targetIds: [] }));
    expect(await deployments.read('d-3')).toEqual({ id: 'd-3', status: 'InProgress', rollbackOf: 'd-2' });
  });
});
