// The deploy action's bundle run as GitHub's runner runs it (INPUT_*, GITHUB_OUTPUT, GITHUB_STATE,
// GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH; then its post step) against a local cloud of its own per test,
// releasing payments (Lambda, lambda-alias) through the same engine and adapters as `tollgate deploy`.
import { join } from 'node:path';
import { bundleAction } from '@tollgate/actions/bundle/bundle-action';
import { beforeAll, describe, expect, test } from 'vitest';
import type { VersionFault } from '../../src/faults/fault-plan';
import { actionWorld, PAYMENTS_FUNCTION as FUNCTION, PAYMENTS as TARGET } from './action-world';
import { aliasRoutes, expectOnlyRelease } from './lambda-state';

const TIMEOUT = { timeout: 150_000 };

beforeAll(() => bundleAction('deploy'), 60_000);

async function deployWorld(fault?: Omit<VersionFault, 'workload'>, settle = true) {
  const { world, lambda, step, run } = await actionWorld({ ...(fault ? { fault } : {}), settle });
  return {
    world,
    lambda,
    step: (entry: 'main' | 'post', given: Record<string, string>) => step('deploy', entry, given),
    run: (entry: 'main' | 'post', given: Record<string, string>, state?: Record<string, string>) =>
      run('deploy', entry, given, state),
  };
}

describe('the deploy action, run as the runner runs it, against the local cloud', () => {
  test(
    'a healthy version: promoted, outputs and job summary set, the post step has nothing to settle',
    TIMEOUT,
    async () => {
      const { world, lambda, run } = await deployWorld();
      const main = await run('main', { version: '1.1.0' });

      expect(main.code, main.log).toBe(0);
      expect(main.outputs).toEqual({
        outcome: 'promoted',
        verdict: 'pass',
        report: join(world.dir, 'reports', 'payments-production-1.1.0.md'),
        'report-html': join(world.dir, 'reports', 'payments-production-1.1.0.html'),
      });
      expect(main.state).toEqual({ 'release-started': 'true', 'release-ended': 'true' });
      expect(main.summary).toMatch(/payments 1\.0\.0 → 1\.1\.0 \(production\)/);
      expect(main.log).toMatch(/^::group::Step 1 at 20%25$/m);
      expect(main.log).toMatch(/^::endgroup::$/m);
      await expectOnlyRelease(world, lambda, TARGET, '1.1.0');

      const post = await run('post', { version: '1.1.0' }, main.state);
      expect(post.code, post.log).toBe(0);
      expect(post.log).toMatch(/the release ended in the main step; nothing to settle/);
      expect(post.outputs).toEqual({});
    },
  );

  test('a version 50 ms slower: rolled back, and the step fails saying why', TIMEOUT, async () => {
    const { world, lambda, run } = await deployWorld({ version: '1.1.0', addedLatencyMs: 50 });
    const main = await run('main', { version: '1.1.0' });

    expect(main.code, main.log).toBe(1);
    expect(main.outputs.outcome).toBe('rolled-back');
    expect(main.outputs.verdict).toBe('fail');
    expect(main.log).toMatch(
      /^::error::payments 1\.1\.0 in production: rolled-back\. step 1\/2 fail: p50 latency/m,
    );
    expect(main.summary).toMatch(/rolled back/i);
    await expectOnlyRelease(world, lambda, TARGET, '1.0.0');
  });

  test(
    'a job cancelled mid-canary (SIGINT): the main step rolls back, the post step has nothing to settle',
    TIMEOUT,
    async () => {
      const { world, lambda, step, run } = await deployWorld();
      const main = await step('main', { version: '1.1.0' });
      await main.line(/^shift: step 1\/2: 20% of traffic on 1\.1\.0/);
      main.child.kill('SIGINT');
      const ended = await main.done;

      expect(ended.code, ended.log).toBe(1);
      expect(ended.outputs.outcome).toBe('rolled-back');
      expect(ended.state['release-ended']).toBe('true');
      const post = await run('post', { version: '1.1.0' }, ended.state);
      expect(post.code, post.log).toBe(0);
      expect(post.log).toMatch(/nothing to settle/);
      await expectOnlyRelease(world, lambda, TARGET, '1.0.0');
    },
  );

  test(
    'a job killed mid-canary: the post step rolls the canary back and closes its record',
    TIMEOUT,
    async () => {
      const { world, lambda, step, run } = await deployWorld();
      const main = await step('main', { version: '1.1.0' });
      await main.line(/^shift: step 1\/2: 20% of traffic on 1\.1\.0/);
      main.child.kill('SIGKILL');
      const killed = await main.done;
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.state).toEqual({ 'release-started': 'true' });
      expect((await aliasRoutes(lambda, FUNCTION)).releases).toEqual(['1.0.0', '1.1.0']);

      const post = await run('post', { version: '1.1.0' }, killed.state);
      expect(post.code, post.log).toBe(0);
      expect(post.outputs).toEqual({ outcome: 'rolled-back' });
      expect(post.log).toMatch(/found 1\.0\.0 at 80%, 1\.1\.0 at 20%: rolling 1\.1\.0 back/);
      await expectOnlyRelease(world, lambda, TARGET, '1.0.0');
      expect((await world.ledger()).map((record) => [record.toVersion, record.outcome])).toEqual([
        ['1.1.0', 'rolled-back'],
      ]);
    },
  );

  test(
    'bad inputs: exit 2, the error names the input and what is allowed, nothing is sent to the cloud',
    TIMEOUT,
    async () => {
      const { world, run } = await deployWorld();
      const cases: [Record<string, string>, RegExp][] = [
        [{ workload: '', version: '1.1.0' }, /input "workload" is required/],
        [
          { workload: 'paymnets', version: '1.1.0' },
          /input "workload" is "paymnets"; .*release-manifest\.json has: .*payments/,
        ],
        [{ version: '1.1' }, /input "version" "1\.1" is not a semantic version/],
        [{ environment: 'prod', version: '1.1.0' }, /input "environment" is "prod"; .* has: production/],
        [{ backend: 'memory', version: '1.1.0' }, /input "backend" is "memory"; allowed: "aws", "local"/],
      ];
      for (const [given, message] of cases) {
        const bad = await run('main', { ...given, ...(given.workload === 'paymnets' ? { policy: '' } : {}) });
        expect(bad.code, bad.log).toBe(2);
        expect(bad.log).toMatch(new RegExp(`^::error::${message.source}`, 'm'));
        expect(bad.log).not.toMatch(/^\s+at /m);
        expect(bad.outputs).toEqual({});
      }
      expect(world.calls).toEqual([]);
      expect(await world.ledger()).toEqual([]);
    },
  );
});
