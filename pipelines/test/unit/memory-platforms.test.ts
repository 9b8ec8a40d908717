import { describe, expect, it } from 'vitest';
import { MemoryEnginePlatform } from '../../src/platforms/memory-engine-platform';
import { createMemoryPlatform } from '../../src/platforms/memory-platform';
import { MemoryScheduledPlatform } from '../../src/platforms/memory-scheduled-platform';
import { createMemoryState, type MemoryPlatformState } from '../../src/platforms/memory-state';
import { type Capabilities, releaseMethods } from '../../src/targets/capabilities';
import { appRunnerTargetSchema } from '../../src/targets/manifest';
import { VirtualClock } from '../../src/time/clock';
import { LAMBDA_TARGET, lambdaMethod } from '../contract/lambda-target';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;
const plan = (...steps: [weight: number, bakeMs: number][]) =>
  steps.map(([weight, bakeMs]) => ({ weight, bakeMs }));
const STEPS = plan([10, 5 * MINUTE], [50, 10 * MINUTE], [100, 0]);
const V1 = { version: '1.0.0', ref: '1' };

function setUp(capabilities: Capabilities) {
  const clock = new VirtualClock(T0);
  const state = createMemoryState('checkout', '1.0.0', clock.now());
  const options = (over: MemoryPlatformState = state) => ({
    state: over,
    capabilities,
    now: () => clock.now(),
  });
  return { clock, state, options };
}

function engine() {
  const { clock, state, options } = setUp(lambdaMethod('lambda-alias'));
  const reopen = (over: MemoryPlatformState) => new MemoryEnginePlatform(options(over));
  return { clock, state, platform: new MemoryEnginePlatform(options()), reopen };
}

function scheduled(capabilities = lambdaMethod('lambda-codedeploy')) {
  const { clock, state, options } = setUp(capabilities);
  const reopen = (over: MemoryPlatformState) => new MemoryScheduledPlatform(options(over));
  return { clock, state, platform: new MemoryScheduledPlatform(options()), reopen };
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms));
  const settled = () => true;
  return Promise.race([promise.then(settled, settled), timeout]);
}

describe('createMemoryPlatform', () => {
  it('builds the implementation for the driver of the capabilities it is given', () => {
    const state = createMemoryState('checkout', '1.0.0', T0);
    const now = () => T0;
    expect(createMemoryPlatform({ state, capabilities: lambdaMethod('lambda-alias'), now })).toBeInstanceOf(
      MemoryEnginePlatform,
    );
    expect(
      createMemoryPlatform({ state, capabilities: lambdaMethod('lambda-codedeploy'), now }),
    ).toBeInstanceOf(MemoryScheduledPlatform);
  });

  it('refuses capabilities of the other driver in each implementation', () => {
    const state = createMemoryState('checkout', '1.0.0', T0);
    const now = () => T0;
    expect(
      () => new MemoryEnginePlatform({ state, capabilities: lambdaMethod('lambda-codedeploy'), now }),
    ).toThrow(
      'lambda-codedeploy is platform-driven; MemoryEnginePlatform acts out only engine-driven methods',
    );
    expect(
      () => new MemoryScheduledPlatform({ state, capabilities: lambdaMethod('lambda-alias'), now }),
    ).toThrow('lambda-alias is engine-driven; MemoryScheduledPlatform acts out only platform-driven methods');
  });
});

