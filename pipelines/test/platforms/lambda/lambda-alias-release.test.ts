import { describe, expect, it, vi } from 'vitest';
import { PERMISSIONS as LAMBDA_PERMISSIONS } from '../../../src/platforms/lambda/permissions';
import { dyingClock } from '../../scenarios/harness';
import { unjudgedAdvances } from '../../scenarios/invariant';
import {
  ALIAS,
  CONFIGURE,
  changes,
  FN,
  finished,
  MINUTE,
  nonPoll,
  PUBLISH,
  STAGE,
  UPLOAD,
} from './release-checks';
import { collapse, ENGINE_POLICY, ordersWorld, releaseOrders, trafficHistory } from './release-harness';

const sent = new Set<string>();

describe('the engine releases orders over lambda-alias (Lambda faked, virtual clock)', () => {
  it('promotes a healthy v2 through 10% and 50%, ending with 100% on v2', async () => {
    const run = finished(await releaseOrders(ENGINE_POLICY), sent);

    expect(run.result.record).toMatchObject({ outcome: 'promoted', method: 'lambda-alias', backend: 'aws' });
    expect(nonPoll(run)).toEqual([
      'plan',
      'preflight',
      'prepare',
      'shift',
      'step-passed',
      'shift',
      'step-passed',
      'promote',
    ]);
    expect(collapse(run.world.operations())).toEqual([
      'lambda:GetAlias',
      'lambda:GetFunctionConfiguration',
      ...STAGE,
      'lambda:GetAlias',
      'lambda:GetFunctionConfiguration',
      'lambda:UpdateAlias',
      'lambda:GetAlias', // the platform gate, every poll of the 10% step
      'lambda:UpdateAlias',
      'lambda:GetAlias',
      'lambda:UpdateAlias',
      'lambda:GetAlias',
    ]);
    expect(changes(run)).toEqual([
      { operation: 'UpdateFunctionConfiguration', input: CONFIGURE },
      { operation: 'UpdateFunctionCode', input: UPLOAD },
      { operation: 'PublishVersion', input: PUBLISH },
      {
        operation: 'UpdateAlias',
        input: {
          ...ALIAS,
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
          RevisionId: 'alias-revision-1',
        },
      },
      {
        operation: 'UpdateAlias',
        input: {
          ...ALIAS,
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
          RevisionId: 'alias-revision-2',
        },
      },
      {
        operation: 'UpdateAlias',
        input: {
          ...ALIAS,
          FunctionVersion: '2',
          RoutingConfig: { AdditionalVersionWeights: {} },
          RevisionId: 'alias-revision-3',
        },
      },
    ]);
    expect(run.history().map((change) => [change.stable, change.canary, change.weight])).toEqual([
      ['v1', undefined, 0],
      ['v1', 'v2', 10],
      ['v1', 'v2', 50],
      ['v2', undefined, 0],
    ]);
    expect(run.world.lambda.aliasNow).toEqual({ functionVersion: '2', weights: {} });
    expect((run.result.record.finishedAt ?? 0) - run.result.record.startedAt).toBe(10 * MINUTE);
  });

  it('rolls a slower v2 back at 10%, ending with 100% on v1', async () => {
    const run = finished(await releaseOrders(ENGINE_POLICY, 'slow-canary'), sent);

    expect(run.result.record).toMatchObject({ outcome: 'rolled-back', verdict: 'fail' });
    expect(nonPoll(run)).toEqual(['plan', 'preflight', 'prepare', 'shift', 'step-failed', 'rollback']);
    expect(changes(run).slice(3)).toEqual([
      {
        operation: 'UpdateAlias',
        input: {
          ...ALIAS,
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
          RevisionId: 'alias-revision-1',
        },
      },
      {
        operation: 'UpdateAlias',
        input: { ...ALIAS, FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: {} } },
      },
    ]);
    expect(run.history().map((change) => change.weight)).toEqual([0, 10, 0]);
    expect(run.world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });
  it('blocks, with nothing moved, when Lambda cannot apply the new code (no gate involved)', async () => {
    const run = finished(
      await releaseOrders(ENGINE_POLICY, 'healthy', (world) =>
        world.lambda.fn.failNextUpdate({
          code: 'InvalidImage',
          reason: 'The image manifest is not supported.',
        }),
      ),
      sent,
    );

    expect(run.result.record).toMatchObject({ outcome: 'blocked', verdict: 'error' });
    expect(run.result.record.reason).toBe(
      `could not stage v2: Lambda could not update ${FN} to the code of v2 (Failed: InvalidImage: The image manifest is not supported.); nothing was published and traffic did not move`,
    );
    expect(changes(run)).toEqual([
      { operation: 'UpdateFunctionConfiguration', input: CONFIGURE },
      { operation: 'UpdateFunctionCode', input: UPLOAD },
    ]);
    expect(run.world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });

  it('a run killed mid-step is resumed by the next, with a new adapter that reads the canary from the alias', async () => {
    const orders = ordersWorld(ENGINE_POLICY);
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
    expect((await orders.ledger.list()).map((entry) => entry.outcome).sort()).toEqual([
      'abandoned',
      'promoted',
    ]);
    expect(orders.world.sent().filter((request) => request.operation === 'PublishVersion')).toHaveLength(1);
    expect(unjudgedAdvances(trafficHistory(orders.world), record)).toEqual([]);
    expect(orders.world.lambda.aliasNow).toEqual({ functionVersion: '2', weights: {} });
    orders.world.expectValidRequests();
  });

  it('the releases sent every action the Lambda PERMISSIONS list, and nothing they do not', () => {
    const listed = LAMBDA_PERMISSIONS.map((entry) => entry.action);
    expect([...sent].filter((operation) => !listed.includes(operation))).toEqual([]);
    expect(listed.filter((action) => !sent.has(action))).toEqual([]);
  });
});
