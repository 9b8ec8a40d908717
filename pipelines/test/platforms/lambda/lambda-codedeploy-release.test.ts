import { describe, expect, it, vi } from 'vitest';
import { PERMISSIONS as CODEDEPLOY_PERMISSIONS } from '../../../src/platforms/codedeploy/permissions';
import { PERMISSIONS as LAMBDA_PERMISSIONS } from '../../../src/platforms/lambda/permissions';
import { dyingClock } from '../../scenarios/harness';
import { unjudgedAdvances } from '../../scenarios/invariant';
import { CONFIGURE, changes, FN, finished, MINUTE, nonPoll, PUBLISH, STAGE, UPLOAD } from './release-checks';
import { CODEDEPLOY_POLICY, collapse, ordersWorld, releaseOrders, trafficHistory } from './release-harness';

const sent = new Set<string>();
const CODEDEPLOY_POLL = [
  'lambda:GetAlias',
  'codedeploy:ListDeployments',
  'codedeploy:GetDeployment',
  'codedeploy:ListDeploymentTargets',
  'codedeploy:GetDeploymentTarget',
];

describe('the engine releases orders over lambda-codedeploy (Lambda and CodeDeploy faked)', () => {
  it('judges the 10% step before CodeDeploy shifts the rest, and confirms the promotion CodeDeploy made', async () => {
    const run = finished(await releaseOrders(CODEDEPLOY_POLICY), sent);

    expect(run.result.record).toMatchObject({
      outcome: 'promoted',
      method: 'lambda-codedeploy',
      driver: 'platform',
    });
    expect(nonPoll(run)).toEqual([
      'plan',
      'preflight',
      'prepare',
      'platform',
      'shift',
      'step-passed',
      'promote',
    ]);
    const operations = collapse(run.world.operations());
    expect(operations.slice(0, 18)).toEqual([
      'lambda:GetAlias',
      'lambda:GetFunctionConfiguration',
      'codedeploy:ListDeployments',
      'codedeploy:GetDeploymentGroup', // no deployment yet
      ...STAGE,
      'lambda:GetAlias',
      'lambda:GetFunctionConfiguration',
      'codedeploy:ListDeployments',
      'codedeploy:GetDeploymentGroup',
      'codedeploy:CreateDeployment',
      'codedeploy:GetDeployment',
    ]);
    // Then every poll reads the alias and the deployment, until CodeDeploy has finished.
    expect(operations.slice(18, 21)).toEqual([
      'codedeploy:ListDeploymentTargets',
      'codedeploy:GetDeploymentTarget',
      'lambda:GetAlias',
    ]);
    expect(operations.slice(-6)).toEqual([
      'lambda:GetAlias',
      'codedeploy:ListDeployments',
      'codedeploy:GetDeploymentGroup',
      ...CODEDEPLOY_POLL.slice(2),
    ]);
    expect(changes(run)).toEqual([
      { operation: 'UpdateFunctionConfiguration', input: CONFIGURE },
      { operation: 'UpdateFunctionCode', input: UPLOAD },
      { operation: 'PublishVersion', input: PUBLISH },
      {
        operation: 'CreateDeployment',
        input: {
          applicationName: FN,
          deploymentGroupName: FN,
          deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
          description: 'Tollgate release v2',
          revision: {
            revisionType: 'AppSpecContent',
            appSpecContent: {
              content: expect.stringContaining('"TargetVersion":"2"'),
              sha256: expect.any(String),
            },
          },
        },
      },
    ]);
    expect(
      run
        .history()
        .map((change) => [
          change.stable,
          change.canary,
          change.weight,
          change.at - run.result.record.startedAt,
        ]),
    ).toEqual([
      ['v1', undefined, 0, 0],
      ['v1', 'v2', 10, 0],
      ['v2', undefined, 0, 5 * MINUTE],
    ]);
    expect(run.world.lambda.aliasNow).toEqual({ functionVersion: '2', weights: {} });
  });

  it('stops CodeDeploy with rollback on a regression at 10%, ending with 100% on v1', async () => {
    const run = finished(await releaseOrders(CODEDEPLOY_POLICY, 'slow-canary'), sent);

    expect(run.result.record).toMatchObject({ outcome: 'rolled-back', verdict: 'fail' });
    expect(nonPoll(run)).toEqual([
      'plan',
      'preflight',
      'prepare',
      'platform',
      'shift',
      'step-failed',
      'rollback',
    ]);
    expect(changes(run).slice(4)).toEqual([
      { operation: 'StopDeployment', input: { deploymentId: 'd-FAKE00001', autoRollbackEnabled: true } },
    ]);
    // CodeDeploy's own rollback (a new deployment) put the alias back; Tollgate did not have to.
    expect(
      run.world.codeDeploy.deployments.map((deployment) => [
        deployment.id,
        deployment.status,
        deployment.creator,
      ]),
    ).toEqual([
      ['d-FAKE00001', 'Stopped', 'user'],
      ['d-FAKE00002', 'Succeeded', 'codeDeployRollback'],
    ]);
    expect(run.history().map((change) => change.weight)).toEqual([0, 10, 0]);
    expect(run.world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });

  it('rolls back a step still inconclusive just before CodeDeploy would shift the rest', async () => {
    const run = finished(await releaseOrders(CODEDEPLOY_POLICY, 'no-traffic'), sent);

    expect(run.result.record).toMatchObject({ outcome: 'rolled-back', verdict: 'inconclusive' });
    const rollback = run.events.find((event) => event.type === 'rollback');
    expect((rollback?.at ?? 0) - run.result.record.startedAt).toBeLessThan(5 * MINUTE);
    expect(run.history().some((change) => change.stable === 'v2')).toBe(false);
    expect(run.world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });

  it('ends rolled back, saying why, when the deployment fails by itself (a hook, not a gate)', async () => {
    const run = finished(
      await releaseOrders(CODEDEPLOY_POLICY, 'healthy', (world) =>
        world.codeDeploy.failNextDeployment({
          shiftIndex: 1,
          code: 'HOOK_EXECUTION_FAILURE',
          message: 'The AfterAllowTraffic hook orders-smoke-test returned Failed',
        }),
      ),
      sent,
    );

    expect(run.result.record).toMatchObject({ outcome: 'rolled-back', verdict: 'error' });
    expect(run.result.record.reason).toBe(
      'the platform failed deployment d-FAKE00001: HOOK_EXECUTION_FAILURE: The AfterAllowTraffic hook orders-smoke-test returned Failed',
    );
    expect(changes(run).map((change) => change.operation)).not.toContain('StopDeployment');
    expect(run.history().some((change) => change.stable === 'v2')).toBe(false);
    expect(run.world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });

  it('a run killed mid-step is resumed by the next, which finds the deployment CodeDeploy is still running', async () => {
    const orders = ordersWorld(CODEDEPLOY_POLICY);
    const { clock } = orders.world;
    const deadline = clock.now() + 2 * MINUTE;
    void orders.release(dyingClock(clock, async () => clock.now() >= deadline));
    await vi.waitFor(() =>
      expect(orders.events.filter((event) => event.type === 'poll').length).toBeGreaterThanOrEqual(4),
    );
    orders.events.length = 0;

    const { record } = await orders.release();
    expect(orders.events.find((event) => event.type === 'reconcile')?.message).toBe(
      'found v1 at 90%, v2 at 10% from an interrupted release of v2; resuming at 10%',
    );
    expect(record.outcome).toBe('promoted');
    expect(orders.world.sent().filter((request) => request.operation === 'CreateDeployment')).toHaveLength(1);
    expect(unjudgedAdvances(trafficHistory(orders.world), record)).toEqual([]);
    expect(orders.world.lambda.aliasNow).toEqual({ functionVersion: '2', weights: {} });
    orders.world.expectValidRequests();
  });

  it('the releases sent only actions that the Lambda and CodeDeploy PERMISSIONS list', () => {
    const listed = new Set([...LAMBDA_PERMISSIONS, ...CODEDEPLOY_PERMISSIONS].map((entry) => entry.action));
    expect([...sent].filter((operation) => !listed.has(operation))).toEqual([]);
  });
});