describe('MemoryEnginePlatform', () => {
  it('gives new versions the next ref and the stable version its own', async () => {
    const { platform } = engine();
    expect(await platform.prepare({ version: '2.0.0' })).toEqual({ version: '2.0.0', ref: '2' });
    expect(await platform.prepare({ version: '3.0.0' })).toEqual({ version: '3.0.0', ref: '3' });
    expect(await platform.prepare({ version: '1.0.0' })).toEqual(V1);
  });

  it('sets weights in the method increment, tolerating float error, and refuses the rest', async () => {
    const { platform } = engine();
    const revision = await platform.prepare({ version: '2.0.0' });
    // 0.57 / 0.01 is 56.99999999999999 in floating point, yet 0.57% is a weight Lambda can set.
    await platform.shift(revision, 0.57);
    expect((await platform.current()).canaryWeight).toBe(0.57);
    await expect(platform.shift(revision, 12.345)).rejects.toThrow(
      'weight 12.345% is not a multiple of 0.01%, the smallest increment lambda-alias can set',
    );
    await expect(platform.shift(revision, 101)).rejects.toThrow('weight must be 0..100 percent, got 101');
    expect((await platform.current()).canaryWeight).toBe(0.57);
  });

  it('refuses to shift to the stable revision, an unknown one, or a second canary', async () => {
    const { platform } = engine();
    const v2 = await platform.prepare({ version: '2.0.0' });
    const v3 = await platform.prepare({ version: '3.0.0' });
    await expect(platform.shift(V1, 10)).rejects.toThrow('1.0.0 (ref 1): it is already the stable revision');
    await expect(platform.shift({ version: '9.0.0', ref: '9' }, 10)).rejects.toThrow(
      'cannot shift traffic to 9.0.0 (ref 9) on checkout: the platform holds no such revision (it holds 1.0.0 (ref 1), 2.0.0 (ref 2), 3.0.0 (ref 3))',
    );
    await platform.shift(v2, 10);
    await expect(platform.shift(v3, 10)).rejects.toThrow(
      'canary 2.0.0 (ref 2) still has 10% of checkout; roll it back first',
    );
    await platform.rollback();
    await platform.shift(v3, 10);
    expect((await platform.current()).canary).toEqual(v3);
  });

  it('refuses to promote a revision that is neither stable nor the canary', async () => {
    const { platform } = engine();
    const v2 = await platform.prepare({ version: '2.0.0' });
    await expect(platform.promote(v2)).rejects.toThrow(
      'cannot promote 2.0.0 (ref 2) on checkout: it is neither the stable revision (1.0.0 (ref 1)) nor the canary (none)',
    );
  });

  it('records each traffic change once, at the time it was made', async () => {
    const { clock, platform } = engine();
    const v2 = await platform.prepare({ version: '2.0.0' });
    clock.advance(MINUTE);
    await platform.shift(v2, 10);
    clock.advance(5 * MINUTE);
    await platform.shift(v2, 10);
    await platform.shift(v2, 50);
    clock.advance(5 * MINUTE);
    await platform.promote(v2);
    expect(platform.history).toEqual([
      { at: T0, stable: '1.0.0', weight: 0 },
      { at: T0 + MINUTE, stable: '1.0.0', canary: '2.0.0', weight: 10 },
      { at: T0 + 6 * MINUTE, stable: '1.0.0', canary: '2.0.0', weight: 50 },
      { at: T0 + 11 * MINUTE, stable: '2.0.0', weight: 0 },
    ]);
    expect(platform.shareAt('2.0.0', T0 + 2 * MINUTE)).toBe(0.1);
    expect(platform.shareAt('1.0.0', T0 + 2 * MINUTE)).toBe(0.9);
    expect(platform.shareAt('2.0.0', T0 - MINUTE)).toBe(0);
    expect(platform.shareAt('1.0.0', T0 + 11 * MINUTE)).toBe(0);
  });

  it('fails the next calls as many times as asked, then works', async () => {
    const { platform } = engine();
    const throttled = new Error('Rate exceeded');
    platform.failNext('current', throttled, 2);
    await expect(platform.current()).rejects.toBe(throttled);
    await expect(platform.current()).rejects.toBe(throttled);
    expect((await platform.current()).stable).toEqual(V1);
    expect(() => platform.failNext('start', throttled)).toThrow(
      'cannot inject a fault into "start": this in-memory platform\'s operations are current, prepare, shift, promote, rollback',
    );
  });

  it('hangNext makes the next call never settle and leaves traffic alone', async () => {
    const { platform } = engine();
    const v2 = await platform.prepare({ version: '2.0.0' });
    platform.hangNext('shift');
    expect(await settlesWithin(platform.shift(v2, 10), 50)).toBe(false);
    expect((await platform.current()).canaryWeight).toBe(0);
    await platform.shift(v2, 10);
    expect((await platform.current()).canaryWeight).toBe(10);
  });

  it('keeps working over its state after a JSON round trip mid-canary', async () => {
    const { clock, state, platform, reopen } = engine();
    const v2 = await platform.prepare({ version: '2.0.0' });
    await platform.shift(v2, 10);
    const revived = reopen(JSON.parse(JSON.stringify(state)));
    expect(await revived.current()).toEqual({ stable: V1, canary: v2, canaryWeight: 10 });
    expect(await revived.prepare({ version: '3.0.0' })).toEqual({ version: '3.0.0', ref: '3' });
    clock.advance(MINUTE);
    await revived.rollback();
    expect(revived.history.at(-1)).toEqual({ at: T0 + MINUTE, stable: '1.0.0', weight: 0 });
  });
});

