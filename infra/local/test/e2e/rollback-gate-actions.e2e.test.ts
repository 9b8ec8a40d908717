// The rollback and gate actions' bundles run as GitHub's runner runs them against a local cloud of their
// own per test, after a release of payments (Lambda, lambda-alias) through the bundled deploy action.
import { bundleAction } from '@tollgate/actions/bundle/bundle-action';
import { beforeAll, describe, expect, test } from 'vitest';
import { actionWorld, PAYMENTS, PAYMENTS_FUNCTION } from './action-world';
import { aliasRoutes, expectOnlyRelease } from './lambda-state';

const TIMEOUT = { timeout: 150_000 };

beforeAll(async () => {
  for (const action of ['deploy', 'rollback', 'gate'] as const) await bundleAction(action);
}, 60_000);

describe('the rollback action, against the local cloud', () => {
  test(
    'returns payments to the release before the live one at once, recording who and why',
    TIMEOUT,
    async () => {
      const { world, lambda, run } = await actionWorld();
      const deployed = await run('deploy', 'main', { version: '1.1.0' });
      expect(deployed.outputs.outcome, deployed.log).toBe('promoted');

      const rollback = await run('rollback', 'main', { reason: 'checkout errors up since 1.1.0' });
      expect(rollback.code, rollback.log).toBe(0);
      expect(rollback.outputs).toEqual({
        outcome: 'rolled-back',
        'from-version': '1.1.0',
        version: '1.0.0',
        report: expect.stringMatching(/\/reports\/rollbacks\/payments-production-1\.0\.0\.md$/),
      });
      expect(rollback.log).toMatch(
        /payments in production: 1\.0\.0 serves 100% \(was 1\.1\.0\); took \d+\.\d s/,
      );
      expect(rollback.summary).toMatch(/octocat/);
      expect(rollback.summary).toMatch(/checkout errors up since 1\.1\.0/);
      await expectOnlyRelease(world, lambda, PAYMENTS, '1.0.0');
      expect((await world.ledger()).map((record) => [record.toVersion, record.outcome])).toEqual([
        ['1.1.0', 'promoted'],
        ['1.0.0', 'rolled-back'],
      ]);
    },
  );

  test('bad inputs: no reason, a version never live there; exit 2 and nothing moves', TIMEOUT, async () => {
    const { world, lambda, run } = await actionWorld({ settle: false });
    const noReason = await run('rollback', 'main', { reason: '' });
    expect(noReason.code, noReason.log).toBe(2);
    expect(noReason.log).toMatch(/^::error::input "reason" is required/m);

    const unknown = await run('rollback', 'main', { reason: 'test', 'to-version': '0.9.0' });
    expect(unknown.code, unknown.log).toBe(2);
    expect(unknown.log).toMatch(
      /^::error::cannot roll payments in production back to 0\.9\.0: 0\.9\.0 was never live there/m,
    );
    expect((await aliasRoutes(lambda, PAYMENTS_FUNCTION)).releases).toEqual(['1.0.0']);
    expect(await world.ledger()).toEqual([]);
  });
});

describe('the gate action, against the local cloud', () => {
  test('a healthy production over a window: pass, and nothing moves', TIMEOUT, async () => {
    const { world, lambda, run } = await actionWorld();
    const gate = await run('gate', 'main', { window: '2m' });

    expect(gate.code, gate.log).toBe(0);
    expect(gate.outputs).toEqual({
      verdict: 'pass',
      report: expect.stringMatching(/\/reports\/payments-production-gate\.md$/),
    });
    expect(gate.summary).toMatch(/securecart-production-payments-errors/);
    expect((await aliasRoutes(lambda, PAYMENTS_FUNCTION)).releases).toEqual(['1.0.0']);
    expect(await world.ledger()).toEqual([]);
  });

  test('a version failing a fifth of payments, live: the errors alarm fails the gate', TIMEOUT, async () => {
    const { world, run } = await actionWorld({ fault: { version: '1.0.0', errorRate: 0.2 }, settle: false });
    const gate = await run('gate', 'main', { window: '6m' });

    expect(gate.code, gate.log).toBe(1);
    expect(gate.outputs.verdict).toBe('fail');
    expect(gate.log).toMatch(
      /^::error::payments in production: fail\. .*securecart-production-payments-errors/m,
    );
    expect(
      world.calls.filter((call) => call.service === 'lambda' && call.operation.startsWith('PUT')),
    ).toEqual([]);
  });

  test('a window that is not a duration: exit 2 naming the input', TIMEOUT, async () => {
    const { world, run } = await actionWorld({ settle: false });
    const gate = await run('gate', 'main', { window: 'soon' });
    expect(gate.code, gate.log).toBe(2);
    expect(gate.log).toMatch(/^::error::input "window"/m);
    expect(world.calls).toEqual([]);
  });
});