describe('MemoryScheduledPlatform', () => {
  it.each([
    [
      'a weight off the increment',
      plan([10.5, MINUTE], [100, 0]),
      'step 1/2: weight 10.5% is not a multiple of 1%',
    ],
    [
      'a bake CodeDeploy cannot count',
      plan([10, 90_000], [100, 0]),
      'step 1/2: bake 90000 ms is not a whole multiple of 60000 ms, which lambda-codedeploy counts in',
    ],
    ['no 100% step', plan([10, MINUTE]), 'the last step must send 100% of traffic, got 10%'],
    [
      'a weight going down',
      plan([50, MINUTE], [20, MINUTE], [100, 0]),
      'step 2/3: weights must increase, got 50% then 20%',
    ],
  ])('refuses steps it cannot run: %s', async (_, steps, message) => {
    const { platform } = scheduled();
    const v2 = await platform.prepare({ version: '2.0.0' });
    await expect(platform.start(v2, steps)).rejects.toThrow(message);
    expect((await platform.current()).deployment).toBeUndefined();
  });

  it('records the schedule at the times it fixed, even when nobody read it in between', async () => {
    const { clock, platform } = scheduled();
    const v2 = await platform.prepare({ version: '2.0.0' });
    clock.advance(MINUTE);
    await platform.start(v2, STEPS);
    clock.advance(30 * MINUTE);
    expect(platform.history).toEqual([
      { at: T0, stable: '1.0.0', weight: 0 },
      { at: T0 + MINUTE, stable: '1.0.0', canary: '2.0.0', weight: 10 },
      { at: T0 + 6 * MINUTE, stable: '1.0.0', canary: '2.0.0', weight: 50 },
      { at: T0 + 16 * MINUTE, stable: '2.0.0', weight: 0 },
    ]);
  });

  it('splits synthetic traffic by the schedule without any other call catching it up', async () => {
    const { clock, platform } = scheduled();
    await platform.start(await platform.prepare({ version: '2.0.0' }), STEPS);
    clock.advance(7 * MINUTE);
    expect(platform.shareAt('2.0.0', T0 + 4 * MINUTE)).toBe(0.1);
    expect(platform.shareAt('2.0.0', T0 + 5 * MINUTE)).toBe(0.5);
    expect(platform.shareAt('1.0.0', T0 + 6 * MINUTE)).toBe(0.5);
  });

  it('refuses a second deployment while one is in progress, as CodeDeploy does', async () => {
    const { platform } = scheduled();
    await platform.start(await platform.prepare({ version: '2.0.0' }), STEPS);
    const v3 = await platform.prepare({ version: '3.0.0' });
    await expect(platform.start(v3, STEPS)).rejects.toThrow(
      'cannot start a deployment of 3.0.0 (ref 3) on checkout: deployment d-1 (of 2.0.0) is already in progress',
    );
  });

  it('refuses to promote while the schedule runs, saying when it moves next', async () => {
    const { platform } = scheduled();
    const v2 = await platform.prepare({ version: '2.0.0' });
    await platform.start(v2, STEPS);
    await expect(platform.promote(v2)).rejects.toThrow(
      'cannot promote 2.0.0 (ref 2) on checkout: deployment d-1 is still running (step 1/3, next shift at ' +
        '2026-01-01T00:05:00.000Z); the platform promotes it when its schedule ends',
    );
  });

  it('stops a running deployment in Tollgate’s name', async () => {
    const { clock, platform } = scheduled();
    const v2 = await platform.prepare({ version: '2.0.0' });
    await platform.start(v2, STEPS);
    clock.advance(6 * MINUTE);
    await platform.rollback();
    const { deployment } = await platform.current();
    expect(deployment).toEqual({
      id: 'd-1',
      revision: v2,
      state: 'stopped',
      stepIndex: 1,
      reason: 'stopped by Tollgate',
    });
    expect(platform.history.at(-1)).toEqual({ at: T0 + 6 * MINUTE, stable: '1.0.0', weight: 0 });
  });

  it('fails the running deployment by itself on reaching the injected step', async () => {
    const { clock, platform } = scheduled();
    const v2 = await platform.prepare({ version: '2.0.0' });
    await platform.start(v2, STEPS);
    platform.failDeployment({ atStep: 1, reason: 'AfterAllowTraffic hook failed' });
    clock.advance(8 * MINUTE);
    const after = await platform.current();
    expect(after).toEqual({
      stable: V1,
      canaryWeight: 0,
      deployment: {
        id: 'd-1',
        revision: v2,
        state: 'failed',
        stepIndex: 1,
        reason: 'AfterAllowTraffic hook failed',
      },
    });
    expect(platform.history.at(-1)).toEqual({ at: T0 + 5 * MINUTE, stable: '1.0.0', weight: 0 });
    await expect(platform.promote(v2)).rejects.toThrow(
      'deployment d-1 failed (AfterAllowTraffic hook failed); the stable revision is 1.0.0 (ref 1)',
    );
  });

  it('fails the next deployment when none runs, and refuses a step already passed', async () => {
    const { clock, platform } = scheduled();
    platform.failDeployment({ atStep: 2, reason: 'health checks failed' });
    const v2 = await platform.prepare({ version: '2.0.0' });
    await platform.start(v2, STEPS);
    expect(() => platform.failDeployment({ atStep: 0, reason: 'late' })).toThrow(
      'deployment d-1 is at step index 0 of 3; it can be made to fail at step index 1..2, not 0',
    );
    clock.advance(20 * MINUTE);
    const after = await platform.current();
    expect(after.stable).toEqual(V1);
    expect(after.deployment).toMatchObject({ state: 'failed', stepIndex: 2, reason: 'health checks failed' });
  });

  it('rolls back after success with a redeploy, which an injected failure can make fail', async () => {
    const { clock, platform } = scheduled();
    const v2 = await platform.prepare({ version: '2.0.0' });
    await platform.start(v2, STEPS);
    clock.advance(15 * MINUTE);
    platform.failDeployment({ atStep: 0, reason: 'Lambda is throttled' });
    await expect(platform.rollback(V1)).rejects.toThrow(
      'could not roll checkout back to 1.0.0 (ref 1): redeploy d-2 failed (Lambda is throttled)',
    );
    expect((await platform.current()).stable).toEqual(v2);
    await platform.rollback(V1);
    const after = await platform.current();
    expect(after).toEqual({
      stable: V1,
      canaryWeight: 0,
      deployment: { id: 'd-3', revision: V1, state: 'succeeded', stepIndex: 0 },
    });
  });

  it('cannot stop a deployment of a method that is not stoppable, only redeploy after it', async () => {
    const { functionName, alias, codeDeploy, ...common } = LAMBDA_TARGET;
    const target = appRunnerTargetSchema.parse({ ...common, platform: 'apprunner', serviceName: 'checkout' });
    const appRunner = releaseMethods(target)[0];
    if (!appRunner) throw new Error('App Runner targets should be releasable');
    const { clock, platform } = scheduled(appRunner);
    const v2 = await platform.prepare({ version: '2.0.0' });
    // App Runner cannot split traffic: the new version builds with none, then takes all of it.
    await platform.start(v2, plan([0, 3 * MINUTE], [100, 0]));
    await expect(platform.rollback(V1)).rejects.toThrow(
      'cannot roll back checkout now: apprunner cannot stop deployment d-1 once started; it ends at 2026-01-01T00:03:00.000Z',
    );
    clock.advance(3 * MINUTE);
    await platform.rollback(V1);
    expect((await platform.current()).stable).toEqual(V1);
  });

  it('hangNext makes start never settle and starts nothing', async () => {
    const { platform } = scheduled();
    const v2 = await platform.prepare({ version: '2.0.0' });
    platform.hangNext('start');
    expect(await settlesWithin(platform.start(v2, STEPS), 50)).toBe(false);
    expect((await platform.current()).deployment).toBeUndefined();
  });

  it('keeps running the schedule over its state after a JSON round trip mid-deployment', async () => {
    const { clock, state, platform, reopen } = scheduled();
    const v2 = await platform.prepare({ version: '2.0.0' });
    await platform.start(v2, STEPS);
    clock.advance(7 * MINUTE);
    expect((await platform.current()).canaryWeight).toBe(50);
    const revived = reopen(JSON.parse(JSON.stringify(state)));
    clock.advance(20 * MINUTE);
    expect(await revived.current()).toEqual({
      stable: v2,
      canaryWeight: 0,
      deployment: { id: 'd-1', revision: v2, state: 'succeeded', stepIndex: 2 },
    });
    expect(revived.history.map((change) => change.at - T0)).toEqual([0, 0, 5 * MINUTE, 15 * MINUTE]);
  });
});
